import { formatTable, LatencyRecorder } from './bench.report';

describe('formatTable', () => {
  it('aligns the values after the longest label', () => {
    expect(
      formatTable('title', [
        ['a', '1'],
        ['long label', '2'],
      ]),
    ).toBe('title\n  a           1\n  long label  2\n');
  });
});

describe('LatencyRecorder', () => {
  it('reports percentiles in ms at µs resolution, never above the maximum', () => {
    const recorder = new LatencyRecorder();
    for (let i = 1; i <= 1_000; i++) recorder.recordMs(i / 1_000 + 0.5);
    const { p50_ms, p99_ms, p999_ms, max_ms } = recorder.percentiles();
    expect(recorder.count).toBe(1_000);
    expect(p50_ms).toBeCloseTo(1, 2);
    expect(p99_ms).toBeLessThanOrEqual(p999_ms);
    expect(p999_ms).toBeCloseTo(1.499, 2);
    expect(p999_ms).toBeLessThanOrEqual(max_ms);
    expect(max_ms).toBeCloseTo(1.5, 2);
  });
});
