import type { Contribution, Decision, Outcome, Reason, RuleAction, RuleHit } from '@argus/contracts';
import type { DecideInput, DecisionPolicy, ModelScore, RaisedOutcome, ScoreBand } from './decision-policy.types';

/** Degradation codes this library adds to a decision. */
export const DegradedCode = {
  /** No usable model score: the policy's `fallback.missing_score` applied. */
  SCORE_UNAVAILABLE: 'SCORE_UNAVAILABLE',
  /** A score was given but was not a number in 0–100; it was ignored. */
  SCORE_INVALID: 'SCORE_INVALID',
  /** At least one rule failed at run time and did not fire; `fallback.rule_errors` applied. */
  RULE_ERROR: 'RULE_ERROR',
  /** Set by the caller: the score did not arrive within the budget. */
  SCORE_TIMEOUT: 'SCORE_TIMEOUT',
  /** Set by the caller: no model was serving (no champion loaded, or the scoring service is down). */
  MODEL_UNAVAILABLE: 'MODEL_UNAVAILABLE',
  /** Set by the feature stage: behavioural state (Redis) was unavailable; features are the transaction's own. */
  STATE_UNAVAILABLE: 'STATE_UNAVAILABLE',
  /** The score was computed from degraded features and `fallback.features_unavailable: rules_only` set it aside. */
  SCORE_SET_ASIDE: 'SCORE_SET_ASIDE',
} as const;
export type DegradedCode = (typeof DegradedCode)[keyof typeof DegradedCode];

/** Codes of the POLICY reasons: which part of the policy gave the outcome. */
export const PolicyReasonCode = {
  RULE_BLOCK: 'RULE_BLOCK',
  RULE_REVIEW: 'RULE_REVIEW',
  ALLOW_LIST: 'ALLOW_LIST',
  ALLOW_OVERRIDE: 'ALLOW_OVERRIDE',
  FLAG_ESCALATION: 'FLAG_ESCALATION',
  SCORE_BAND: 'SCORE_BAND',
  MISSING_SCORE_FLOOR: 'MISSING_SCORE_FLOOR',
  RULE_ERROR_FLOOR: 'RULE_ERROR_FLOOR',
  STATE_UNAVAILABLE_FLOOR: 'STATE_UNAVAILABLE_FLOOR',
  DEFAULT: 'DEFAULT',
} as const;
export type PolicyReasonCode = (typeof PolicyReasonCode)[keyof typeof PolicyReasonCode];

const SEVERITY: Readonly<Record<Outcome, number>> = { APPROVE: 0, REVIEW: 1, BLOCK: 2 };

const KNOWN_DEGRADATION: Readonly<Record<string, string>> = {
  SCORE_TIMEOUT: 'The model score did not arrive in time',
  MODEL_UNAVAILABLE: 'No model was serving',
  SCORE_UNAVAILABLE: 'No model score',
  SCORE_INVALID: 'The model score was not a number between 0 and 100 and was ignored',
  SCORE_SET_ASIDE: 'The model scored features computed without behavioural state; the policy set the score aside',
  STATE_UNAVAILABLE:
    'Behavioural state was unavailable: features are those the transaction alone carries (velocity, baseline, novelty and history features missing)',
};

/** Something in the policy that asks for an outcome above APPROVE. */
interface Proposal {
  readonly outcome: RaisedOutcome;
  readonly code: PolicyReasonCode;
  readonly message: string;
  readonly value: number | null;
  /** Rule-derived proposals are settled by rule_precedence; the others can be lifted by an allow-list hit. */
  readonly fromRules: boolean;
}

/**
 * Applies the policy to one transaction's rule hits and model score. Pure and deterministic: the same
 * input gives an identical decision (the caller passes `now`).
 *
 * 1. Among the rules that fired, the first action in `rule_precedence` decides (BLOCK/REVIEW give that
 *    outcome, ALLOW approves, FLAG alone does nothing).
 * 2. Flag escalation, the matching score bands and the fallbacks may each ask for REVIEW or BLOCK.
 * 3. When ALLOW decided among the rules, the requests from step 2 whose outcome is in `allow_overrides`
 *    are set aside (and said so in a POLICY reason).
 * 4. The most severe outcome asked for wins; with none, ALLOW approves, else `default_outcome` applies.
 */
