import { EntityKind, LabelOutcome } from '@argus/contracts';
import { DAY, History, HOUR, MINUTE, T0, txn, type Features } from './testing/history.builder';

const ENTITIES = ['merchant', 'terminal', 'device'] as const;
const labels30d = (f: Features) => ENTITIES.map((e) => f[`${e}_fraud_labels_30d`]);
const merchantRates = (f: Features) => ['1d', '7d', '30d'].map((w) => f[`merchant_fraud_rate_${w}`]);

describe('label-risk features', () => {
  it('counts a FRAUD label against the merchant, terminal and device of its transaction', () => {
    const history = new History();
    const fraud = txn({ event_time: T0 });
    history.score(fraud);
    expect(history.label(fraud.transaction_id, T0 + 2 * HOUR)).toBe(LabelOutcome.COUNTED);
    const f = history.add({ event_time: T0 + 3 * HOUR, card_id: 'card-2' });
    expect(labels30d(f)).toEqual([1, 1, 1]);
    // One label over the two transactions of each entity in each window.
    for (const entity of ENTITIES) {
      expect(['1d', '7d', '30d'].map((w) => f[`${entity}_fraud_rate_${w}`])).toEqual([0.5, 0.5, 0.5]);
    }
  });

  it('is NaN for an entity the transaction lacks, and counts nothing against an entity it lacked', () => {
    const history = new History();
    const fraud = txn({ event_time: T0, device_fingerprint: null });
    history.score(fraud);
    history.label(fraud.transaction_id, T0 + HOUR);
    const withDevice = history.add({ event_time: T0 + 2 * HOUR });
    expect(labels30d(withDevice)).toEqual([1, 1, 0]);
    const bare = history.add({ event_time: T0 + 3 * HOUR, terminal_id: null, device_fingerprint: null });
    expect(labels30d(bare)).toEqual([1, Number.NaN, Number.NaN]);
    expect(bare.terminal_fraud_rate_1d).toBeNaN();
    expect(bare.device_fraud_rate_30d).toBeNaN();
  });

  it('does not count a label for transactions scored before it became known', () => {
    const history = new History();
    const fraud = txn({ event_time: T0 });
    history.score(fraud);
    const before = history.add({ event_time: T0 + 4 * HOUR });
    history.label(fraud.transaction_id, T0 + 5 * HOUR);
    const after = history.add({ event_time: T0 + 6 * HOUR });
    expect([before.merchant_fraud_labels_30d, after.merchant_fraud_labels_30d]).toEqual([0, 1]);
  });

  it('counts a label by its report day: not for an event of an earlier day, even if applied after the label', () => {
    const history = new History();
    const fraud = txn({ event_time: T0 });
    history.score(fraud);
    history.label(fraud.transaction_id, T0 + DAY + HOUR);
    expect(history.add({ event_time: T0 + 23 * HOUR }).merchant_fraud_labels_30d).toBe(0);
    expect(history.add({ event_time: T0 + DAY }).merchant_fraud_labels_30d).toBe(1);
  });

  // Pinned as found: buckets are whole days, so within its report day a label already applied counts for an
  // event whose time is before the report (a backfill must interleave labels and transactions by time).
  it('counts a label already applied for an earlier event of its report day', () => {
    const history = new History();
    const fraud = txn({ event_time: T0 });
    history.score(fraud);
    history.label(fraud.transaction_id, T0 + 5 * HOUR);
    expect(history.add({ event_time: T0 + 4 * HOUR }).merchant_fraud_labels_30d).toBe(1);
  });

  it('answers UNKNOWN_TRANSACTION for a transaction it never saw and ALREADY_COUNTED for a second label', () => {
    const history = new History();
    const fraud = txn({ event_time: T0 });
    history.score(fraud);
    expect(history.label('never-seen', T0 + HOUR)).toBe(LabelOutcome.UNKNOWN_TRANSACTION);
    expect(history.label(fraud.transaction_id, T0 + HOUR)).toBe(LabelOutcome.COUNTED);
    expect(history.label(fraud.transaction_id, T0 + 2 * HOUR)).toBe(LabelOutcome.ALREADY_COUNTED);
    expect(history.add({ event_time: T0 + 3 * HOUR }).merchant_fraud_labels_30d).toBe(1);
  });

  it.each([
    [120 * DAY, LabelOutcome.COUNTED],
    [120 * DAY + 1, LabelOutcome.UNKNOWN_TRANSACTION],
  ])('keeps a transaction findable for 120 days: a label %d ms later is %s', (delay, outcome) => {
    const history = new History();
    const fraud = txn({ event_time: T0 });
    history.score(fraud);
    expect(history.label(fraud.transaction_id, T0 + delay)).toBe(outcome);
  });

  // The label is reported at 23:00 on day 0; windows are whole UTC days ending with the scored event's day.
  it.each([
    ['the same day', 23 * HOUR + 30 * MINUTE, [1, 1, 1], [0.5, 0.5, 0.5]],
    ['the next day', DAY, [0, 1, 1], [0, 0.5, 0.5]],
    ['the last moment of day 6', 7 * DAY - 1, [0, 1, 1], [0, 0.5, 0.5]],
    ['day 7', 7 * DAY, [0, 0, 1], [0, 0, 0.5]],
    ['the last moment of day 29', 30 * DAY - 1, [0, 0, 1], [0, 0, 0.5]],
    ['day 30', 30 * DAY, [0, 0, 0], [0, 0, 0]],
  ])('label windows seen from %s', (_when, offset, labels, rates) => {
    const history = new History();
    const fraud = txn({ event_time: T0 });
    history.score(fraud);
    history.label(fraud.transaction_id, T0 + 23 * HOUR);
    const scored = history.score(txn({ event_time: T0 + offset }));
    const merchant = scored.snapshots.find((s) => s.kind === EntityKind.MERCHANT)!;
    expect(merchant.fraudLabels).toEqual(labels);
    expect(merchantRates(scored.features)).toEqual(rates);
    expect(scored.features.merchant_fraud_labels_30d).toBe(labels[2]);
  });

  // Pinned as found: labels are counted by report day, transactions by event time, so old fraud reported
  // today can push the "rate" above 1.
  it('can exceed 1 when labels for older transactions arrive together', () => {
    const history = new History();
    const old = [0, 1, 2].map((i) => txn({ event_time: T0 + i * MINUTE, card_id: `card-${i}` }));
    for (const t of old) history.score(t);
    for (const t of old) history.label(t.transaction_id, T0 + 10 * DAY);
    const f = history.add({ event_time: T0 + 10 * DAY + HOUR });
    expect(f.merchant_fraud_labels_30d).toBe(3);
    expect(merchantRates(f)).toEqual([3, 3, 0.75]);
  });
});
