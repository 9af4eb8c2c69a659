import { LABEL_WINDOWS, VELOCITY_WINDOWS, type StateTuning, type WindowSpec } from './feature-state';

/**
 * The arithmetic both stores share: bucket indexes, how many buckets to keep, which buckets a window reads.
 * The Redis store passes these numbers to its script as arguments, so the Lua side never recomputes them.
 */

export function bucketIndex(timeMs: number, resolutionMs: number): number {
  return Math.floor(timeMs / resolutionMs);
}

/** Per resolution: the oldest bucket index still kept for an event at `timeMs` (older ones are pruned). */
export interface BucketPlan {
  readonly resolutionMs: number;
  readonly current: number;
  readonly oldestKept: number;
}

function plan(windows: readonly WindowSpec[], timeMs: number, toleranceMs: number): BucketPlan[] {
  const longest = new Map<number, number>();
  for (const w of windows) longest.set(w.resolutionMs, Math.max(longest.get(w.resolutionMs) ?? 0, w.buckets));
  return [...longest].map(([resolutionMs, buckets]) => {
    const current = bucketIndex(timeMs, resolutionMs);
    return { resolutionMs, current, oldestKept: current - buckets + 1 - Math.ceil(toleranceMs / resolutionMs) };
  });
}

export function velocityPlan(timeMs: number, tuning: StateTuning): BucketPlan[] {
  return plan(VELOCITY_WINDOWS, timeMs, tuning.outOfOrderToleranceMs);
}

export function labelPlan(timeMs: number, tuning: StateTuning): BucketPlan[] {
  return plan(LABEL_WINDOWS, timeMs, tuning.outOfOrderToleranceMs);
}

/** Bucket index range [from, to] a window reads for an event at `timeMs`. */
export function windowRange(window: WindowSpec, timeMs: number): { from: number; to: number } {
  const to = bucketIndex(timeMs, window.resolutionMs);
  return { from: to - window.buckets + 1, to };
}

/** Velocity bucket field name: resolution (ms) and bucket index. */
export function velocityField(resolutionMs: number, index: number): string {
  return `${resolutionMs}:${index}`;
}

export function parseVelocityField(field: string): { resolutionMs: number; index: number } {
  const colon = field.indexOf(':');
  return { resolutionMs: Number(field.slice(0, colon)), index: Number(field.slice(colon + 1)) };
}