export function decide(policy: DecisionPolicy, input: DecideInput): Decision {
  const { transaction } = input;
  const hits = [...input.hits].sort(byPrecedence(policy.rule_precedence));
  const degraded = uniqueInOrder(input.degraded ?? []);
  const stateless = degraded.includes(DegradedCode.STATE_UNAVAILABLE);
  const featuresMode = policy.fallback.features_unavailable;
  if (stateless && featuresMode !== 'use_score' && input.score !== null && input.score !== undefined)
    pushOnce(degraded, DegradedCode.SCORE_SET_ASIDE);
  const score = usableScore(stateless && featuresMode !== 'use_score' ? null : input.score, degraded);
  const ruleErrors = input.ruleErrors ?? [];
  if (ruleErrors.length > 0) pushOnce(degraded, DegradedCode.RULE_ERROR);

  const deciding = policy.rule_precedence.find((action) => hits.some((hit) => hit.action === action)) ?? null;
  const decidingHits = hits.filter((hit) => hit.action === deciding);
  const proposals = [
    ...ruleProposals(deciding, decidingHits),
    ...escalationProposals(policy, hits),
    ...scoreProposals(policy, score, transaction.channel),
    ...fallbackProposals(policy, score, ruleErrors.length, stateless),
  ];

  const allowed = deciding === 'ALLOW';
  const overridden = allowed ? proposals.filter((p) => !p.fromRules && policy.allow_overrides.includes(p.outcome)) : [];
  const standing = proposals.filter((p) => !overridden.includes(p));
  const outcome = finalOutcome(policy, standing, allowed);

  const reasons: Reason[] = [
    ...policyReasons(
      policy,
      outcome,
      standing,
      overridden,
      allowed ? decidingHits : [],
      allowed ? hits.filter(isRaisingHit) : [],
    ),
    ...hits.map((hit): Reason => ({ kind: 'RULE', code: hit.rule_id, message: hit.reason, value: null })),
    ...modelReasons(score, policy.top_factors, input.describeFactor),
    ...fallbackReasons(policy, degraded, ruleErrors),
  ];

  return {
    transaction_id: transaction.transaction_id,
    card_id: transaction.card_id,
    outcome,
    score: score === null ? null : Math.round(score.score),
    risk_tier: score?.risk_tier ?? null,
    probability: score?.probability ?? null,
    reasons,
    model_version: score?.model_version ?? null,
    rule_set_version: input.ruleSetVersion,
    policy_version: policy.policyVersion,
    degraded,
    timings: { event_time: transaction.event_time, ingested_at: transaction.ingested_at, decided_at: input.now },
    transaction,
    // The feature vector is named from the feature catalog by the pipeline's combine stage, which knows it.
    features: null,
  };
}

function usableScore(score: ModelScore | null | undefined, degraded: string[]): ModelScore | null {
  if (score === null || score === undefined) {
    pushOnce(degraded, DegradedCode.SCORE_UNAVAILABLE);
    return null;
  }
  if (!Number.isFinite(score.score) || score.score < 0 || score.score > 100) {
    pushOnce(degraded, DegradedCode.SCORE_INVALID);
    pushOnce(degraded, DegradedCode.SCORE_UNAVAILABLE);
    return null;
  }
  return score;
}

function ruleProposals(deciding: RuleAction | null, decidingHits: readonly RuleHit[]): Proposal[] {
  if (deciding !== 'BLOCK' && deciding !== 'REVIEW') return [];
  const ids = decidingHits.map((hit) => hit.rule_id).join(', ');
  return [
    {
      outcome: deciding,
      code: deciding === 'BLOCK' ? PolicyReasonCode.RULE_BLOCK : PolicyReasonCode.RULE_REVIEW,
      message: `${decidingHits.length === 1 ? 'Rule' : 'Rules'} ${ids} ${decidingHits.length === 1 ? 'requires' : 'require'} ${deciding}`,
      value: null,
      fromRules: true,
    },
  ];
}

