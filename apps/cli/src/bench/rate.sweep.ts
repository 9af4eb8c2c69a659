import { setTimeout as sleep } from 'node:timers/promises';
import type { Outcome } from '@argus/contracts';
import { InvalidArgumentError } from 'commander';

/** What a sweep needs from one fixed-rate run, whichever bench produced it. */
export interface SweepRow {
  readonly rate: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly p999_ms: number;
  readonly max_ms: number;
  /** Every request that did not get its answer: error responses, timeouts, undecided transactions. */
  readonly errors: number;
  readonly throughput_per_s: number;
  /** The pipeline's CPU per transaction (services and stack servers), when metered. */
  readonly cpu_ms_per_tx?: number | null;
  /** The decisions by outcome, when the bench counted them. */
  readonly outcomes?: Readonly<Record<Outcome, number>>;
}

export interface RateSweepResult<R> {
  /** The full result of each run, in the order run. */
  readonly runs: readonly R[];
  /** The highest rate whose P99 met the target with no errors; null when none did. */
  readonly highest_rate_meeting_target: number | null;
  readonly target_p99_ms: number;
}

export interface RateSweepOptions<R> {
  readonly rates: readonly number[];
  readonly targetP99Ms: number;
  /** Time between runs, so that one run's backlog (queues, sockets, consumer lag) does not weigh on the next. */
  readonly pauseMs: number;
  readonly run: (rate: number) => Promise<R>;
  readonly row: (result: R) => SweepRow;
  /** Called after each run, to show progress during a sweep that can take minutes. */
  readonly onRun?: (row: SweepRow) => void;
}

/**
 * Runs a fixed-rate bench at each rate in turn and finds the highest rate that meets the latency target.
 * Rates run in the order given, so a caller can start low and let the system warm up on the way.
 */
export async function runRateSweep<R>(options: RateSweepOptions<R>): Promise<RateSweepResult<R>> {
  const runs: R[] = [];
  for (const [index, rate] of options.rates.entries()) {
    if (index > 0 && options.pauseMs > 0) await sleep(options.pauseMs);
    const result = await options.run(rate);
    runs.push(result);
    options.onRun?.(options.row(result));
  }
  return {
    runs,
    highest_rate_meeting_target: highestRateMeetingTarget(runs.map(options.row), options.targetP99Ms),
    target_p99_ms: options.targetP99Ms,
  };
}

/**
 * The highest rate whose run had P99 ≤ target and no error at all. Any error disqualifies a run, because
 * latency percentiles are over answered requests only: a server shedding load with fast 429s or timing out
 * would otherwise look fast. A higher passing rate counts even when a lower one failed: each run is judged
 * on its own, and the table shows the failures beside it.
 */
export function highestRateMeetingTarget(rows: readonly SweepRow[], targetP99Ms: number): number | null {
  let highest: number | null = null;
  for (const row of rows) {
    const meets = row.errors === 0 && row.p99_ms <= targetP99Ms;
    if (meets && (highest === null || row.rate > highest)) highest = row.rate;
  }
  return highest;
}

/** Commander parser of `--sweep 500,1000,2000`: positive integer rates, each at most once. */
export function parseRateList(value: string): number[] {
  const rates = value.split(',').map((part) => Number(part.trim()));
  if (rates.length === 0 || rates.some((rate) => !Number.isInteger(rate) || rate <= 0)) {
    throw new InvalidArgumentError('must be a comma-separated list of positive integer rates, e.g. 500,1000,2000');
  }
  if (new Set(rates).size !== rates.length) throw new InvalidArgumentError('lists a rate more than once');
  return rates;
}

const COLUMNS: readonly (readonly [string, (row: SweepRow) => string])[] = [
  ['rate/s', (row) => String(row.rate)],
  ['P50 ms', (row) => String(row.p50_ms)],
  ['P99 ms', (row) => String(row.p99_ms)],
  ['P99.9 ms', (row) => String(row.p999_ms)],
  ['max ms', (row) => String(row.max_ms)],
  ['errors', (row) => String(row.errors)],
  ['throughput/s', (row) => String(row.throughput_per_s)],
  ['CPU ms/tx', (row) => (row.cpu_ms_per_tx == null ? '—' : row.cpu_ms_per_tx.toFixed(2))],
  [
    'APPROVE/REVIEW/BLOCK',
    (row) =>
      row.outcomes === undefined ? '—' : `${row.outcomes.APPROVE}/${row.outcomes.REVIEW}/${row.outcomes.BLOCK}`,
  ],
];

/** One line per rate, numbers right-aligned under their heading, then the verdict. */
export function formatRateSweep<R>(title: string, result: RateSweepResult<R>, row: (result: R) => SweepRow): string {
  const cells = [
    COLUMNS.map(([heading]) => heading),
    ...result.runs.map((run) => COLUMNS.map(([, cell]) => cell(row(run)))),
  ];
  const widths = COLUMNS.map((_, column) => Math.max(...cells.map((line) => line[column]!.length)));
  const lines = cells.map((line) => `  ${line.map((cell, column) => cell.padStart(widths[column]!)).join('  ')}`);
  const verdict =
    result.highest_rate_meeting_target === null
      ? `no rate met P99 ≤ ${result.target_p99_ms} ms with 0 errors`
      : `highest rate with P99 ≤ ${result.target_p99_ms} ms and 0 errors: ${result.highest_rate_meeting_target}/s`;
  return `${title}\n${lines.join('\n')}\n  ${verdict}\n`;
}
