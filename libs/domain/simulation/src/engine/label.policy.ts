import { Channel, LabelSource, LabelValue } from '@argus/contracts';
import type { Rng } from '../random/seeded.random';
import type { LabelDraft } from './transaction.draft';

const HOUR_MS = 3_600_000;
const SECOND_MS = 1000;

/** A skewed (log-normal) delay, kept within [minHours, maxHours]. */
export interface DelaySpec {
  readonly medianHours: number;
  readonly sigma: number;
  readonly minHours: number;
  readonly maxHours: number;
}

/**
 * How a fraud scenario's cases become known: a share through an analyst (alert, customer call: hours), the
 * rest through a chargeback (the cardholder disputes after reading a statement: days). One report covers a
 * whole case (a victim's card in one episode) and comes after the case's last transaction.
 */
export interface FraudLabelPolicy {
  readonly analystShare: number;
  readonly analyst: DelaySpec;
  readonly chargeback: DelaySpec;
}

/** Chargebacks: 2 to 30 days, median a week. */
export const CHARGEBACK_DELAY: DelaySpec = { medianHours: 7 * 24, sigma: 0.7, minHours: 48, maxHours: 30 * 24 };
/** An analyst confirming an alert or a customer's call: half an hour to three days, median six hours. */
export const ANALYST_DELAY: DelaySpec = { medianHours: 6, sigma: 1, minHours: 0.5, maxHours: 72 };
/** A 3-D Secure / OTP challenge the customer passed: 20 seconds to 15 minutes. */
export const STEP_UP_DELAY: DelaySpec = { medianHours: 1.5 / 60, sigma: 0.6, minHours: 20 / 3600, maxHours: 0.25 };
/** An analyst clearing a legitimate alert after calling the customer. */
export const LEGIT_REVIEW_DELAY: DelaySpec = { medianHours: 4, sigma: 0.9, minHours: 0.5, maxHours: 48 };

export const fraudPolicy = (analystShare: number, analyst = ANALYST_DELAY): FraudLabelPolicy => ({
  analystShare,
  analyst,
  chargeback: CHARGEBACK_DELAY,
});

/** Delay in whole seconds (as millis): resampled a few times when outside the range, then clamped. */
export function drawDelayMs(spec: DelaySpec, rng: Rng): number {
  let hours = rng.lognormal(spec.medianHours, spec.sigma);
  for (let k = 0; k < 4 && (hours < spec.minHours || hours > spec.maxHours); k++) {
    hours = rng.lognormal(spec.medianHours, spec.sigma);
  }
  hours = Math.min(spec.maxHours, Math.max(spec.minHours, hours));
  return Math.round((hours * HOUR_MS) / SECOND_MS) * SECOND_MS;
}

export function fraudLabel(policy: FraudLabelPolicy, rng: Rng, lastEventTime: number): LabelDraft {
  const analyst = rng.chance(policy.analystShare);
  return {
    value: LabelValue.FRAUD,
    source: analyst ? LabelSource.ANALYST : LabelSource.CHARGEBACK,
    reportedAt: lastEventTime + drawDelayMs(analyst ? policy.analyst : policy.chargeback, rng),
  };
}

/** Remote payments are confirmed by a step-up challenge, payments in person by an analyst's call. */
export function legitLabel(channel: Channel, rng: Rng, eventTime: number): LabelDraft {
  const remote = channel === Channel.ECOMMERCE || channel === Channel.MOBILE || channel === Channel.BANK_TRANSFER;
  return {
    value: LabelValue.LEGITIMATE,
    source: remote ? LabelSource.STEP_UP : LabelSource.ANALYST,
    reportedAt: eventTime + drawDelayMs(remote ? STEP_UP_DELAY : LEGIT_REVIEW_DELAY, rng),
  };
}
