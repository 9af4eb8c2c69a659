import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import {
  DEFAULT_STATE_TUNING,
  LabelOutcome,
  type NormalizedTransaction,
  type Outcome,
  type StateTuning,
  type Transaction,
} from '@argus/contracts';
import {
  buildStateEvent,
  computeFeatures,
  FEATURE_CATALOG,
  FEATURE_LOGIC_VERSION,
  FEATURE_NAMES,
  FEATURE_SCHEMA_HASH,
  InMemoryFeatureState,
} from '@argus/features';
import { decide, parsePolicy, type DecisionPolicy } from '@argus/decision';
import {
  buildRuleContext,
  evaluate,
  parseRuleSet,
  type RuleContext,
  type RuleEvaluation,
  type RuleSet,
} from '@argus/rules';
import {
  currencyExponent,
  normaliseTransaction,
  PanTokeniser,
  TransactionValidationError,
  type ValidationLimits,
} from '@argus/transaction';
import { SingleBar } from 'cli-progress';
import { stringify } from 'csv-stringify/sync';
import { tokenisedTimeline, type TimelineLabel } from '../history/history.timeline';

/** What a replay of a history needs: the file, how to read it, and the live semantics to reproduce. */
export interface HistoryReplayOptions {
  readonly file: string;
  readonly format: string;
  readonly labelsFile?: string;
  readonly limit?: number;
  /** Only the history before this time (epoch ms): later rows are neither computed nor counted. */
  readonly until?: number;
  readonly tuning?: StateTuning;
  /** Largest accepted amount in major units, as ingestion's ARGUS_MAX_AMOUNT_MAJOR (rows above it are rejected). */
  readonly maxAmountMajor?: number;
  readonly panTokenKey: string;
  readonly panTokenKeyId: string;
}

/** One step of a replayed history. */
export type ReplayItem =
  | {
      readonly kind: 'transaction';
      readonly line: number;
      /** As ingestion would have published it. */
      readonly transaction: NormalizedTransaction;
      /** The feature vector the feature service would have emitted, in FEATURE_NAMES order; NaN when missing. */
      readonly values: readonly number[];
      /** The transaction's eventual label (known later than the transaction). */
      readonly label: TimelineLabel | null;
    }
  /** A FRAUD label reaching the feature state; `counted` when it changed the label-risk counters. */
  | { readonly kind: 'fraud-label'; readonly counted: boolean }
  /** A row the mapping or ingestion's validation refused. */
  | { readonly kind: 'rejected'; readonly line: number; readonly reason: string };

export interface BackfillOptions extends HistoryReplayOptions {
  /** The training table (CSV); its schema goes to `<out>.schema.json`. */
  readonly out: string;
  readonly progress: boolean;
  /** The rule set and policy whose rules-only decision becomes the table's baseline (`rules_action`). */
  readonly rulesFile: string;
  readonly policyFile: string;
}

export interface BackfillSummary {
  readonly rows: number;
  readonly written: number;
  readonly rejected: readonly { line: number; reason: string }[];
  readonly fraud_rows: number;
  readonly labelled_rows: number;
  readonly fraud_labels_applied: number;
  readonly seconds: number;
  readonly rows_per_second: number;
  readonly features: number;
  /** Resident memory at the end (MB): the in-memory feature state grows with the population. */
  readonly rss_mb: number;
  readonly schema_hash: string;
  readonly schema_file: string;
  /** Versions of the rule set and policy behind `rules_action`. */
  readonly rule_set_version: string;
  readonly policy_version: string;
  readonly scenarios: Readonly<Record<string, { rows: number; fraud: number }>>;
}

/** Columns before the features: identity, time, label, and what the row is (for evaluation by scenario). */
const LEADING_COLUMNS = [
  'transaction_id',
  'event_time',
  'card_id',
  'customer_id',
  'merchant_id',
  'amount_minor',
  'currency',
  'label',
  'label_source',
  'label_reported_at',
  'scenario',
  'channel',
  'rules_action',
  'rules_fired',
] as const;

const ROWS_PER_WRITE = 2_000;
/** History is history: any age is fine, and "now" is the event's own time. Amount limits stay ingestion's. */
const HISTORY_AGE_LIMITS = { maxAgeDays: 365 * 100, maxFutureMinutes: 1 };

/** Ingestion's validation limits for a history: its amount limit, any age. */
export function historyLimits(maxAmountMajor?: number): Partial<ValidationLimits> {
  return { ...HISTORY_AGE_LIMITS, ...(maxAmountMajor ? { maxAmountMajor } : {}) };
}

