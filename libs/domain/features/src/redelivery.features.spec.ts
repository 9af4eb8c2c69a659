import { History, HOUR, MINUTE, SECOND, T0, txn, type Features } from './testing/history.builder';

const ENTITY_COUNTS = ['card', 'customer', 'merchant', 'terminal', 'device'].map((e) => `${e}_count_7d`);
const entityCounts = (f: Features) => ENTITY_COUNTS.map((name) => f[name]);

describe('redelivery of a transaction (same transaction id)', () => {
  it('changes nothing within the dedup horizon', () => {
    const history = new History();
    const first = txn({ event_time: T0, amount_minor: 1_000 });
    const original = history.score(first);
    const again = history.scoreEvent(first, original.event);

    expect(original.snapshots.map((s) => s.duplicate)).toEqual([false, false, false, false, false]);
    expect(again.snapshots.map((s) => s.duplicate)).toEqual([true, true, true, true, true]);
    expect(entityCounts(again.features)).toEqual([1, 1, 1, 1, 1]);
    expect(again.features.card_amount_1d).toBe(10);
    expect(again.features.card_distinct_merchants_1h).toBe(1);

    const later = history.add({ event_time: T0 + 30 * SECOND, amount_minor: 500 });
    expect(entityCounts(later)).toEqual([2, 2, 2, 2, 2]);
    expect(later.card_amount_1m).toBe(15);
    expect(later.customer_history_count).toBe(1);
  });

  // Pinned as found, so that a change is deliberate: the redelivery reads the state its first delivery
  // left, so memories that exclude "this transaction" now include it, and its vector differs from the original.
  it('scores a redelivery against the state after its first delivery', () => {
    const history = new History();
    const first = txn({ event_time: T0 });
    const original = history.score(first).features;
    const again = history.score(first).features;
    expect([original.card_new_merchant, again.card_new_merchant]).toEqual([1, 0]);
    expect(original.card_seconds_since_previous).toBeNaN();
    expect(again.card_seconds_since_previous).toBe(0);
    expect([original.customer_history_count, again.customer_history_count]).toEqual([0, 1]);
  });

  it('counts it again once the entity has seen an event more than the horizon (1 h event time) later', () => {
    const history = new History();
    const first = txn({ event_time: T0 });
    const { event } = history.score(first);
    history.add({ event_time: T0 + HOUR + 1 });
    const again = history.scoreEvent(first, event);
    expect(again.snapshots.every((s) => !s.duplicate)).toBe(true);
    // The redelivery is counted a second time, in its own (old) buckets.
    expect(again.features.card_count_1h).toBe(2);
    expect(entityCounts(again.features)).toEqual([3, 3, 3, 3, 3]);
  });

  it('still recognises it when the later event is exactly the horizon later', () => {
    const history = new History();
    const first = txn({ event_time: T0 });
    const { event } = history.score(first);
    history.add({ event_time: T0 + HOUR });
    const again = history.scoreEvent(first, event);
    expect(again.snapshots.every((s) => s.duplicate)).toBe(true);
    expect(entityCounts(again.features)).toEqual([2, 2, 2, 2, 2]);
  });

  it('remembers ids per entity: only entities that moved on past the horizon count it again', () => {
    const history = new History();
    const first = txn({ event_time: T0 });
    const { event } = history.score(first);
    history.add({
      event_time: T0 + 61 * MINUTE,
      merchant_id: 'mer-2',
      terminal_id: 'term-2',
      device_fingerprint: 'dev-2',
    });
    const again = history.scoreEvent(first, event);
    expect(again.snapshots.map((s) => [s.kind, s.duplicate])).toEqual([
      ['card', false],
      ['customer', false],
      ['merchant', true],
      ['terminal', true],
      ['device', true],
    ]);
    expect(entityCounts(again.features)).toEqual([3, 3, 1, 1, 1]);
  });
});
