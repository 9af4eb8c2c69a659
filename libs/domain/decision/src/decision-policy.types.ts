import type { Channel, Contribution, NormalizedTransaction, Outcome, RuleAction, RuleHit } from '@argus/contracts';

/** An outcome that raises a decision: a band, an escalation or a fallback never lowers one to APPROVE. */
export type RaisedOutcome = Exclude<Outcome, 'APPROVE'>;

export interface ScoreBand {
  /** Inclusive, 0–100. */
  readonly min_score: number;
  readonly outcome: RaisedOutcome;
  /** The band applies to these channels only; null: to every channel. */
  readonly channels: readonly Channel[] | null;
}

export interface FlagEscalation {
  /** This many FLAG hits or more… */
  readonly min_flags: number;
  /** …give this outcome. */
  readonly outcome: RaisedOutcome;
}

/** `rules_only` fails open (the rules alone decide); an outcome fails closed to at least that outcome. */
export type FallbackMode = 'rules_only' | RaisedOutcome;
export type RuleErrorMode = 'continue' | RaisedOutcome;
/**
 * When behavioural state was unavailable (features from the transaction alone): `use_score` keeps the model's
 * score (fail open), `rules_only` sets it aside (the rules decide, fail open), an outcome fails closed.
 */
export type FeaturesFallbackMode = 'use_score' | 'rules_only' | RaisedOutcome;

export interface DecisionPolicy {
  readonly name: string;
  /** As declared in the file. */
  readonly version: string;
  /** `<name>@<version>+<first 12 hex of sha256 of the text>`: stamped on every decision. */
  readonly policyVersion: string;
  readonly sourceName: string;
  readonly description: string | null;
  /** Strongest first; decides between rules that fired together. BLOCK always ranks above REVIEW. */
  readonly rule_precedence: readonly RuleAction[];
  /** What an allow-list hit (ALLOW deciding among the rules) also overrides: flag escalation, score bands, fallbacks. */
  readonly allow_overrides: readonly RaisedOutcome[];
  readonly flag_escalation: FlagEscalation | null;
  readonly score_bands: readonly ScoreBand[];
  readonly fallback: {
    readonly missing_score: FallbackMode;
    readonly features_unavailable: FeaturesFallbackMode;
    readonly rule_errors: RuleErrorMode;
  };
  readonly default_outcome: Outcome;
  /** How many model factors (largest |contribution| first) the decision explains. */
  readonly top_factors: number;
}

export interface ModelScore {
  /** 0–100. */
  readonly score: number;
  readonly probability: number;
  readonly model_version: string;
  readonly risk_tier: string;
  readonly contributions: readonly Contribution[];
}

export interface RuleErrorInput {
  readonly rule_id: string;
  readonly message: string;
}

export interface DecideInput {
  readonly transaction: NormalizedTransaction;
  readonly ruleSetVersion: string;
  readonly hits: readonly RuleHit[];
  /** Null or absent when the model did not answer (the policy's fallback applies). */
  readonly score?: ModelScore | null;
  /** What the caller already knows was missing (e.g. SCORE_TIMEOUT); kept, in order, on the decision. */
  readonly degraded?: readonly string[];
  /** Rules that failed at run time (they did not fire); the policy's `fallback.rule_errors` applies. */
  readonly ruleErrors?: readonly RuleErrorInput[];
  /** Decision time, epoch millis: passed in so that the same input always gives the same decision. */
  readonly now: number;
  /**
   * A model factor in an analyst's words ("no terminal on this payment"), or null when there are none; without
   * it (or on null) a factor reads `feature = value`.
   */
  readonly describeFactor?: (feature: string, value: number) => string | null;
}