/**
 * A history's transaction as ingestion would have published it at its own event time. Throws
 * TransactionValidationError for what ingestion would have refused.
 */
export function asIngested(
  transaction: Transaction,
  tokeniser: PanTokeniser,
  limits: Partial<ValidationLimits>,
): NormalizedTransaction {
  return normaliseTransaction(transaction, { source: 'KAFKA', now: transaction.event_time, tokeniser, limits });
}

function labelCells(label: TimelineLabel | null): [string, string, string] {
  if (label === null) return ['', '', ''];
  return [label.fraud ? '1' : '0', label.source, new Date(label.reportedAt).toISOString()];
}

/** A feature vector as rule conditions read it: by name, missing features absent (so `has()` is false). */
export function featureRecord(values: readonly number[]): Record<string, number> {
  const features: Record<string, number> = {};
  values.forEach((value, i) => {
    if (!Number.isNaN(value)) features[FEATURE_NAMES[i]!] = value;
  });
  return features;
}

/**
 * What a rule set and a policy decide with no model score: the transaction-phase rules (score rules cannot
 * run without a score) and the policy's rules-only path. The backfill baseline and `argus rules test` both
 * decide through here, so a backtest and the training table's `rules_action` agree row for row.
 */
export function rulesOnlyDecision(
  ruleSet: RuleSet,
  policy: DecisionPolicy,
  transaction: NormalizedTransaction,
  context: RuleContext,
): { readonly outcome: Outcome; readonly evaluation: RuleEvaluation } {
  const evaluation = evaluate(ruleSet, context, 'transaction');
  const decision = decide(policy, {
    transaction,
    ruleSetVersion: evaluation.ruleSetVersion,
    hits: evaluation.hits,
    score: null,
    ruleErrors: evaluation.errors,
    now: transaction.event_time,
  });
  return { outcome: decision.outcome, evaluation };
}

/** The production rules and policy with no model score: the rules-only baseline evaluation compares with. */
class RulesBaseline {
  private readonly ruleSet: RuleSet;
  private readonly policy: DecisionPolicy;

  constructor(rulesFile: string, policyFile: string) {
    this.ruleSet = parseRuleSet(readFileSync(rulesFile, 'utf8'), rulesFile);
    this.policy = parsePolicy(readFileSync(policyFile, 'utf8'), policyFile);
  }

  get versions(): { ruleSet: string; policy: string } {
    return { ruleSet: this.ruleSet.version, policy: this.policy.version };
  }

  /** [outcome, fired rule ids joined by ';'] for one transaction and its features (missing ones absent). */
  decide(transaction: NormalizedTransaction, values: readonly number[]): [string, string] {
    const context = buildRuleContext(transaction, { features: featureRecord(values) });
    const { outcome, evaluation } = rulesOnlyDecision(this.ruleSet, this.policy, transaction, context);
    return [outcome, evaluation.hits.map((hit) => hit.rule_id).join(';')];
  }
}

/**
 * Replays a history with the live feature code: the timeline (transactions in file order, labels at the
 * moment they became known) drives `@argus/features` over an in-memory state with the live semantics, so
 * every transaction comes out with exactly the vector the feature service would have emitted at that moment.
 * The one loop behind `argus backfill` and `argus rules test`.
 */
export async function* replayHistory(options: HistoryReplayOptions): AsyncGenerator<ReplayItem> {
  const tokeniser = new PanTokeniser({ keyId: options.panTokenKeyId, key: Buffer.from(options.panTokenKey, 'utf8') });
  const state = new InMemoryFeatureState(options.tuning ?? DEFAULT_STATE_TUNING);
  const featureOptions = { currencyExponent };
  const limits = historyLimits(options.maxAmountMajor);
  for await (const item of tokenisedTimeline(options, tokeniser)) {
    if (item.kind === 'rejected') {
      yield item;
      continue;
    }
    if (item.kind === 'label') {
      if (options.until !== undefined && item.label.reportedAt >= options.until) continue;
      // Only FRAUD labels change feature state (label-risk counters); a LEGITIMATE one is a no-op live too.
      if (item.label.fraud) {
        const outcome = state.applyLabel({
          transactionId: item.label.transactionId,
          reportedAt: item.label.reportedAt,
        });
        yield { kind: 'fraud-label', counted: outcome === LabelOutcome.COUNTED };
      }
      continue;
    }
    if (options.until !== undefined && item.transaction.event_time >= options.until) continue;
    let transaction: NormalizedTransaction;
    try {
      transaction = asIngested(item.transaction, tokeniser, limits);
    } catch (error) {
      if (!(error instanceof TransactionValidationError)) throw error;
      yield { kind: 'rejected', line: item.line, reason: error.message };
      continue;
    }
    const snapshots = state.applyOne(buildStateEvent(transaction, featureOptions));
    const values = computeFeatures(transaction, snapshots, featureOptions);
    yield { kind: 'transaction', line: item.line, transaction, values, label: item.label };
  }
}

