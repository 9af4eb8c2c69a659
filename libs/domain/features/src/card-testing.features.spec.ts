import type { NormalizedTransaction } from '@argus/contracts';
import { History, HOUR, MINUTE, SECOND, T0, type Features } from './testing/history.builder';

const SMALL = ['1m', '5m', '15m', '1h'].map((w) => `card_small_count_${w}`);
const smallCounts = (f: Features) => SMALL.map((name) => f[name]);

describe('card-testing features', () => {
  it.each([
    ['USD', 500, 1],
    ['USD', 501, 0],
    ['USD', 0, 1],
    ['JPY', 5, 1],
    ['JPY', 6, 0],
    ['BHD', 5_000, 1],
    ['BHD', 5_001, 0],
  ])('flags %s %d (minor units) as small: %d', (currency, amountMinor, small) => {
    expect(new History().add({ currency, amount_minor: amountMinor }).is_small_amount).toBe(small);
  });

  it('counts distinct merchants of the card by when each was last seen', () => {
    const history = new History();
    const at = (offset: number, merchant: string) => history.add({ event_time: T0 + offset, merchant_id: merchant });
    at(0, 'mer-1');
    at(5 * MINUTE, 'mer-2');
    const third = at(8 * MINUTE, 'mer-1');
    expect([third.card_distinct_merchants_10m, third.card_distinct_merchants_1h]).toEqual([2, 2]);
    const fourth = at(20 * MINUTE, 'mer-3');
    // mer-1 and mer-2 were last seen 12 and 15 minutes ago.
    expect([fourth.card_distinct_merchants_10m, fourth.card_distinct_merchants_1h]).toEqual([1, 3]);
  });

  it.each([
    ['10m', 10 * MINUTE, 2],
    ['10m', 10 * MINUTE + 1, 1],
    ['1h', HOUR, 2],
    ['1h', HOUR + 1, 1],
  ])('distinct merchants in %s: a merchant seen %d ms earlier gives %d', (window, gap, expected) => {
    const history = new History();
    history.add({ event_time: T0, merchant_id: 'mer-1' });
    const f = history.add({ event_time: T0 + gap, merchant_id: 'mer-2' });
    expect(f[`card_distinct_merchants_${window}`]).toBe(expected);
  });

  it('counts small amounts (≤ 5 major units) in 1m, 5m, 15m and 1h', () => {
    const history = new History();
    const at = (offset: number, amountMinor: number, more: Partial<NormalizedTransaction> = {}) =>
      history.add({ event_time: T0 + offset, amount_minor: amountMinor, ...more });
    at(0, 100);
    at(30 * SECOND, 500);
    at(2 * MINUTE, 501);
    expect(smallCounts(at(4 * MINUTE, 50))).toEqual([1, 3, 3, 3]);
    expect(smallCounts(at(14 * MINUTE, 300))).toEqual([1, 1, 4, 4]);
    const f = at(15 * MINUTE, 400);
    // The 15-minute window has let go of minute 0 (1.00 and 5.00) but keeps 5.01, which is not small.
    expect(smallCounts(f)).toEqual([1, 2, 3, 5]);
    expect(f.card_count_15m).toBe(4);
    // Another card's probes are not this card's.
    expect(smallCounts(at(15 * MINUTE + SECOND, 100, { card_id: 'card-2' }))).toEqual([1, 1, 1, 1]);
  });

  it('counts small amounts in their own currency', () => {
    const history = new History();
    history.add({ currency: 'JPY', amount_minor: 5 });
    history.add({ currency: 'BHD', amount_minor: 4_999, event_time: T0 + SECOND });
    const f = history.add({ currency: 'USD', amount_minor: 10_000, event_time: T0 + 2 * SECOND });
    expect(smallCounts(f)).toEqual([2, 2, 2, 2]);
  });
});
