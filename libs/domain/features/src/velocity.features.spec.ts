import { DAY, History, HOUR, MINUTE, SECOND, T0, txn } from './testing/history.builder';

describe('velocity features', () => {
  it('counts and sums per card, customer, device, merchant and terminal, this transaction included', () => {
    const history = new History();
    history.add({ event_time: T0, amount_minor: 1_000 });
    const b = history.add({
      event_time: T0 + 20 * SECOND,
      amount_minor: 2_000,
      device_fingerprint: 'dev-2',
      merchant_id: 'mer-2',
      terminal_id: null,
    });
    expect([b.card_count_1m, b.card_amount_1m]).toEqual([2, 30]);
    expect([b.customer_count_1m, b.customer_amount_1m]).toEqual([2, 30]);
    expect([b.device_count_1m, b.device_amount_1m]).toEqual([1, 20]);
    expect([b.merchant_count_1m, b.merchant_amount_1m]).toEqual([1, 20]);

    const c = history.add({ event_time: T0 + 30 * SECOND, amount_minor: 500, card_id: 'card-2' });
    expect([c.card_count_1m, c.card_amount_1m]).toEqual([1, 5]);
    expect([c.customer_count_1m, c.customer_amount_1m]).toEqual([3, 35]);
    expect([c.device_count_1m, c.device_amount_1m]).toEqual([2, 15]);
    expect([c.merchant_count_1m, c.merchant_amount_1m]).toEqual([2, 15]);
    expect([c.terminal_count_1m, c.terminal_amount_1m]).toEqual([2, 15]);
    expect([c.card_count_30d, c.customer_count_30d, c.terminal_count_30d]).toEqual([1, 3, 2]);
  });

  it('says NaN, not 0, for an entity the transaction does not have', () => {
    const f = new History().add({ device_fingerprint: null, terminal_id: null });
    for (const window of ['1m', '5m', '15m', '1h', '1d', '7d', '30d']) {
      expect(f[`device_count_${window}`]).toBeNaN();
      expect(f[`device_amount_${window}`]).toBeNaN();
      expect(f[`terminal_count_${window}`]).toBeNaN();
      expect(f[`terminal_amount_${window}`]).toBeNaN();
    }
    expect(f.card_count_1m).toBe(1);
  });

  it('sums amounts of JPY and BHD in their major units', () => {
    const history = new History();
    history.add({ currency: 'JPY', amount_minor: 1_500 });
    const f = history.add({ currency: 'JPY', amount_minor: 2_500, event_time: T0 + SECOND });
    expect(f.card_amount_1m).toBe(4_000);
    const bhd = new History().add({ currency: 'BHD', amount_minor: 1_234 });
    expect(bhd.card_amount_1m).toBe(1.234);
  });

  // Pinned as found: sums add major units of whatever currency each transaction was in, with no conversion.
  it('adds major units across currencies for an entity paying in several', () => {
    const history = new History();
    history.add({ currency: 'USD', amount_minor: 1_000 });
    const f = history.add({ currency: 'JPY', amount_minor: 1_500, event_time: T0 + SECOND, card_id: 'card-2' });
    expect(f.customer_amount_1m).toBe(1_510);
  });

  // A window of n buckets reads the event's own bucket and the n - 1 before it (buckets aligned to the UTC
  // epoch): an earlier event counts when its bucket is one of those, however many seconds apart they are.
  it.each([
    ['1m', '59.999 s earlier, in the first of its six buckets', 0, MINUTE - 1, 2],
    ['1m', '60 s earlier, seven buckets back', 0, MINUTE, 1],
    ['1m', 'only 50.001 s earlier, but its bucket has left', 10 * SECOND - 1, MINUTE, 1],
    ['5m', 'in the minute bucket the window starts with', 0, 5 * MINUTE - 1, 2],
    ['5m', 'only 4 min 0.001 s earlier, but its bucket has left', MINUTE - 1, 5 * MINUTE, 1],
    ['15m', 'in the first bucket', 0, 15 * MINUTE - 1, 2],
    ['15m', 'one bucket too old', 0, 15 * MINUTE, 1],
    ['1h', 'in the first bucket', 0, HOUR - 1, 2],
    ['1h', 'only 59 min 0.001 s earlier, but its bucket has left', MINUTE - 1, HOUR, 1],
    ['1d', 'in the UTC hour the window starts with', 0, DAY - 1, 2],
    ['1d', 'only 23 h 01 min earlier, but its UTC hour has left', 59 * MINUTE, DAY, 1],
    ['7d', 'in the UTC day the window starts with', 0, 7 * DAY - 1, 2],
    ['7d', 'only 6 d 00 h 01 min earlier, but its UTC day has left', DAY - MINUTE, 7 * DAY, 1],
    ['30d', 'in the first UTC day', 0, 30 * DAY - 1, 2],
    ['30d', 'only 29 d and 1 ms earlier, but its UTC day has left', DAY - 1, 30 * DAY, 1],
  ])('%s window, an event %s', (window, _why, earlier, later, expected) => {
    const history = new History();
    history.add({ event_time: T0 + earlier, amount_minor: 1_000 });
    const f = history.add({ event_time: T0 + later, amount_minor: 100 });
    expect(f[`card_count_${window}`]).toBe(expected);
    expect(f[`card_amount_${window}`]).toBe(expected === 2 ? 11 : 1);
    expect(f[`merchant_count_${window}`]).toBe(expected);
  });

  it('reads every window from the same buckets of one history', () => {
    const history = new History();
    const times = [T0, T0 + 50 * SECOND, T0 + 4 * MINUTE, T0 + 14 * MINUTE, T0 + 59 * MINUTE, T0 + 23 * HOUR];
    const all = times.map((at) => txn({ event_time: at }));
    const f = history.addAll([...all, txn({ event_time: T0 + 6 * DAY + 23 * HOUR })]);
    expect(['1m', '5m', '15m', '1h', '1d', '7d', '30d'].map((w) => f[`card_count_${w}`])).toEqual([
      1, 1, 1, 1, 1, 7, 7,
    ]);
    const g = new History().addAll(all);
    expect(['1m', '5m', '15m', '1h', '1d', '7d', '30d'].map((w) => g[`card_count_${w}`])).toEqual([
      1, 1, 1, 1, 6, 6, 6,
    ]);
  });
});
