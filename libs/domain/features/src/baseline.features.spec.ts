import type { NormalizedTransaction } from '@argus/contracts';
import { DAY, History, HOUR, MINUTE, NEW_YORK, T0, txn } from './testing/history.builder';

const TOKYO = { lat: 35.6762, lon: 139.6917, country: 'JP', city: 'Tokyo' };

/** The customer's past purchases (an hour apart, USD), then the one being scored. */
function after(pastMajor: readonly number[], current: Partial<NormalizedTransaction>) {
  const past = pastMajor.map((major, i) => txn({ event_time: T0 + i * HOUR, amount_minor: major * 100 }));
  return new History().addAll([...past, txn({ event_time: T0 + DAY, ...current })]);
}

describe('baseline features', () => {
  it('counts the customer’s earlier transactions', () => {
    expect(after([], {}).customer_history_count).toBe(0);
    expect(after([1, 2, 3, 4], {}).customer_history_count).toBe(4);
  });

  it('gives no amount z-score under three earlier transactions', () => {
    expect(after([10, 100], { amount_minor: 1_000_000 }).customer_amount_zscore).toBeNaN();
  });

  it('scores the log amount against the quantised log amounts of the history', () => {
    // History 10, 100, 1000 → 1000, 2000, 3000 thousandths of a decade: mean 2000, sd 1000·√(2/3).
    // 10 000 is 2000 above the mean: z = 2 / √(2/3) = √6; 1 is as far below; 100 is the mean.
    expect(after([10, 100, 1_000], { amount_minor: 1_000_000 }).customer_amount_zscore).toBeCloseTo(Math.sqrt(6), 12);
    expect(after([10, 100, 1_000], { amount_minor: 100 }).customer_amount_zscore).toBeCloseTo(-Math.sqrt(6), 12);
    expect(after([10, 100, 1_000], { amount_minor: 10_000 }).customer_amount_zscore).toBe(0);
  });

  it('floors the standard deviation at 50 thousandths of a decade for a perfectly regular customer', () => {
    // 20 after 10, 10, 10: log10(2) decades above a zero-spread mean, over 0.05.
    expect(after([10, 10, 10], { amount_minor: 2_000 }).customer_amount_zscore).toBeCloseTo(20 * Math.log10(2), 12);
    // 12 quantises to round(1079.18) = 1079: the same amount scores the rounding only.
    const twelve = after([12, 12, 12], { amount_minor: 1_200 }).customer_amount_zscore;
    expect(twelve).toBeCloseTo((Math.log10(12) * 1000 - 1079) / 50, 12);
  });

  it('scores a zero amount as 0, but remembers one as 0.0001 (−4 decades)', () => {
    expect(after([10, 100, 1_000], { amount_minor: 0 }).customer_amount_zscore).toBe(0);
    // History −4000, −4000, −4000 (sd floored at 50); 10 is 1000: (1000 + 4000) / 50.
    expect(after([0, 0, 0], { amount_minor: 1_000 }).customer_amount_zscore).toBe(100);
  });

  it('divides the amount by the centre of the median and p95 tenth-of-a-decade bins', () => {
    // 15, 150, 1500 fall in bins 11, 21, 31; their centres are 10^1.15, 10^2.15, 10^3.15.
    const f = after([15, 150, 1_500], { amount_minor: 30_000 });
    expect(f.customer_amount_to_median).toBeCloseTo(300 / 10 ** 2.15, 12);
    expect(f.customer_amount_to_p95).toBeCloseTo(300 / 10 ** 3.15, 12);
    // With an even count the median is the lower middle bin.
    expect(after([15, 15, 150, 1_500], { amount_minor: 1_500 }).customer_amount_to_median).toBeCloseTo(
      15 / 10 ** 1.15,
      12,
    );
  });

  it('has no amount ratios without history', () => {
    const f = after([], {});
    expect(f.customer_amount_to_median).toBeNaN();
    expect(f.customer_amount_to_p95).toBeNaN();
  });

  describe('hour share (local solar hour, ±1 hour)', () => {
    // Local hours 10 (New York at 15:00 UTC), 10, 18 and 22 (no geo: UTC).
    const past = [
      txn({ event_time: T0 + 15 * HOUR, geo: NEW_YORK }),
      txn({ event_time: T0 + 10 * HOUR }),
      txn({ event_time: T0 + 18 * HOUR }),
      txn({ event_time: T0 + 22 * HOUR }),
    ];
    const share = (current: Partial<NormalizedTransaction>) =>
      new History().addAll([...past, txn({ event_time: T0 + DAY, ...current })]).customer_hour_share;

    it('shifts UTC by longitude / 15', () => {
      // Tokyo, lon 139.69: +9 hours, so 01:00 UTC is 10:00 local.
      expect(share({ event_time: T0 + DAY + HOUR, geo: TOKYO })).toBe(0.5);
      expect(share({ event_time: T0 + DAY + HOUR })).toBe(0);
    });

    it('counts the hours either side, across midnight', () => {
      expect(share({ event_time: T0 + DAY + 23 * HOUR })).toBe(0.25);
      expect(share({ event_time: T0 + DAY + 17 * HOUR + 59 * MINUTE })).toBe(0.25);
      const night = [
        txn({ event_time: T0 + 23 * HOUR }),
        txn({ event_time: T0 + DAY }),
        txn({ event_time: T0 + 12 * HOUR }),
      ];
      const f = new History().addAll([...night, txn({ event_time: T0 + DAY + 30 * MINUTE })]);
      expect(f.customer_hour_share).toBeCloseTo(2 / 3, 15);
    });

    it('is NaN without history', () => {
      expect(new History().add().customer_hour_share).toBeNaN();
    });
  });

  describe('MCC share', () => {
    const past = ['5411', '5411', '5812', null].map((mcc, i) =>
      txn({ event_time: T0 + i * HOUR, merchant_category_code: mcc }),
    );
    const share = (mcc: string | null) =>
      new History().addAll([...past, txn({ event_time: T0 + DAY, merchant_category_code: mcc })]).customer_mcc_share;

    it('is the share of earlier transactions (with or without an MCC) in this category', () => {
      expect(share('5411')).toBe(0.5);
      expect(share('5812')).toBe(0.25);
    });

    it('is 0 for a new category and NaN without an MCC or history', () => {
      expect(share('7995')).toBe(0);
      expect(share(null)).toBeNaN();
      expect(new History().add().customer_mcc_share).toBeNaN();
    });
  });
});
