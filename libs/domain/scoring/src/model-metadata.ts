import { z } from 'zod';
import type { CalibrationMap } from './calibration';
import { ModelError, ModelErrorCode } from './scoring.errors';

export const MODEL_FORMAT = 'argus-model/1';
export const MODEL_KINDS = ['lightgbm', 'xgboost'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

const isoTime = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'an ISO-8601 time');
const window = z.object({ from: isoTime, to: isoTime });
const calibration = z
  .object({
    method: z.literal('isotonic'),
    x: z.array(z.number().finite()).min(1),
    y: z.array(z.number().min(0).max(1)).min(1),
  })
  .refine((map) => map.x.length === map.y.length, 'x and y must have the same length')
  .refine((map) => map.x.every((value, i) => i === 0 || value > map.x[i - 1]!), 'x must be strictly increasing')
  .refine((map) => map.y.every((value, i) => i === 0 || value >= map.y[i - 1]!), 'y must be non-decreasing');

const metadataSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  kind: z.enum(MODEL_KINDS),
  feature_names: z.array(z.string().min(1)).min(1),
  schema_hash: z.string().min(1),
  windows: z.object({
    train: window.extend({ labels_known_by: isoTime }),
    calibration: window,
    test: window,
  }),
  label_delay_days: z.number().min(0),
  metrics: z.record(z.string(), z.unknown()),
  calibration,
  artefacts: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex')),
  created_at: isoTime,
});

/** `metadata.json` of a model directory, as the trainer writes it (only what serving and the registry read). */
export interface ModelMetadata {
  readonly kind: ModelKind;
  readonly featureNames: readonly string[];
  readonly schemaHash: string;
  readonly windows: {
    readonly train: { readonly from: string; readonly to: string; readonly labelsKnownBy: string };
    readonly calibration: { readonly from: string; readonly to: string };
    readonly test: { readonly from: string; readonly to: string };
  };
  readonly labelDelayDays: number;
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly calibration: CalibrationMap;
  /** sha256 (hex) of each artefact file by name (model.onnx, anomaly.onnx, trees.json). */
  readonly artefacts: Readonly<Record<string, string>>;
  readonly createdAt: string;
}

/** Validates a parsed `metadata.json`; throws `ModelError(METADATA_INVALID)` naming every problem. */
export function parseModelMetadata(document: unknown, source = 'metadata.json'): ModelMetadata {
  const parsed = metadataSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ModelError(ModelErrorCode.METADATA_INVALID, `${source} is not a valid model: ${problems.join('; ')}`);
  }
  const meta = parsed.data;
  if (new Set(meta.feature_names).size !== meta.feature_names.length) {
    throw new ModelError(ModelErrorCode.METADATA_INVALID, `${source}: feature_names holds duplicates`);
  }
  return {
    kind: meta.kind,
    featureNames: meta.feature_names,
    schemaHash: meta.schema_hash,
    windows: {
      train: {
        from: meta.windows.train.from,
        to: meta.windows.train.to,
        labelsKnownBy: meta.windows.train.labels_known_by,
      },
      calibration: meta.windows.calibration,
      test: meta.windows.test,
    },
    labelDelayDays: meta.label_delay_days,
    metrics: meta.metrics,
    calibration: meta.calibration,
    artefacts: meta.artefacts,
    createdAt: meta.created_at,
  };
}

/**
 * The guard every served model passes: it must have been trained on exactly the feature schema the live
 * feature code computes (same names, order and definitions, hence the same hash).
 */
export function assertSchemaMatches(version: string, metadata: ModelMetadata, liveSchemaHash: string): void {
  if (metadata.schemaHash !== liveSchemaHash) {
    throw new ModelError(
      ModelErrorCode.SCHEMA_MISMATCH,
      `model ${version} was trained on feature schema ${metadata.schemaHash} but the live features are ` +
        `${liveSchemaHash}: retrain it on a backfill made with this feature code (argus backfill, argus train)`,
    );
  }
}
