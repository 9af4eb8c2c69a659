import { CaseStoreErrorCode } from './case-store.errors';
import { dashboardWindow, DAY_MS, HOUR_MS, precision, rollupDecisions, scoreBand } from './case.dashboard';

const NOW = Date.UTC(2026, 11, 4, 10, 30, 0);

describe('dashboardWindow', () => {
  it('buckets by hour up to 72 hours, whole buckets from the window start to the one holding now', () => {
    const window = dashboardWindow(NOW, 24);
    expect(window.bucket).toBe('hour');
    expect(window.since).toBe(NOW - 24 * HOUR_MS);
    expect(new Date(window.from).toISOString()).toBe('2026-12-03T10:00:00.000Z');
    expect(window.starts).toHaveLength(25);
    expect(new Date(window.starts.at(-1)!).toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect(window.starts.every((start, i) => i === 0 || start - window.starts[i - 1]! === HOUR_MS)).toBe(true);
    expect(dashboardWindow(NOW, 72).bucket).toBe('hour');
  });

  it('buckets by UTC day beyond 72 hours', () => {
    const window = dashboardWindow(NOW, 73);
    expect(window.bucket).toBe('day');
    expect(window.bucketMs).toBe(DAY_MS);
    expect(window.starts.map((start) => new Date(start).toISOString().slice(0, 10))).toEqual([
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
    ]);
    expect(dashboardWindow(NOW, 720).starts).toHaveLength(31);
  });

  it('starts exactly at an hour when now is on one', () => {
    const onTheHour = Date.UTC(2026, 11, 4, 10, 0, 0);
    const window = dashboardWindow(onTheHour, 1);
    expect(window.starts).toEqual([onTheHour - HOUR_MS, onTheHour]);
  });

  it.each([0, 721, 1.5, Number.NaN])('refuses %p hours', (hours) => {
    expect(() => dashboardWindow(NOW, hours)).toThrow(
      expect.objectContaining({ code: CaseStoreErrorCode.INVALID_ARGUMENT }),
    );
  });
});

describe('scoreBand', () => {
  it.each([
    [0, '0-49'],
    [49, '0-49'],
    [50, '50-69'],
    [69, '50-69'],
    [70, '70-84'],
    [84, '70-84'],
    [85, '85-94'],
    [94, '85-94'],
    [95, '95-100'],
    [100, '95-100'],
    [null, 'unscored'],
  ] as const)('score %p is in band %s', (score, band) => {
    expect(scoreBand(score)).toBe(band);
  });
});

describe('precision', () => {
  it('is fraud over fraud and legitimate, null when neither', () => {
    expect(precision(3, 1)).toBe(0.75);
    expect(precision(0, 2)).toBe(0);
    expect(precision(0, 0)).toBeNull();
  });
});

describe('rollupDecisions', () => {
  it('groups per hour of decided_at and outcome, sums converted amounts, counts the unconverted, in key order', () => {
    const h = Date.UTC(2026, 11, 4, 9, 0, 0);
    expect(
      rollupDecisions([
        { decidedAt: h + 10 * HOUR_MS, outcome: 'REVIEW', amount: 5 },
        { decidedAt: h + 59 * 60_000, outcome: 'APPROVE', amount: 10 },
        { decidedAt: h, outcome: 'APPROVE', amount: 2.5 },
        { decidedAt: h + HOUR_MS, outcome: 'APPROVE', amount: 1 },
        { decidedAt: h + 30_000, outcome: 'BLOCK', amount: null },
        { decidedAt: h + 60_000, outcome: 'APPROVE', amount: null },
      ]),
    ).toEqual([
      { hour: h, outcome: 'APPROVE', decisions: 3, amount: 12.5, unconverted: 1 },
      { hour: h, outcome: 'BLOCK', decisions: 1, amount: 0, unconverted: 1 },
      { hour: h + HOUR_MS, outcome: 'APPROVE', decisions: 1, amount: 1, unconverted: 0 },
      { hour: h + 10 * HOUR_MS, outcome: 'REVIEW', decisions: 1, amount: 5, unconverted: 0 },
    ]);
  });
});