function escalationProposals(policy: DecisionPolicy, hits: readonly RuleHit[]): Proposal[] {
  const escalation = policy.flag_escalation;
  const flags = hits.filter((hit) => hit.action === 'FLAG').length;
  if (escalation === null || flags < escalation.min_flags) return [];
  return [
    {
      outcome: escalation.outcome,
      code: PolicyReasonCode.FLAG_ESCALATION,
      message: `${flags} FLAG rules fired (${escalation.min_flags} or more escalate to ${escalation.outcome})`,
      value: flags,
      fromRules: false,
    },
  ];
}

function scoreProposals(policy: DecisionPolicy, score: ModelScore | null, channel: string): Proposal[] {
  if (score === null) return [];
  const matching = policy.score_bands.filter(
    (band) => score.score >= band.min_score && (band.channels === null || band.channels.some((c) => c === channel)),
  );
  const band = matching.reduce<ScoreBand | null>(
    (worst, next) => (worst === null || SEVERITY[next.outcome] > SEVERITY[worst.outcome] ? next : worst),
    null,
  );
  if (band === null) return [];
  const scope = band.channels === null ? '' : ` for ${band.channels.join('/')}`;
  return [
    {
      outcome: band.outcome,
      code: PolicyReasonCode.SCORE_BAND,
      message: `Model score ${formatNumber(score.score)} is at least ${formatNumber(band.min_score)}${scope}: ${band.outcome}`,
      value: score.score,
      fromRules: false,
    },
  ];
}

function fallbackProposals(
  policy: DecisionPolicy,
  score: ModelScore | null,
  ruleErrorCount: number,
  stateless: boolean,
): Proposal[] {
  const proposals: Proposal[] = [];
  const { missing_score: missingScore, rule_errors: ruleErrors, features_unavailable: featuresMode } = policy.fallback;
  if (stateless && featuresMode !== 'use_score' && featuresMode !== 'rules_only') {
    proposals.push({
      outcome: featuresMode,
      code: PolicyReasonCode.STATE_UNAVAILABLE_FLOOR,
      message: `Behavioural state was unavailable: the policy requires at least ${featuresMode}`,
      value: null,
      fromRules: false,
    });
  }
  // A score set aside for missing state is covered by the features fallback above, not counted twice.
  if (score === null && missingScore !== 'rules_only' && !(stateless && featuresMode !== 'use_score')) {
    proposals.push({
      outcome: missingScore,
      code: PolicyReasonCode.MISSING_SCORE_FLOOR,
      message: `No model score: the policy requires at least ${missingScore}`,
      value: null,
      fromRules: false,
    });
  }
  if (ruleErrorCount > 0 && ruleErrors !== 'continue') {
    proposals.push({
      outcome: ruleErrors,
      code: PolicyReasonCode.RULE_ERROR_FLOOR,
      message: `${ruleErrorCount} rule${ruleErrorCount === 1 ? '' : 's'} could not be evaluated: the policy requires at least ${ruleErrors}`,
      value: ruleErrorCount,
      fromRules: false,
    });
  }
  return proposals;
}

function finalOutcome(policy: DecisionPolicy, standing: readonly Proposal[], allowed: boolean): Outcome {
  if (standing.length === 0) return allowed ? 'APPROVE' : policy.default_outcome;
  return standing.reduce<Outcome>(
    (worst, proposal) => (SEVERITY[proposal.outcome] > SEVERITY[worst] ? proposal.outcome : worst),
    'APPROVE',
  );
}

function policyReasons(
  policy: DecisionPolicy,
  outcome: Outcome,
  standing: readonly Proposal[],
  overridden: readonly Proposal[],
  allowHits: readonly RuleHit[],
  outrankedHits: readonly RuleHit[],
): Reason[] {
  const reasons: Reason[] = standing
    .filter((p) => p.outcome === outcome)
    .map((p) => policyReason(p.code, p.message, p.value));
  if (allowHits.length > 0) {
    const ids = allowHits.map((hit) => hit.rule_id).join(', ');
    if (outcome === 'APPROVE')
      reasons.push(policyReason(PolicyReasonCode.ALLOW_LIST, `Allow-listed by ${ids}: APPROVE`, null));
    for (const hit of outrankedHits) {
      reasons.push(
        policyReason(
          PolicyReasonCode.ALLOW_OVERRIDE,
          `Allow-list (${ids}) ranks above ${hit.action} in rule_precedence: rule ${hit.rule_id} set aside`,
          null,
        ),
      );
    }
    for (const p of overridden) {
      reasons.push(
        policyReason(
          PolicyReasonCode.ALLOW_OVERRIDE,
          `Allow-list (${ids}) overrides ${p.outcome} from ${p.code}: ${p.message}`,
          p.value,
        ),
      );
    }
  }
  if (reasons.length === 0)
    reasons.push(
      policyReason(
        PolicyReasonCode.DEFAULT,
        `No rule, score band or fallback applies: default ${policy.default_outcome}`,
        null,
      ),
    );
  return reasons;
}

