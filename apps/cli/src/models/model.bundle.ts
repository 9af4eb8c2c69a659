import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelRegistration } from '@argus/model-registry';
import { parseModelMetadata, type ModelMetadata } from '@argus/scoring';

/** Files of a model directory the registry keeps (metadata.json included, hashed here). */
export const BUNDLE_FILES = ['model.onnx', 'anomaly.onnx', 'trees.json', 'metadata.json'] as const;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `<kind>-<created yyyymmddhhmmss>-<sha256(model.onnx) prefix>`: readable, sortable, unique per model. */
export function modelVersion(metadata: ModelMetadata): string {
  const stamp = new Date(metadata.createdAt).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${metadata.kind}-${stamp}-${metadata.artefacts['model.onnx']!.slice(0, 8)}`;
}

/** Reads a model directory written by the trainer into what the registry stores. */
export function readModelBundle(
  directory: string,
  source?: string,
): { metadata: ModelMetadata; registration: ModelRegistration } {
  const metadataBytes = readFileSync(join(directory, 'metadata.json'));
  const document = JSON.parse(metadataBytes.toString('utf8')) as unknown;
  const metadata = parseModelMetadata(document, join(directory, 'metadata.json'));
  const artefacts = BUNDLE_FILES.map((name) => {
    const bytes = readFileSync(join(directory, name));
    return { name, bytes, sha256: name === 'metadata.json' ? sha256(bytes) : (metadata.artefacts[name] ?? '') };
  });
  const w = metadata.windows;
  return {
    metadata,
    registration: {
      version: modelVersion(metadata),
      kind: metadata.kind,
      schemaHash: metadata.schemaHash,
      windows: {
        trainFrom: w.train.from,
        trainTo: w.train.to,
        labelsKnownBy: w.train.labelsKnownBy,
        calibrationFrom: w.calibration.from,
        calibrationTo: w.calibration.to,
        testFrom: w.test.from,
        testTo: w.test.to,
      },
      labelDelayDays: metadata.labelDelayDays,
      metrics: metadata.metrics,
      metadata: document,
      artefacts,
      source,
    },
  };
}
