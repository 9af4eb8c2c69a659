import { InvalidArgumentError } from 'commander';
import { formatRateSweep, highestRateMeetingTarget, parseRateList, runRateSweep, type SweepRow } from './rate.sweep';

function row(rate: number, p99_ms: number, errors = 0): SweepRow {
  return { rate, p50_ms: p99_ms / 4, p99_ms, p999_ms: p99_ms * 2, max_ms: p99_ms * 3, errors, throughput_per_s: rate };
}

describe('highestRateMeetingTarget', () => {
  it('is the highest rate whose P99 is within the target', () => {
    expect(highestRateMeetingTarget([row(500, 3), row(1_000, 8), row(2_000, 25)], 10)).toBe(1_000);
  });

  it('counts a P99 exactly at the target as meeting it', () => {
    expect(highestRateMeetingTarget([row(500, 3), row(1_000, 10)], 10)).toBe(1_000);
  });

  it('disqualifies a run with any error, however fast its answers', () => {
    expect(highestRateMeetingTarget([row(500, 3), row(1_000, 2, 1)], 10)).toBe(500);
  });

  it('judges each run on its own, whatever the order they ran in', () => {
    expect(highestRateMeetingTarget([row(4_000, 9), row(1_000, 2), row(2_000, 40)], 10)).toBe(4_000);
  });

  it('is null when no run meets the target, or there is no run', () => {
    expect(highestRateMeetingTarget([row(500, 11), row(1_000, 3, 2)], 10)).toBeNull();
    expect(highestRateMeetingTarget([], 10)).toBeNull();
  });
});

describe('runRateSweep', () => {
  it('runs every rate once, in the order given, and keeps each full result', async () => {
    const ran: number[] = [];
    const progress: number[] = [];
    const result = await runRateSweep({
      rates: [2_000, 500, 1_000],
      targetP99Ms: 10,
      pauseMs: 0,
      run: async (rate) => {
        ran.push(rate);
        return { ...row(rate, rate / 100), label: `run-${rate}` };
      },
      row: (run) => run,
      onRun: (done) => progress.push(done.rate),
    });
    expect(ran).toEqual([2_000, 500, 1_000]);
    expect(progress).toEqual(ran);
    expect(result.runs.map((run) => run.label)).toEqual(['run-2000', 'run-500', 'run-1000']);
    expect(result).toMatchObject({ highest_rate_meeting_target: 1_000, target_p99_ms: 10 });
  });

  it('judges the rows the caller derives, not the raw results', async () => {
    const result = await runRateSweep({
      rates: [500, 1_000],
      targetP99Ms: 10,
      pauseMs: 0,
      run: async (rate) => ({ ...row(rate, 1), undecided: rate === 1_000 ? 3 : 0 }),
      row: (run) => ({ ...run, errors: run.errors + run.undecided }),
    });
    expect(result.highest_rate_meeting_target).toBe(500);
  });
});

describe('parseRateList', () => {
  it('reads comma-separated positive integer rates', () => {
    expect(parseRateList('500, 1000,2000')).toEqual([500, 1_000, 2_000]);
  });

  it.each(['', '500,,1000', '500,abc', '0,100', '-5', '1.5', '500,500'])('rejects %p', (value) => {
    expect(() => parseRateList(value)).toThrow(InvalidArgumentError);
  });
});

describe('formatRateSweep', () => {
  it('prints one aligned line per rate and the verdict', () => {
    const runs = [
      { ...row(500, 4), cpu_ms_per_tx: 1.234, outcomes: { APPROVE: 480, REVIEW: 15, BLOCK: 5 } },
      row(1_000, 12, 3),
    ];
    const text = formatRateSweep(
      'sync path: rate sweep',
      { runs, highest_rate_meeting_target: 500, target_p99_ms: 10 },
      (r) => r,
    );
    expect(text.split('\n')).toEqual([
      'sync path: rate sweep',
      '  rate/s  P50 ms  P99 ms  P99.9 ms  max ms  errors  throughput/s  CPU ms/tx  APPROVE/REVIEW/BLOCK',
      '     500       1       4         8      12       0           500       1.23              480/15/5',
      '    1000       3      12        24      36       3          1000          —                     —',
      '  highest rate with P99 ≤ 10 ms and 0 errors: 500/s',
      '',
    ]);
  });

  it('says so when no rate met the target', () => {
    const text = formatRateSweep(
      't',
      { runs: [row(500, 40)], highest_rate_meeting_target: null, target_p99_ms: 10 },
      (r) => r,
    );
    expect(text).toContain('no rate met P99 ≤ 10 ms with 0 errors');
  });
});
