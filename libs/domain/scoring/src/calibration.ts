/**
 * The isotonic calibration map the trainer fits on its own period (`metadata.json` → `calibration`):
 * `x` strictly increasing raw probabilities, `y` non-decreasing calibrated ones.
 */
export interface CalibrationMap {
  readonly method: 'isotonic';
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/**
 * The calibrated probability of a raw one, exactly as the trainer's `apply_calibration` (its specification):
 * clip to `[x_0, x_n]`, then interpolate linearly on the segment `x_j <= p < x_{j+1}`; one point is constant.
 */
export function calibrate(map: CalibrationMap, raw: number): number {
  const { x, y } = map;
  const n = x.length;
  if (n === 1 || raw <= x[0]!) return y[0]!;
  if (raw >= x[n - 1]!) return y[n - 1]!;
  // Largest j with x[j] <= raw (bisect_right − 1): raw is strictly inside (x_0, x_n) here.
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= raw) lo = mid;
    else hi = mid;
  }
  const x0 = x[lo]!;
  const y0 = y[lo]!;
  return y0 + ((y[lo + 1]! - y0) / (x[lo + 1]! - x0)) * (raw - x0);
}
