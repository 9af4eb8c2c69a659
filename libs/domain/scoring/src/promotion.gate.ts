/** The headline metrics of one evaluation, as `argus eval --json` prints them. */
export interface EvaluationHeadline {
  readonly auc: number;
  readonly average_precision: number;
  readonly card_precision_at_100: number;
  readonly recall_at_fpr: Readonly<Record<string, number>>;
}

/** An evaluation of a model on a test window, with the rules-only baseline on the same rows. */
export interface ModelEvaluation extends EvaluationHeadline {
  readonly rules_baseline: EvaluationHeadline;
  readonly test_from: string;
  readonly test_to: string;
}

export interface GateThresholds {
  /** How much lower than the reference a metric may be and still pass (absolute). */
  readonly tolerance: number;
}

export const DEFAULT_GATE: GateThresholds = Object.freeze({ tolerance: 0.005 });

export interface GateResult {
  readonly pass: boolean;
  /** One line per check, passed or failed, for the operator and the status trail. */
  readonly checks: readonly string[];
}

const GATED = ['auc', 'average_precision', 'card_precision_at_100'] as const;
const RECALL_KEY = '0.001';

function compare(
  candidate: EvaluationHeadline,
  reference: EvaluationHeadline,
  referenceName: string,
  tolerance: number,
): { pass: boolean; checks: string[] } {
  const checks: string[] = [];
  let pass = true;
  const pairs: [string, number, number][] = GATED.map((key) => [key, candidate[key], reference[key]]);
  pairs.push([
    `recall@${RECALL_KEY}fpr`,
    candidate.recall_at_fpr[RECALL_KEY] ?? Number.NaN,
    reference.recall_at_fpr[RECALL_KEY] ?? Number.NaN,
  ]);
  for (const [name, mine, theirs] of pairs) {
    const ok = mine >= theirs - tolerance;
    pass &&= ok;
    checks.push(`${ok ? 'pass' : 'FAIL'} ${name} ${mine.toFixed(4)} vs ${referenceName} ${theirs.toFixed(4)}`);
  }
  return { pass, checks };
}

/**
 * Whether a candidate may serve: it must beat the rules-only baseline on its own test window (AUC, average
 * precision, card precision@100, recall at 0.1 % FPR, each at least the baseline's) and, when there is a
 * champion evaluated on the same window, be no worse than it by more than the tolerance on each of them.
 * A champion evaluated on another window cannot be compared: the gate fails and says so.
 */
export function promotionGate(
  candidate: ModelEvaluation,
  champion: ModelEvaluation | null,
  thresholds: GateThresholds = DEFAULT_GATE,
): GateResult {
  const baseline = compare(candidate, candidate.rules_baseline, 'rules', 0);
  if (champion === null) return baseline;
  if (champion.test_from !== candidate.test_from || champion.test_to !== candidate.test_to) {
    return {
      pass: false,
      checks: [
        ...baseline.checks,
        `FAIL the champion was evaluated on [${champion.test_from}, ${champion.test_to}), the candidate on ` +
          `[${candidate.test_from}, ${candidate.test_to}): evaluate both on the same window (argus eval --model)`,
      ],
    };
  }
  const versus = compare(candidate, champion, 'champion', thresholds.tolerance);
  return { pass: baseline.pass && versus.pass, checks: [...baseline.checks, ...versus.checks] };
}
