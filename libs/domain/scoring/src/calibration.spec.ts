import { calibrate, type CalibrationMap } from './calibration';

const map: CalibrationMap = { method: 'isotonic', x: [0.1, 0.5, 0.9], y: [0.0, 0.2, 1.0] };

describe('calibrate', () => {
  it('clips below the first and above the last threshold', () => {
    expect(calibrate(map, 0)).toBe(0);
    expect(calibrate(map, 0.1)).toBe(0);
    expect(calibrate(map, 0.9)).toBe(1);
    expect(calibrate(map, 1)).toBe(1);
  });

  it('interpolates linearly inside a segment and hits the knots exactly', () => {
    expect(calibrate(map, 0.3)).toBeCloseTo(0.1, 15);
    expect(calibrate(map, 0.5)).toBe(0.2);
    expect(calibrate(map, 0.7)).toBeCloseTo(0.6, 15);
  });

  it('is constant with a single point', () => {
    expect(calibrate({ method: 'isotonic', x: [0.4], y: [0.03] }, 0.99)).toBe(0.03);
  });

  it('finds the right segment in a long map (binary search)', () => {
    const x = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const y = x.map((v) => v * v);
    const long: CalibrationMap = { method: 'isotonic', x, y };
    for (const p of [0.0005, 0.1234, 0.5, 0.77777, 0.9985]) {
      const j = Math.floor(p * 1000);
      const expected = y[j]! + ((y[j + 1]! - y[j]!) / (x[j + 1]! - x[j]!)) * (p - x[j]!);
      expect(calibrate(long, p)).toBeCloseTo(expected, 14);
    }
  });
});