/**
 * Turns a history into a training table: one row per transaction of the replay (see `replayHistory`), with
 * its eventual label and the rules-only baseline beside the features.
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillSummary> {
  const started = performance.now();
  const baseline = new RulesBaseline(options.rulesFile, options.policyFile);
  const out = createWriteStream(options.out);
  out.write(stringify([[...LEADING_COLUMNS, ...FEATURE_NAMES]]));
  const bar = options.progress
    ? new SingleBar({ format: 'backfill |{bar}| {value} rows  {rate}/s', stream: process.stderr })
    : undefined;
  bar?.start(options.limit ?? 0, 0, { rate: 0 });

  const rejected: { line: number; reason: string }[] = [];
  const scenarios: Record<string, { rows: number; fraud: number }> = {};
  let rows = 0;
  let written = 0;
  let fraudRows = 0;
  let labelledRows = 0;
  let fraudLabelsApplied = 0;
  let pending: unknown[][] = [];

  const flush = async () => {
    if (pending.length === 0) return;
    if (!out.write(stringify(pending))) await once(out, 'drain');
    written += pending.length;
    pending = [];
    const elapsed = (performance.now() - started) / 1000;
    bar?.update(rows, { rate: Math.round(rows / Math.max(elapsed, 0.001)) });
  };

  for await (const item of replayHistory(options)) {
    if (item.kind === 'fraud-label') {
      if (item.counted) fraudLabelsApplied += 1;
      continue;
    }
    rows += 1;
    if (item.kind === 'rejected') {
      rejected.push({ line: item.line, reason: item.reason });
      continue;
    }
    const { transaction: normalised, values } = item;
    const scenario = normalised.attributes['scenario'] ?? '';
    const tally = (scenarios[scenario || '(none)'] ??= { rows: 0, fraud: 0 });
    tally.rows += 1;
    if (item.label !== null) labelledRows += 1;
    if (item.label?.fraud) {
      fraudRows += 1;
      tally.fraud += 1;
    }
    pending.push([
      normalised.transaction_id,
      new Date(normalised.event_time).toISOString(),
      normalised.card_id,
      normalised.customer_id,
      normalised.merchant_id,
      normalised.amount_minor,
      normalised.currency,
      ...labelCells(item.label),
      scenario,
      normalised.channel,
      ...baseline.decide(normalised, values),
      ...values.map((value) => (Number.isNaN(value) ? '' : value)),
    ]);
    if (pending.length >= ROWS_PER_WRITE) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  bar?.stop();

  const seconds = (performance.now() - started) / 1000;
  const schemaFile = `${options.out}.schema.json`;
  writeFileSync(
    schemaFile,
    `${JSON.stringify(
      {
        schema_hash: FEATURE_SCHEMA_HASH,
        logic_version: FEATURE_LOGIC_VERSION,
        leading_columns: LEADING_COLUMNS,
        label: 'label: 1 fraud, 0 legitimate, empty unlabelled (the eventual label, known later than the row)',
        rules_baseline: {
          columns: 'rules_action: the policy outcome from the rules alone (no model score); rules_fired: rule ids',
          rule_set_version: baseline.versions.ruleSet,
          policy_version: baseline.versions.policy,
        },
        features: FEATURE_CATALOG.map(({ name, family, window, description }) => ({
          name,
          family,
          window,
          description,
        })),
        tuning: options.tuning ?? DEFAULT_STATE_TUNING,
        source: { file: options.file, format: options.format, labels: options.labelsFile ?? null },
        rows: written,
        generated_at: new Date().toISOString(),
      },
      null,
      2,
    )}\n`,
  );
  return {
    rows,
    written,
    rejected,
    fraud_rows: fraudRows,
    labelled_rows: labelledRows,
    fraud_labels_applied: fraudLabelsApplied,
    seconds: Math.round(seconds * 10) / 10,
    rows_per_second: Math.round(rows / Math.max(seconds, 0.001)),
    features: FEATURE_NAMES.length,
    rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    schema_hash: FEATURE_SCHEMA_HASH,
    schema_file: schemaFile,
    rule_set_version: baseline.versions.ruleSet,
    policy_version: baseline.versions.policy,
    scenarios,
  };
}
