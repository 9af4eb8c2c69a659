import { LabelOutcome, type FeatureStateStore, type FraudLabelEvent, type StateEvent } from '@argus/contracts';
import { buildStateEvent } from '@argus/features';
import { deleteMatching, type RedisClient } from '@argus/redis';
import { currencyExponent, PanTokeniser, TransactionValidationError } from '@argus/transaction';
import { SingleBar } from 'cli-progress';
import { asIngested, historyLimits } from '../backfill/backfill.runner';
import { tokenisedTimeline } from '../history/history.timeline';

export interface StateLoadOptions {
  readonly file: string;
  /** A built-in mapping name or the path of a mapping JSON file. */
  readonly format: string;
  readonly labelsFile?: string;
  /** Prepended to every id of the history (see TimelineOptions.namespace). */
  readonly namespace?: string;
  /**
   * Load what happened before this time (epoch ms): transactions with an earlier event time and the FRAUD
   * labels that became known before it. The rest is left for `argus replay --from` to send live.
   */
  readonly until: number;
  readonly maxAmountMajor?: number;
  readonly panTokenKey: string;
  readonly panTokenKeyId: string;
  readonly progress: boolean;
}

export interface StateLoadSummary {
  readonly rows: number;
  /** Transactions applied to the feature state. */
  readonly loaded: number;
  /** Rows at or after `until`: not loaded. */
  readonly after_until: number;
  readonly rejected: readonly { line: number; reason: string }[];
  /** FRAUD labels known before `until` that changed the label-risk counters. */
  readonly fraud_labels_counted: number;
  readonly amounts_rounded: number;
  readonly state_round_trips: number;
  readonly seconds: number;
  readonly rows_per_second: number;
}

/** Events per pipeline: large enough to amortise the round trip, small enough to keep Redis responsive. */
const BATCH = 500;

/**
 * Writes a history into the live feature state — the Redis the feature service and the gateway read — as if
 * the feature service had seen it: every transaction before `until` normalised as ingestion would have
 * published it and applied at its own event time, each FRAUD label at the moment it became known. Traffic
 * after `until` then meets cards, customers, devices and merchants with their weeks of behaviour, as in
 * production, instead of a population with no past. Labels for loaded transactions reported after `until`
 * are `argus replay --from`'s to send when they become known.
 */
export async function loadFeatureState(store: FeatureStateStore, options: StateLoadOptions): Promise<StateLoadSummary> {
  const started = performance.now();
  const tokeniser = new PanTokeniser({ keyId: options.panTokenKeyId, key: Buffer.from(options.panTokenKey, 'utf8') });
  const limits = historyLimits(options.maxAmountMajor);
  const featureOptions = { currencyExponent };
  const bar = options.progress
    ? new SingleBar({ format: 'state load |{bar}| {value} rows  {rate}/s', stream: process.stderr })
    : undefined;
  bar?.start(0, 0, { rate: 0 });

  const rejected: { line: number; reason: string }[] = [];
  let rows = 0;
  let loaded = 0;
  let after = 0;
  let rounded = 0;
  let counted = 0;
  let roundTrips = 0;
  let events: StateEvent[] = [];
  let labels: FraudLabelEvent[] = [];

  // Transactions and labels reach the store in the order of the history, as they reach the feature service.
  const flushEvents = async () => {
    if (events.length === 0) return;
    await store.apply(events);
    roundTrips += 1;
    loaded += events.length;
    events = [];
    bar?.update(rows, { rate: Math.round(rows / Math.max((performance.now() - started) / 1000, 0.001)) });
  };
  const flushLabels = async () => {
    if (labels.length === 0) return;
    const outcomes = await store.applyFraudLabels(labels);
    roundTrips += 2;
    counted += outcomes.filter((outcome) => outcome === LabelOutcome.COUNTED).length;
    labels = [];
  };

  for await (const item of tokenisedTimeline(options, tokeniser)) {
    if (item.kind === 'label') {
      if (!item.label.fraud || item.label.reportedAt >= options.until) continue;
      await flushEvents();
      labels.push({ transactionId: item.label.transactionId, reportedAt: item.label.reportedAt });
      continue;
    }
    rows += 1;
    if (item.kind === 'rejected') {
      rejected.push({ line: item.line, reason: item.reason });
      continue;
    }
    if (item.transaction.event_time >= options.until) {
      after += 1;
      continue;
    }
    let transaction;
    try {
      transaction = asIngested(item.transaction, tokeniser, limits);
    } catch (error) {
      if (!(error instanceof TransactionValidationError)) throw error;
      rejected.push({ line: item.line, reason: error.message });
      continue;
    }
    if (item.amountRounded) rounded += 1;
    await flushLabels();
    events.push(buildStateEvent(transaction, featureOptions));
    if (events.length >= BATCH) await flushEvents();
  }
  await flushEvents();
  await flushLabels();
  bar?.stop();
  const seconds = (performance.now() - started) / 1000;
  return {
    rows,
    loaded,
    after_until: after,
    rejected,
    fraud_labels_counted: counted,
    amounts_rounded: rounded,
    state_round_trips: roundTrips,
    seconds: Math.round(seconds * 10) / 10,
    rows_per_second: Math.round(loaded / Math.max(seconds, 0.001)),
  };
}

export function formatStateLoad(summary: StateLoadSummary, until: number): string {
  return (
    `feature state: ${summary.loaded} transactions before ${new Date(until).toISOString()} loaded in ` +
    `${summary.seconds} s (${summary.rows_per_second}/s, ${summary.state_round_trips} round trips), ` +
    `${summary.fraud_labels_counted} FRAUD labels counted when they became known; ` +
    `${summary.after_until} later rows left for the replay, ${summary.rejected.length} rejected` +
    (summary.amounts_rounded > 0 ? `, ${summary.amounts_rounded} float amounts rounded` : '') +
    '\n'
  );
}

/**
 * Deletes the feature state of every entity whose id starts with `namespace` (entity keys and the transaction
 * index both carry the id inside their hash tag): a namespaced replay's population, forgotten (on every master
 * of a cluster).
 */
export function forgetNamespace(redis: RedisClient, namespace: string): Promise<number> {
  return deleteMatching(redis, `f:{*:${namespace}*`);
}
