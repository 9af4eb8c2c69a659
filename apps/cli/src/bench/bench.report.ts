import * as hdr from 'hdr-histogram-js';

/** A titled two-column text table, the format of every `argus bench` result. */
export function formatTable(title: string, rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${title}\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}\n`;
}

export interface Percentiles {
  readonly p50_ms: number;
  readonly p95_ms: number;
  readonly p99_ms: number;
  readonly p999_ms: number;
  readonly max_ms: number;
}

/** Latencies recorded in microseconds (1 µs to 10 min, 3 significant digits), reported in ms. */
export class LatencyRecorder {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });

  recordMs(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  percentiles(): Percentiles {
    // A percentile is reported as its bucket's upper edge: never above the exact maximum.
    const at = (percentile: number) =>
      Math.round(Math.min(this.histogram.getValueAtPercentile(percentile), this.histogram.maxValue)) / 1000;
    return {
      p50_ms: at(50),
      p95_ms: at(95),
      p99_ms: at(99),
      p999_ms: at(99.9),
      max_ms: Math.round(this.histogram.maxValue) / 1000,
    };
  }
}
