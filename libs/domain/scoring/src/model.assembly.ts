import { assertSchemaMatches, parseModelMetadata } from './model-metadata';
import type { Classifier, Explainer, ServableModel } from './model.scorer';
import { ModelError, ModelErrorCode } from './scoring.errors';

/** The tree structure's view of the model (TreeSHAP over trees.json): its features and its raw margin. */
export interface TreeExplainer extends Explainer {
  readonly featureNames: readonly string[];
  margin(row: Float64Array): number;
}

export interface ModelParts {
  readonly version: string;
  /** metadata.json, parsed JSON. */
  readonly metadata: unknown;
  readonly classifier: Classifier;
  readonly explainer: TreeExplainer;
  /** The hash of the live feature code's schema (`FEATURE_SCHEMA_HASH`). */
  readonly liveSchemaHash: string;
}

/** How far the ONNX probability and the tree structure's may differ on the probe rows (float32 sums). */
const AGREEMENT_TOLERANCE = 1e-4;

/** Probe rows: all zeros, all missing, and two spread rows. */
function probeRows(width: number): Float32Array[] {
  return [
    new Float32Array(width),
    new Float32Array(width).fill(Number.NaN),
    Float32Array.from({ length: width }, (_, i) => (i % 7) * 3.5),
    Float32Array.from({ length: width }, (_, i) => (i % 2 === 0 ? 1_000 : Number.NaN)),
  ];
}

/**
 * A servable model from its parts, or a `ModelError` naming the version and why not: the metadata must be
 * valid, trained on the live feature schema, list the same features as the tree structure, and the ONNX
 * model and the tree structure must give the same probability on probe rows (they describe one model).
 */
export async function assembleModel(parts: ModelParts): Promise<ServableModel> {
  const { version, classifier, explainer } = parts;
  const metadata = parseModelMetadata(parts.metadata, `model ${version} metadata`);
  assertSchemaMatches(version, metadata, parts.liveSchemaHash);
  if (explainer.featureNames.join('\n') !== metadata.featureNames.join('\n')) {
    throw new ModelError(
      ModelErrorCode.METADATA_INVALID,
      `model ${version}: trees.json and metadata.json list different features`,
    );
  }
  const width = metadata.featureNames.length;
  const rows = probeRows(width);
  const matrix = new Float32Array(rows.length * width);
  rows.forEach((row, i) => matrix.set(row, i * width));
  const served = await classifier.predict(matrix, rows.length, width);
  rows.forEach((row, i) => {
    const fromTrees = 1 / (1 + Math.exp(-explainer.margin(Float64Array.from(row))));
    if (!(Math.abs(fromTrees - served[i]!) <= AGREEMENT_TOLERANCE)) {
      throw new ModelError(
        ModelErrorCode.ARTEFACTS_DISAGREE,
        `model ${version}: model.onnx gives ${served[i]} and trees.json ${fromTrees} on probe row ${i}; ` +
          'the artefacts do not describe the same model',
      );
    }
  });
  return { version, metadata, classifier, explainer };
}
