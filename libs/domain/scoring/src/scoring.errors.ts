import { CodedError } from '@argus/contracts';
export const ModelErrorCode = {
  /** metadata.json is not an `argus-model/1` document, or a field is missing or of the wrong type. */
  METADATA_INVALID: 'METADATA_INVALID',
  /** The model was trained on another feature schema than the live feature code computes. */
  SCHEMA_MISMATCH: 'SCHEMA_MISMATCH',
  /** An artefact's bytes do not hash to what the registry recorded. */
  ARTEFACT_HASH_MISMATCH: 'ARTEFACT_HASH_MISMATCH',
  /** The ONNX model and trees.json do not describe the same model (their margins differ on probe rows). */
  ARTEFACTS_DISAGREE: 'ARTEFACTS_DISAGREE',
} as const;
export type ModelErrorCode = (typeof ModelErrorCode)[keyof typeof ModelErrorCode];

/** A model that cannot be served, and why. The service keeps what it had and says so. */
export class ModelError extends CodedError<ModelErrorCode> {
  override readonly name = 'ModelError';
}
