import type { Decision, Outcome, Reason, StepUpMethod } from '@argus/contracts';

/** The challenges a REVIEW asks the processor to run before it authorises. */
export const STEP_UP_METHODS: readonly StepUpMethod[] = ['THREE_DS', 'OTP'];

export interface StepUpChallenge {
  readonly required: true;
  readonly methods: readonly StepUpMethod[];
}

/** The answer of POST /v1/decisions (snake_case, as every Argus contract). */
export interface DecisionResponse {
  readonly transaction_id: string;
  readonly outcome: Outcome;
  readonly score: number | null;
  readonly risk_tier: string | null;
  readonly reasons: readonly Reason[];
  /** What was missing when deciding (SCORE_TIMEOUT, STATE_UNAVAILABLE, …): the decision says so. */
  readonly degraded: readonly string[];
  readonly model_version: string | null;
  readonly rule_set_version: string;
  readonly policy_version: string;
  /** REVIEW: authenticate the cardholder (3-D Secure or OTP) and report the outcome to /v1/step-up-results. */
  readonly step_up: StepUpChallenge | null;
  /** Time spent in the gateway on the first answer (a retry returns the first answer as it was). */
  readonly latency_ms: number;
}

/** The HTTP answer for a decision. The tokenised transaction stays out of it: the caller sent it. */
export function toDecisionResponse(decision: Decision, latencyMs: number): DecisionResponse {
  return {
    transaction_id: decision.transaction_id,
    outcome: decision.outcome,
    score: decision.score,
    risk_tier: decision.risk_tier,
    reasons: decision.reasons,
    degraded: decision.degraded,
    model_version: decision.model_version,
    rule_set_version: decision.rule_set_version,
    policy_version: decision.policy_version,
    step_up: decision.outcome === 'REVIEW' ? { required: true, methods: STEP_UP_METHODS } : null,
    latency_ms: Math.round(latencyMs * 1000) / 1000,
  };
}
