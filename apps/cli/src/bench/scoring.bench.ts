import type { FeatureVector } from '@argus/contracts';
import { treeExplainer } from '@argus/explain';
import { FEATURE_NAMES, FEATURE_SCHEMA_HASH } from '@argus/features';
import { OnnxClassifier } from '@argus/model-runtime';
import { assembleModel, DEFAULT_SCORING_OPTIONS, scoreBatch, type ServableModel } from '@argus/scoring';
import { featureVectorOfRow } from '../backfill/training-table.row';
import { csvFile } from '../history/history.timeline';
import { withRegistry } from '../models/model.workflow';
import { formatTable, LatencyRecorder, type Percentiles } from './bench.report';

export interface ScoringBenchOptions {
  readonly pgUrl: string;
  /** A registered version; default the champion. */
  readonly model?: string;
  /** Backfill table whose rows are scored. */
  readonly table: string;
  readonly rows: number;
  readonly batch: number;
}

export interface ScoringBenchResult {
  readonly model: string;
  readonly rows: number;
  /** One transaction at a time (the sync gateway's case): time of scoreBatch([vector]). */
  readonly single: { readonly with_explanations: Percentiles; readonly without_explanations: Percentiles };
  /** Batches of `batch` (the Kafka consumer's case): transactions per second on one core. */
  readonly throughput: {
    readonly batch: number;
    readonly with_explanations_per_s: number;
    readonly without_explanations_per_s: number;
  };
  /** The explanation alone (TreeSHAP top 5), per transaction. */
  readonly explanation: Percentiles;
}

/** The first `count` rows of a backfill table as feature vectors. */
async function readVectors(table: string, count: number): Promise<FeatureVector[]> {
  const vectors: FeatureVector[] = [];
  const rows = csvFile(table, { columns: true, to_line: count + 1 });
  for await (const row of rows as AsyncIterable<Record<string, string>>) {
    vectors.push(featureVectorOfRow(row));
  }
  return vectors;
}

async function openModel(
  pgUrl: string,
  version: string | undefined,
): Promise<ServableModel & { release(): Promise<void> }> {
  return withRegistry(pgUrl, async (registry) => {
    const record = version === undefined ? (await registry.serving()).champion : await registry.get(version);
    if (record === null)
      throw new Error('no champion in the registry: pass --model VERSION, or run argus train and argus eval');
    const explainer = treeExplainer(await registry.artefact(record.version, 'trees.json'));
    const classifier = await OnnxClassifier.load(await registry.artefact(record.version, 'model.onnx'), record.version);
    const model = await assembleModel({
      version: record.version,
      metadata: record.metadata,
      classifier,
      explainer,
      liveSchemaHash: FEATURE_SCHEMA_HASH,
    });
    return { ...model, release: () => classifier.release() };
  });
}

/**
 * `argus bench scoring`: the champion (or --model) scoring real feature rows in this process, as the scoring
 * service and the sync gateway do — per-transaction latency with and without TreeSHAP explanations, and the
 * throughput of consumer-sized batches. One core, one onnxruntime thread.
 */
export async function runScoringBench(options: ScoringBenchOptions): Promise<ScoringBenchResult> {
  const model = await openModel(options.pgUrl, options.model);
  try {
    const vectors = await readVectors(options.table, options.rows);
    if (vectors.length === 0) throw new Error(`${options.table} has no rows`);
    const single = async (explain: boolean) => {
      const recorder = new LatencyRecorder();
      const scoring = { ...DEFAULT_SCORING_OPTIONS, explain };
      for (let i = 0; i < 200; i += 1) await scoreBatch([vectors[i % vectors.length]!], model, [], scoring); // warm-up
      for (const vector of vectors) {
        const started = performance.now();
        await scoreBatch([vector], model, [], scoring);
        recorder.recordMs(performance.now() - started);
      }
      return recorder.percentiles();
    };
    const throughput = async (explain: boolean) => {
      const scoring = { ...DEFAULT_SCORING_OPTIONS, explain };
      const started = performance.now();
      for (let i = 0; i < vectors.length; i += options.batch) {
        await scoreBatch(vectors.slice(i, i + options.batch), model, [], scoring);
      }
      return Math.round(vectors.length / ((performance.now() - started) / 1000));
    };
    const explanation = new LatencyRecorder();
    const row = new Float64Array(FEATURE_NAMES.length);
    for (const vector of vectors) {
      for (let j = 0; j < row.length; j += 1) row[j] = Math.fround(vector.values[j]!);
      const started = performance.now();
      model.explainer!.top(row, 5);
      explanation.recordMs(performance.now() - started);
    }
    return {
      model: model.version,
      rows: vectors.length,
      single: { with_explanations: await single(true), without_explanations: await single(false) },
      throughput: {
        batch: options.batch,
        with_explanations_per_s: await throughput(true),
        without_explanations_per_s: await throughput(false),
      },
      explanation: explanation.percentiles(),
    };
  } finally {
    await model.release();
  }
}

export function formatScoringBench(result: ScoringBenchResult): string {
  const p = (x: Percentiles) => `P50 ${x.p50_ms} ms  P95 ${x.p95_ms} ms  P99 ${x.p99_ms} ms  max ${x.max_ms} ms`;
  return formatTable(`scoring: model ${result.model}, ${result.rows} transactions, one core`, [
    ['one at a time, with top-5 TreeSHAP', p(result.single.with_explanations)],
    ['one at a time, no explanations', p(result.single.without_explanations)],
    ['TreeSHAP top-5 alone', p(result.explanation)],
    [
      `batches of ${result.throughput.batch}, with explanations`,
      `${result.throughput.with_explanations_per_s} transactions/s`,
    ],
    [
      `batches of ${result.throughput.batch}, no explanations`,
      `${result.throughput.without_explanations_per_s} transactions/s`,
    ],
  ]);
}
