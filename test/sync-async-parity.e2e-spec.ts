/**
 * The gateway (POST /v1/decisions, in process) and the Kafka path (ingestion → feature → rules ∥ scoring →
 * combiner) give the same decision for the same transactions and state.
 *
 * The same history is sent twice, once down each path, as two mirror copies whose cards, customers,
 * merchants, terminals and devices carry a different prefix: each copy builds its own behavioural state in
 * Redis, identical to the other's. Transactions go one at a time (each decided before the next is sent) so
 * both copies see their state in the same order. Decisions are compared field by field, ids mapped back.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Decision, Transaction } from '@argus/contracts';
import type { KafkaRuntime } from '@argus/kafka';
import {
  getFromEveryProcess,
  loadStackSettings,
  seededRandom,
  stackUrls,
  startTestKafka,
  syntheticTransaction,
  TopicCollector,
  waitFor,
} from '@argus/testing';
import { DEMO_WORLD, simulateDemoWorld } from '../apps/cli/src/demo/demo.world';
import { ensureDemoChampion } from '../apps/cli/src/models/demo.model';

const settings = loadStackSettings();
const urls = stackUrls(settings);
const GATEWAY = 'http://127.0.0.1:18106';
const API_KEY = 'argus-demo-key';
const run = randomUUID().slice(0, 8);
const COUNT = 60;

/** The same transaction with every entity id (and the transaction id) under a copy's prefix. */
function mirror(transaction: Transaction, copy: 'kafka' | 'gateway'): Transaction {
  const p = (id: string | null) => (id === null ? null : `${copy}-${run}-${id}`);
  return {
    ...transaction,
    transaction_id: p(transaction.transaction_id)!,
    card_id: p(transaction.card_id),
    customer_id: p(transaction.customer_id)!,
    merchant_id: p(transaction.merchant_id)!,
    terminal_id: p(transaction.terminal_id),
    device_fingerprint: p(transaction.device_fingerprint),
  };
}

/** What must be equal: everything but timings and the transaction record, with the copy prefix removed. */
function comparable(decision: Decision, copy: 'kafka' | 'gateway') {
  const unprefix = (text: string) => text.split(`${copy}-${run}-`).join('');
  return {
    transaction_id: unprefix(decision.transaction_id),
    outcome: decision.outcome,
    score: decision.score,
    risk_tier: decision.risk_tier,
    model_version: decision.model_version,
    rule_set_version: decision.rule_set_version,
    policy_version: decision.policy_version,
    degraded: decision.degraded,
    reasons: decision.reasons.map((reason) => ({
      ...reason,
      code: unprefix(reason.code),
      message: unprefix(reason.message),
    })),
    // A REVIEW or BLOCK carries the vector it was decided on: the same one through both doors.
    features: decision.features,
  };
}

describe('sync gateway and async path parity', () => {
  let kafka: KafkaRuntime;
  let decisions: TopicCollector<'decisions'>;
  let champion: string;

  beforeAll(async () => {
    const world = await simulateDemoWorld(join(settings.repoRoot, '.argus', 'e2e-parity-world'), DEMO_WORLD);
    champion = await ensureDemoChampion(settings.repoRoot, urls.postgresUrl, world, () => undefined, {
      anyChampion: true,
    });
    kafka = await startTestKafka(settings, 'e2e-parity', run, ['transactions', 'decisions']);
    decisions = new TopicCollector(kafka.kafka, kafka.serde, 'decisions', (decision) =>
      decision.transaction_id.includes(run),
    );
    await decisions.start();
  }, 600_000);

  afterAll(async () => {
    await decisions?.stop();
    await kafka?.stop();
  });

  async function viaGateway(transaction: Transaction): Promise<Decision> {
    const response = await fetch(`${GATEWAY}/v1/decisions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(transaction),
    });
    expect(response.status).toBe(200);
    // The gateway publishes the full decision on `decisions` after answering: compare that record.
    return decidedOnTopic(transaction.transaction_id);
  }

  async function viaKafka(transaction: Transaction): Promise<Decision> {
    await kafka.producer.send('transactions', [{ key: transaction.card_id!, value: transaction }]);
    return decidedOnTopic(transaction.transaction_id);
  }

  async function decidedOnTopic(transactionId: string): Promise<Decision> {
    const find = () => decisions.records.find((record) => record.value.transaction_id === transactionId)?.value;
    await waitFor(() => find() !== undefined, { timeoutMs: 30_000, intervalMs: 20, description: transactionId });
    return find()!;
  }

  it('gives identical decisions for the same transactions and state', async () => {
    // Both paths must serve the champion before the comparison starts (they poll the registry).
    // Each probe is a new transaction: a repeated id would get the first answer back, whatever serves now.
    let probes = 0;
    await waitFor(
      async () => {
        const probe = syntheticTransaction(probes++, seededRandom(1), { runId: `probe-${run}` });
        const response = await fetch(`${GATEWAY}/v1/decisions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify(probe),
        });
        // Every scoring process (ARGUS_SERVICES_REPLICAS): each polls the registry on its own.
        const served = await getFromEveryProcess<{ champion: string | null }>(
          settings,
          'scoring',
          '/v1/scoring/models',
        );
        return (
          response.status === 200 &&
          ((await response.json()) as { model_version: string | null }).model_version === champion &&
          served.every((models) => models.champion === champion)
        );
      },
      { timeoutMs: 30_000, intervalMs: 500, description: `the gateway to serve ${champion}` },
    );

    const random = seededRandom(2026);
    const start = Date.now() - 60_000;
    const history = Array.from({ length: COUNT }, (_, i) => {
      const transaction = syntheticTransaction(i, random, {
        runId: 'parity',
        cards: 8,
        merchants: 6,
        eventTime: start + i * 1_000,
      });
      // A few that rules must catch: a sanctioned merchant country, and large e-commerce amounts.
      if (i % 17 === 5) return { ...transaction, merchant_country: 'IR' };
      if (i % 13 === 7) return { ...transaction, channel: 'ECOMMERCE' as const, amount_minor: 250_000 };
      return transaction;
    });

    const pairs: { kafka: Decision; gateway: Decision }[] = [];
    for (const transaction of history) {
      pairs.push({
        kafka: await viaKafka(mirror(transaction, 'kafka')),
        gateway: await viaGateway(mirror(transaction, 'gateway')),
      });
    }

    for (const pair of pairs) expect(comparable(pair.gateway, 'gateway')).toEqual(comparable(pair.kafka, 'kafka'));
    // The comparison means something: the model scored them, rules fired, and more than one outcome occurred.
    expect(pairs.every((pair) => pair.kafka.model_version === champion)).toBe(true);
    expect(pairs.some((pair) => pair.kafka.reasons.some((reason) => reason.kind === 'RULE'))).toBe(true);
    expect(new Set(pairs.map((pair) => pair.kafka.outcome)).size).toBeGreaterThan(1);
    expect(pairs.every((pair) => pair.kafka.degraded.length === 0)).toBe(true);
  }, 600_000);
});