function isRaisingHit(hit: RuleHit): boolean {
  return hit.action === 'BLOCK' || hit.action === 'REVIEW';
}

function policyReason(code: PolicyReasonCode, message: string, value: number | null): Reason {
  return { kind: 'POLICY', code, message, value };
}

function modelReasons(
  score: ModelScore | null,
  topFactors: number,
  describe: DecideInput['describeFactor'] = () => null,
): Reason[] {
  if (score === null) return [];
  const model: Reason = {
    kind: 'MODEL',
    code: score.model_version,
    message: `Model score ${formatNumber(score.score)}/100, risk ${score.risk_tier}, probability ${formatNumber(score.probability)}`,
    value: score.score,
  };
  const factors = [...score.contributions]
    .filter((factor) => factor.contribution !== 0 && Number.isFinite(factor.contribution))
    .sort(byImpact)
    .slice(0, topFactors)
    .map((factor): Reason => ({
      kind: 'MODEL_FACTOR',
      code: factor.feature,
      message: `${describe(factor.feature, factor.value) ?? `${factor.feature} = ${formatNumber(factor.value)}`} ${factor.contribution > 0 ? 'raised' : 'lowered'} the risk (${factor.contribution > 0 ? '+' : ''}${formatNumber(factor.contribution)})`,
      value: factor.contribution,
    }));
  return [model, ...factors];
}

function fallbackReasons(
  policy: DecisionPolicy,
  degraded: readonly string[],
  ruleErrors: readonly { rule_id: string; message: string }[],
): Reason[] {
  const reasons: Reason[] = [];
  for (const code of degraded) {
    if (code === DegradedCode.RULE_ERROR) continue;
    let message = KNOWN_DEGRADATION[code] ?? `Degraded: ${code}`;
    if (code === DegradedCode.SCORE_UNAVAILABLE) {
      message +=
        policy.fallback.missing_score === 'rules_only'
          ? ': decided on rules only'
          : `: at least ${policy.fallback.missing_score}`;
    }
    if (code === DegradedCode.STATE_UNAVAILABLE) {
      const mode = policy.fallback.features_unavailable;
      message +=
        mode === 'use_score'
          ? '; the model scored what there was'
          : mode === 'rules_only'
            ? '; decided on rules only'
            : `; at least ${mode}`;
    }
    reasons.push({ kind: 'FALLBACK', code, message, value: null });
  }
  for (const error of ruleErrors) {
    reasons.push({
      kind: 'FALLBACK',
      code: DegradedCode.RULE_ERROR,
      message: `Rule ${error.rule_id} could not be evaluated: ${error.message}`,
      value: null,
    });
  }
  return reasons;
}

/** Rule reasons: the action that decides first (per rule_precedence), then priority descending, then id. */
function byPrecedence(precedence: readonly RuleAction[]): (a: RuleHit, b: RuleHit) => number {
  return (a, b) =>
    precedence.indexOf(a.action) - precedence.indexOf(b.action) ||
    b.priority - a.priority ||
    compareText(a.rule_id, b.rule_id);
}

function byImpact(a: Contribution, b: Contribution): number {
  return Math.abs(b.contribution) - Math.abs(a.contribution) || compareText(a.feature, b.feature);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Up to four decimals, no trailing zeros: stable text for the same number. */
function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
}

function uniqueInOrder(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function pushOnce(values: string[], value: string): void {
  if (!values.includes(value)) values.push(value);
}
