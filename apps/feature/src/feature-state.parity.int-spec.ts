import { randomUUID } from 'node:crypto';
import {
  DEFAULT_STATE_TUNING,
  EntityKind,
  LabelOutcome,
  seededRandom,
  type EntityUpdate,
  type FraudLabelEvent,
  type StateEvent,
  VELOCITY_WINDOWS,
} from '@argus/contracts';
import { deleteMatching, type RedisClient } from '@argus/redis';
import { connectTestRedis, nodeOf, redisTestTargets, spreadOverMasters } from '@argus/redis/testing';
import { InMemoryFeatureState } from '@argus/features';
import { entityKey, RedisFeatureState } from '@argus/feature-state';

// The Redis store must answer exactly like the in-memory reference, event by event, on histories that
// exercise every part of the protocol: window edges, out-of-order events, redeliveries, late labels; on one
// Redis server and on a Redis Cluster, where a batch is split over the masters.
const run = randomUUID().slice(0, 8);
const T0 = Date.UTC(2026, 0, 5, 23, 59, 0);

type Step = { kind: 'event'; event: StateEvent } | { kind: 'label'; label: FraudLabelEvent };

/** `grid`: few entities, every time a whole number of minutes, so windows and buckets meet events exactly. */
function history(seed: number, length: number, grid = false): Step[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const prefix = `${run}-${seed}`;
  const cards = Array.from({ length: grid ? 2 : 12 }, (_, i) => `${prefix}-card-${i}`);
  const merchants = Array.from({ length: grid ? 3 : 5 }, (_, i) => `${prefix}-m-${i}`);
  const devices = Array.from({ length: grid ? 2 : 4 }, (_, i) => `${prefix}-d-${i}`);
  const steps: Step[] = [];
  const sent: StateEvent[] = [];
  let clock = T0;
  for (let n = 0; n < length; n++) {
    const roll = random();
    if (roll < 0.05 && sent.length > 0) {
      // A redelivery, mostly of a recent event (within the dedup horizon), sometimes of an old one (counted again).
      steps.push({ kind: 'event', event: pick(random() < 0.8 ? sent.slice(-10) : sent) });
      continue;
    }
    if (roll < 0.12 && sent.length > 0) {
      // Labels for recent transactions: the index forgets by wall clock live, by event time in memory.
      const recent = sent.slice(-50);
      steps.push({ kind: 'label', label: { transactionId: pick(recent).transactionId, reportedAt: clock } });
      continue;
    }
    // Mostly seconds apart, sometimes hours or days (window edges), sometimes out of order within tolerance.
    const gap = roll < 0.8 ? random() * 20_000 : roll < 0.95 ? random() * 3 * 3_600_000 : random() * 9 * 86_400_000;
    // Half the time on a 5-second grid, so events land exactly on window and bucket edges.
    if (grid) clock += Math.floor(random() * 12) * 60_000;
    else clock += random() < 0.5 ? Math.floor(gap / 5_000) * 5_000 : Math.floor(gap);
    const eventTime = random() < 0.1 ? clock - Math.floor(random() * 96) * 5_000 : clock;
    const card = pick(cards);
    const merchant = pick(merchants);
    const device = random() < 0.8 ? pick(devices) : null;
    const amountUnits = Math.floor(random() * 2_000_000);
    const small = amountUnits < 50_000;
    const location = random() < 0.7 ? `${(random() * 180 - 90).toFixed(4)},${(random() * 360 - 180).toFixed(4)}` : null;
    const entities: EntityUpdate[] = [
      {
        kind: EntityKind.CARD,
        id: card,
        amountUnits,
        small,
        distinct: [{ dimension: 'merchant', member: merchant, windowsMs: [600_000, 3_600_000] }],
        novelty: [
          { dimension: 'merchant', value: merchant },
          { dimension: 'device', value: device ?? '-' },
        ],
        previous: { location },
      },
      {
        kind: EntityKind.CUSTOMER,
        id: `${card}-owner`,
        amountUnits,
        small,
        histograms: [
          { name: 'hour', bin: String(new Date(eventTime).getUTCHours()) },
          { name: 'amount', bin: String(Math.floor(Math.log10(1 + amountUnits) * 4)) },
        ],
        moments: [{ name: 'logq', value: Math.floor(Math.log10(1 + amountUnits) * 1000) - 3000 }],
      },
      { kind: EntityKind.MERCHANT, id: merchant, amountUnits, small, labels: true },
    ];
    if (device !== null) {
      entities.push({
        kind: EntityKind.DEVICE,
        id: device,
        amountUnits,
        small,
        labels: true,
        distinct: [{ dimension: 'card', member: card, windowsMs: [3_600_000, 86_400_000, 7 * 86_400_000] }],
      });
    }
    const event: StateEvent = {
      transactionId: `${prefix}-tx-${n}`,
      eventTime,
      entities,
      labelTargets: [
        { kind: EntityKind.MERCHANT, id: merchant },
        ...(device ? [{ kind: EntityKind.DEVICE, id: device }] : []),
      ],
    };
    sent.push(event);
    steps.push({ kind: 'event', event });
  }
  return steps;
}

