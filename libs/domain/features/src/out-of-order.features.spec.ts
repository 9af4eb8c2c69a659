import { DAY, History, HOUR, MINUTE, SECOND, T0, type Features } from './testing/history.builder';

const WINDOWS = ['1m', '5m', '15m', '1h', '1d', '7d', '30d'] as const;
const counts = (f: Features) => WINDOWS.map((w) => f[`card_count_${w}`]);

describe('out-of-order events (tolerance 10 min of event time)', () => {
  it('puts a late event in its own bucket: its windows exclude newer buckets, later windows include it', () => {
    const history = new History();
    history.add({ event_time: T0 + 10 * MINUTE });
    const late = history.add({ event_time: T0 });
    // Newer minute buckets are outside the late event's windows; hour and day buckets it shares are not.
    expect(counts(late)).toEqual([1, 1, 1, 1, 2, 2, 2]);

    const next = history.add({ event_time: T0 + 10 * MINUTE + 5 * SECOND });
    expect(counts(next)).toEqual([2, 2, 3, 3, 3, 3, 3]);
  });

  // The minute buckets of an event at T0 + n min reach back to minute n - 59; it keeps ten more (the tolerance).
  it.each([
    ['10 min late, sees the T0 event in its last hour', 69 * MINUTE, [1, 1, 1, 2, 2, 3, 3]],
    [
      '11 min late, finds its minute bucket pruned; only hour and day buckets keep it',
      70 * MINUTE,
      [1, 1, 1, 1, 2, 3, 3],
    ],
  ])('an event at T0 + 59 min arriving %s', (_why, newest, expected) => {
    const history = new History();
    history.add({ event_time: T0 });
    history.add({ event_time: T0 + newest });
    const late = history.add({ event_time: T0 + 59 * MINUTE });
    expect(counts(late)).toEqual(expected);
  });

  it.each([
    ['kept', 30 * DAY + MINUTE, 2],
    ['pruned', 31 * DAY, 1],
  ])('rounds the tolerance up to a whole bucket: a day bucket 30 days back is %s', (_state, newest, expected) => {
    const history = new History();
    history.add({ event_time: T0 });
    history.add({ event_time: T0 + newest });
    // Over an hour late, beyond the tolerance; the T0 event is in its 30-day window.
    const late = history.add({ event_time: T0 + 29 * DAY + 23 * HOUR });
    expect(late.card_count_30d).toBe(expected);
  });

  it('counts distinct members by last-seen time, so a late event also sees members seen after it', () => {
    const history = new History();
    history.add({ event_time: T0 + 10 * MINUTE, merchant_id: 'mer-1' });
    const late = history.add({ event_time: T0, merchant_id: 'mer-2' });
    // Unlike the velocity windows, which stop at the late event's own bucket.
    expect(late.card_distinct_merchants_10m).toBe(2);
    expect(late.card_count_5m).toBe(1);
  });

  it('keeps the latest event as the previous one and measures the gap either way', () => {
    const history = new History();
    history.add({ event_time: T0 + 10 * MINUTE });
    expect(history.add({ event_time: T0 }).card_seconds_since_previous).toBe(600);
    expect(history.add({ event_time: T0 + 11 * MINUTE }).card_seconds_since_previous).toBe(60);
  });
});
