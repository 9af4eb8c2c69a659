import { payeeOf } from '@argus/features';
import { batches, FeatureTraffic, type Population } from './feature-traffic.generator';

const POPULATION: Population = { runId: 'bench-0000abcd', cards: 500, merchants: 100, payees: 20 };
const T0 = Date.UTC(2026, 10, 1);

function sample(seed: number, count: number) {
  const traffic = new FeatureTraffic(POPULATION, seed);
  return Array.from({ length: count }, (_, i) => traffic.next(T0 + i * 1_000));
}

describe('FeatureTraffic', () => {
  it('sends the same traffic for the same seed, other traffic for another', () => {
    expect(sample(7, 200)).toEqual(sample(7, 200));
    expect(sample(8, 200)).not.toEqual(sample(7, 200));
  });

  it('prefixes every id with the run id and stays inside the population', () => {
    for (const txn of sample(1, 2_000)) {
      const ids = [txn.transaction_id, txn.card_id, txn.customer_id, txn.merchant_id];
      for (const id of [...ids, txn.terminal_id, txn.device_fingerprint, payeeOf(txn)]) {
        if (id !== null) expect(id.startsWith(`${POPULATION.runId}-`)).toBe(true);
      }
      expect(Number(txn.card_id.split('-').at(-1))).toBeLessThan(POPULATION.cards);
      expect(Number(txn.merchant_id.split('-').at(-1))).toBeLessThan(POPULATION.merchants);
      expect(txn.amount_minor).toBeGreaterThan(0);
    }
  });

  it('mixes card present (with a terminal), remote (with a device) and transfers (with a payee)', () => {
    const all = sample(3, 2_000);
    const share = (keep: (n: (typeof all)[number]) => boolean) => all.filter(keep).length / all.length;
    expect(share((t) => t.channel === 'CARD_PRESENT' && t.terminal_id !== null)).toBeCloseTo(0.5, 1);
    expect(share((t) => t.device_fingerprint !== null)).toBeCloseTo(0.45, 1);
    expect(share((t) => payeeOf(t) !== null)).toBeCloseTo(0.05, 1);
  });

  it('gives every card the same number of transactions in a history, in event time order', () => {
    const history = [...new FeatureTraffic(POPULATION, 5).history(3, 3 * 86_400_000, T0)];
    expect(history).toHaveLength(3 * POPULATION.cards);
    const perCard = new Map<string, number>();
    for (const txn of history) perCard.set(txn.card_id, (perCard.get(txn.card_id) ?? 0) + 1);
    expect(new Set(perCard.values())).toEqual(new Set([3]));
    expect(history.every((txn, i) => i === 0 || txn.event_time >= history[i - 1]!.event_time)).toBe(true);
    expect(history[0]!.event_time).toBe(T0 - 3 * 86_400_000);
    expect(history.at(-1)!.event_time).toBeLessThan(T0);
  });
});

describe('batches', () => {
  it('cuts in order, the last one shorter', () => {
    expect([...batches([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...batches([], 3)]).toEqual([]);
  });
});