for (const target of redisTestTargets()) {
  (target.skipped === undefined ? describe : describe.skip)(
    `RedisFeatureState answers exactly like InMemoryFeatureState (${target.label})`,
    () => {
      let redis: RedisClient;
      const masters = target.name === 'cluster' ? 3 : 1;

      beforeAll(async () => {
        redis = await connectTestRedis(target, 'feature-state-int');
      });

      afterAll(async () => {
        if (redis === undefined) return; // connectTestRedis failed: that error says why
        await deleteMatching(redis, `f:{*${run}*`);
        await redis.quit();
      });

      it.each([
        [1, false],
        [2, false],
        [3, false],
        [4, true],
        [5, true],
      ])('history seed %i (grid %s): every snapshot and label outcome is identical', async (seed, grid) => {
        const steps = history(seed, 1_500, grid);
        const reference = new InMemoryFeatureState(DEFAULT_STATE_TUNING);
        const live = new RedisFeatureState(redis, DEFAULT_STATE_TUNING);
        let labelsCounted = 0;
        let duplicates = 0;
        // Batches of consecutive events, as a consumer sees them; labels on their own, as the labels consumer does.
        for (let i = 0; i < steps.length;) {
          const step = steps[i]!;
          if (step.kind === 'label') {
            const [expected, actual] = [
              reference.applyLabel(step.label),
              (await live.applyFraudLabels([step.label]))[0],
            ];
            expect({ step: i, outcome: actual }).toEqual({ step: i, outcome: expected });
            if (expected === LabelOutcome.COUNTED) labelsCounted += 1;
            i += 1;
            continue;
          }
          const batch: StateEvent[] = [];
          while (i < steps.length && steps[i]!.kind === 'event' && batch.length < 25) {
            batch.push((steps[i] as { event: StateEvent }).event);
            i += 1;
          }
          const expected = batch.map((event) => reference.applyOne(event));
          const actual = await live.apply(batch);
          for (let b = 0; b < batch.length; b++) {
            expect({ transaction: batch[b]!.transactionId, snapshots: actual[b] }).toEqual({
              transaction: batch[b]!.transactionId,
              snapshots: expected[b],
            });
            if (expected[b]!.some((s) => s.duplicate)) duplicates += 1;
          }
        }
        // The history really exercised redeliveries and labels.
        expect(duplicates).toBeGreaterThan(20);
        expect(labelsCounted).toBeGreaterThan(20);
      });

      it('makes one round trip per batch of events (one pipeline per master, sent together)', async () => {
        const live = new RedisFeatureState(redis, DEFAULT_STATE_TUNING);
        const events = history(9, 200)
          .flatMap((s) => (s.kind === 'event' ? [s.event] : []))
          .slice(0, 100);
        await live.apply(events);
        expect({ roundTrips: live.roundTrips, pipelines: live.pipelines }).toEqual({
          roundTrips: 1,
          pipelines: masters,
        });
      });

      it("applies a batch whose entities span every master in one call, each entity's snapshots in event order", async () => {
        const prefix = `${run}-span`;
        const cards = spreadOverMasters(redis, (i) => entityKey(EntityKind.CARD, `${prefix}-card-${i}`, 'm'), 3).map(
          (i) => `${prefix}-card-${i}`,
        );
        expect(new Set(cards.map((card) => nodeOf(redis, entityKey(EntityKind.CARD, card, 'm')))).size).toBe(masters);
        // Every card pays four times, the cards taking turns: the n-th payment of a card must see n in its hour.
        const events: StateEvent[] = [];
        for (let round = 1; round <= 4; round++) {
          for (const card of cards) {
            events.push({
              transactionId: `${prefix}-tx-${events.length}`,
              eventTime: T0 + events.length * 1_000,
              entities: [
                {
                  kind: EntityKind.CARD,
                  id: card,
                  amountUnits: round * 10_000,
                  small: false,
                  previous: { location: null },
                },
                { kind: EntityKind.MERCHANT, id: `${prefix}-merchant`, amountUnits: round * 10_000, small: false },
              ],
              labelTargets: [{ kind: EntityKind.MERCHANT, id: `${prefix}-merchant` }],
            });
          }
        }
        const reference = new InMemoryFeatureState(DEFAULT_STATE_TUNING);
        const expected = events.map((event) => reference.applyOne(event));
        const live = new RedisFeatureState(redis, DEFAULT_STATE_TUNING);

        const actual = await live.apply(events);

        expect(actual).toEqual(expected);
        const hour = VELOCITY_WINDOWS.findIndex((window) => window.name === '1h');
        expect(actual.map(([card]) => card!.velocity[hour]!.count)).toEqual(
          events.map((_, i) => Math.floor(i / cards.length) + 1),
        );
        expect(actual.map(([, merchant]) => merchant!.velocity[hour]!.count)).toEqual(events.map((_, i) => i + 1));
        expect({ roundTrips: live.roundTrips, pipelines: live.pipelines }).toEqual({
          roundTrips: 1,
          pipelines: masters,
        });
      });
    },
  );
}
