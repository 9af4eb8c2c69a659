import type { RiskTier } from '@argus/contracts';

/** Below this probability every score is 0. */
export const SCORE_FLOOR_PROBABILITY = 1e-4;

/**
 * The 0–100 score of a calibrated probability, on a log scale so that the rare-event range is readable:
 * `clamp(floor(25 × (log10(max(p, 1e-4)) + 4) + 0.5), 0, 100)` — 1e-4 → 0, 0.1% → 25, 1% → 50, 10% → 75,
 * 100% → 100. Half-way values round up (as the trainer's `score_0_100`), so both sides agree on every p.
 */
export function scoreFromProbability(probability: number): number {
  const p = Math.max(probability, SCORE_FLOOR_PROBABILITY);
  const score = Math.floor(25 * (Math.log10(p) + 4) + 0.5);
  return Math.min(100, Math.max(0, score));
}

/** Lowest score of each tier above LOW (ascending). */
export interface RiskTierThresholds {
  readonly medium: number;
  readonly high: number;
  readonly critical: number;
}

/** MEDIUM from 1 %, HIGH from 10 %, CRITICAL from ~40 %: the default policy reviews at 75 and blocks at 90. */
export const DEFAULT_RISK_TIERS: RiskTierThresholds = Object.freeze({ medium: 50, high: 75, critical: 90 });

export function riskTier(score: number, tiers: RiskTierThresholds = DEFAULT_RISK_TIERS): RiskTier {
  if (score >= tiers.critical) return 'CRITICAL';
  if (score >= tiers.high) return 'HIGH';
  if (score >= tiers.medium) return 'MEDIUM';
  return 'LOW';
}

/** Thresholds must rise strictly inside 1–100. */
export function validRiskTiers(tiers: RiskTierThresholds): boolean {
  return 0 < tiers.medium && tiers.medium < tiers.high && tiers.high < tiers.critical && tiers.critical <= 100;
}
