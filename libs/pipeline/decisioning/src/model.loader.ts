import { treeExplainer } from '@argus/explain';
import type { ModelRecord, ModelRegistry } from '@argus/model-registry';
import { OnnxClassifier } from '@argus/model-runtime';
import { assembleModel, type ServableModel } from '@argus/scoring';

/** A model loaded from the registry, ready to serve, with the runtime resources to free when it is replaced. */
export interface LoadedModel extends ServableModel {
  release(): Promise<void>;
}

/**
 * A registry version made servable: artefacts read (hashes checked by the registry), model.onnx opened in
 * onnxruntime, trees.json compiled for TreeSHAP, and `assembleModel`'s checks (metadata, live feature schema,
 * both artefacts describing the same model). Every refusal names the version and the reason.
 */
export async function loadModel(
  registry: ModelRegistry,
  record: ModelRecord,
  liveSchemaHash: string,
): Promise<LoadedModel> {
  const [onnxBytes, treesBytes] = await Promise.all([
    registry.artefact(record.version, 'model.onnx'),
    registry.artefact(record.version, 'trees.json'),
  ]);
  const explainer = treeExplainer(treesBytes);
  const classifier = await OnnxClassifier.load(onnxBytes, `model ${record.version}`);
  try {
    const model = await assembleModel({
      version: record.version,
      metadata: record.metadata,
      classifier,
      explainer,
      liveSchemaHash,
    });
    return { ...model, release: () => classifier.release() };
  } catch (error) {
    await classifier.release();
    throw error;
  }
}
