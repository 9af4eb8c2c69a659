import type { Decision, Outcome } from '@argus/contracts';

/** What a replayed transaction really was: `fraud` null when the history does not say. */
export interface GroundTruth {
  readonly fraud: boolean | null;
  /** The simulator's scenario (`stolen_card`, `baseline`, `travel`…), when the history names one. */
  readonly scenario: string | null;
}

export interface OutcomeCounts {
  transactions: number;
  REVIEW: number;
  BLOCK: number;
}

export interface DetectionSummary {
  /** Transactions decided whose truth the history gives. */
  readonly known: number;
  readonly fraud: OutcomeCounts;
  readonly legitimate: OutcomeCounts;
  /** Share of frauds decided REVIEW or BLOCK. */
  readonly recall: number | null;
  /** Share of legitimate transactions decided REVIEW or BLOCK: the false-positive rate. */
  readonly falsePositiveRate: number | null;
  /** Of the transactions decided REVIEW or BLOCK, the share that were fraud. */
  readonly precision: number | null;
  /** Frauds by scenario, most frequent first. */
  readonly byScenario: ReadonlyArray<{ readonly scenario: string } & Readonly<OutcomeCounts>>;
  /** Legitimate transactions flagged, by scenario (e.g. `travel`, the surprise that fools naive rules). */
  readonly flaggedLegitimateByScenario: ReadonlyArray<{ readonly scenario: string; readonly flagged: number }>;
  /** Legitimate transactions flagged, by what stopped them (see stopDriver), most frequent first. */
  readonly flaggedLegitimateByDriver: ReadonlyArray<{ readonly driver: string; readonly flagged: number }>;
}

/**
 * What stopped a transaction, for a risk owner tuning the policy: the rule that required it (`rule
 * high-risk-mcc`), the score band (`score band`), or the policy code that decided (`FLAG_ESCALATION`).
 */
export function stopDriver(decision: Pick<Decision, 'reasons'>): string {
  const policy = decision.reasons.find((reason) => reason.kind === 'POLICY');
  if (policy?.code === 'RULE_REVIEW' || policy?.code === 'RULE_BLOCK') {
    const rule = decision.reasons.find((reason) => reason.kind === 'RULE');
    if (rule !== undefined) return `rule ${rule.code}`;
  }
  if (policy?.code === 'SCORE_BAND') return 'score band';
  return policy?.code ?? decision.reasons[0]?.code ?? 'no reason';
}

const empty = (): OutcomeCounts => ({ transactions: 0, REVIEW: 0, BLOCK: 0 });
const flagged = (counts: OutcomeCounts): number => counts.REVIEW + counts.BLOCK;
const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/**
 * Decisions against the ground truth of a replayed history: which frauds were stopped (REVIEW or BLOCK), by
 * scenario, and how many good customers were stopped with them.
 */
export class DetectionTally {
  private readonly fraud = empty();
  private readonly legitimate = empty();
  private readonly scenarios = new Map<string, OutcomeCounts>();
  private readonly flaggedLegitimate = new Map<string, number>();
  private readonly drivers = new Map<string, number>();

  /** `driver`: what stopped it (stopDriver), for REVIEW and BLOCK. */
  record(truth: GroundTruth, outcome: Outcome, driver = 'unknown'): void {
    if (truth.fraud === null) return;
    const counts = truth.fraud ? this.fraud : this.legitimate;
    counts.transactions += 1;
    if (outcome !== 'APPROVE') counts[outcome] += 1;
    const scenario = truth.scenario ?? '(none)';
    if (truth.fraud) {
      let byScenario = this.scenarios.get(scenario);
      if (byScenario === undefined) this.scenarios.set(scenario, (byScenario = empty()));
      byScenario.transactions += 1;
      if (outcome !== 'APPROVE') byScenario[outcome] += 1;
    } else if (outcome !== 'APPROVE') {
      this.flaggedLegitimate.set(scenario, (this.flaggedLegitimate.get(scenario) ?? 0) + 1);
      this.drivers.set(driver, (this.drivers.get(driver) ?? 0) + 1);
    }
  }

  summary(): DetectionSummary {
    const stopped = flagged(this.fraud) + flagged(this.legitimate);
    return {
      known: this.fraud.transactions + this.legitimate.transactions,
      fraud: { ...this.fraud },
      legitimate: { ...this.legitimate },
      recall: share(flagged(this.fraud), this.fraud.transactions),
      falsePositiveRate: share(flagged(this.legitimate), this.legitimate.transactions),
      precision: share(flagged(this.fraud), stopped),
      byScenario: [...this.scenarios]
        .map(([scenario, counts]) => ({ scenario, ...counts }))
        .sort((a, b) => b.transactions - a.transactions || a.scenario.localeCompare(b.scenario)),
      flaggedLegitimateByScenario: [...this.flaggedLegitimate]
        .map(([scenario, count]) => ({ scenario, flagged: count }))
        .sort((a, b) => b.flagged - a.flagged || a.scenario.localeCompare(b.scenario)),
      flaggedLegitimateByDriver: [...this.drivers]
        .map(([driver, count]) => ({ driver, flagged: count }))
        .sort((a, b) => b.flagged - a.flagged || a.driver.localeCompare(b.driver)),
    };
  }
}

const percent = (value: number | null, digits = 1): string =>
  value === null ? '—' : `${(value * 100).toFixed(digits)} %`;

/** The caught-fraud table the demo and `argus replay --track` print. */
export function formatDetection(summary: DetectionSummary): string {
  if (summary.known === 0) return '';
  const { fraud, legitimate } = summary;
  const lines = [
    `against the ground truth of the history (${summary.known} transactions whose truth it gives):`,
    `  frauds stopped (REVIEW or BLOCK): ${flagged(fraud)} of ${fraud.transactions} (${percent(summary.recall)}): ` +
      `REVIEW ${fraud.REVIEW}, BLOCK ${fraud.BLOCK}`,
    `  good customers stopped: ${flagged(legitimate)} of ${legitimate.transactions} ` +
      `(false-positive rate ${percent(summary.falsePositiveRate, 2)}): REVIEW ${legitimate.REVIEW}, BLOCK ${legitimate.BLOCK}`,
    `  precision of REVIEW + BLOCK: ${percent(summary.precision)}`,
  ];
  if (summary.byScenario.length > 0) {
    const width = Math.max(...summary.byScenario.map((s) => s.scenario.length), 'scenario'.length);
    lines.push(`  ${'scenario'.padEnd(width)}  frauds  stopped  REVIEW  BLOCK`);
    for (const s of summary.byScenario) {
      const stopped = `${flagged(s)} (${percent(share(flagged(s), s.transactions), 0)})`;
      lines.push(
        `  ${s.scenario.padEnd(width)}  ${String(s.transactions).padStart(6)}  ${stopped.padStart(7)}  ${String(s.REVIEW).padStart(6)}  ${String(s.BLOCK).padStart(5)}`,
      );
    }
  }
  if (summary.flaggedLegitimateByScenario.length > 0) {
    lines.push(
      `  good customers stopped, by what they were doing: ${summary.flaggedLegitimateByScenario
        .map((s) => `${s.scenario} ${s.flagged}`)
        .join(', ')}`,
    );
  }
  if (summary.flaggedLegitimateByDriver.length > 0) {
    lines.push(
      `  good customers stopped, by what stopped them: ${summary.flaggedLegitimateByDriver
        .slice(0, 6)
        .map((d) => `${d.driver} ${d.flagged}`)
        .join(', ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
