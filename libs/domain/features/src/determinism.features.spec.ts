import type { NormalizedTransaction } from '@argus/contracts';
import { computeFeatures } from './feature.vector';
import { buildStateEvent } from './state-event.builder';
import { DAY, History, HOUR, LONDON, MINUTE, NEW_YORK, OPTIONS, T0, txn } from './testing/history.builder';

type Step = { readonly txn: NormalizedTransaction } | { readonly label: string; readonly at: number };

/** A mixed history: two cards, geo and none, a shared device, a payee, an out-of-order event, a redelivery, labels. */
function mixedHistory(): Step[] {
  const a = txn({ event_time: T0, geo: NEW_YORK, amount_minor: 2_500 });
  const b = txn({ event_time: T0 + 5 * MINUTE, card_id: 'card-2', customer_id: 'cus-2', amount_minor: 300 });
  const c = txn({ event_time: T0 + 2 * MINUTE, currency: 'JPY', amount_minor: 4_000, terminal_id: null });
  const d = txn({ event_time: T0 + 7 * HOUR, geo: LONDON, device_fingerprint: null, merchant_category_code: null });
  const e = txn({
    event_time: T0 + DAY,
    attributes: { payee_account: 'acct-9' },
    currency: 'BHD',
    amount_minor: 12_345,
  });
  const f = txn({ event_time: T0 + DAY + HOUR, card_id: 'card-2', attributes: { payee_account: 'acct-9' } });
  return [
    { txn: a },
    { txn: b },
    { txn: c },
    { txn: b },
    { label: a.transaction_id, at: T0 + 3 * HOUR },
    { txn: d },
    { label: 'unknown', at: T0 + 3 * HOUR },
    { txn: e },
    { label: c.transaction_id, at: T0 + DAY + 30 * MINUTE },
    { txn: f },
  ];
}

function replay(steps: readonly Step[]): number[][] {
  const history = new History();
  const vectors: number[][] = [];
  for (const step of steps) {
    if ('txn' in step) vectors.push(history.score(step.txn).values);
    else history.label(step.label, step.at);
  }
  return vectors;
}

describe('determinism', () => {
  it('gives identical vectors for the same history through two fresh stores, NaN included', () => {
    const steps = mixedHistory();
    const first = replay(steps);
    const second = replay(steps);
    const differences = first.flatMap((vector, i) =>
      vector.flatMap((value, j) => (Object.is(value, second[i]![j]) ? [] : [{ step: i, feature: j, value }])),
    );
    expect(differences).toEqual([]);
    expect(first.flat().some(Number.isNaN)).toBe(true);
    expect(first).toHaveLength(7);
  });

  it('gives the same snapshots through apply() as through applyOne()', async () => {
    const transactions = mixedHistory().flatMap((step) => ('txn' in step ? [step.txn] : []));
    const events = transactions.map((t) => buildStateEvent(t, OPTIONS));
    const batched = await new History().store.apply(events);
    const one = new History();
    expect(batched).toEqual(events.map((event) => one.store.applyOne(event)));
    const vectors = transactions.map((t, i) => computeFeatures(t, batched[i]!, OPTIONS));
    expect(vectors).toEqual(replay(transactions.map((t) => ({ txn: t }))));
  });
});
