import { CodedError } from '@argus/contracts';
export const ModelRegistryErrorCode = {
  /** No such version. */
  NOT_FOUND: 'NOT_FOUND',
  /** The version exists with other artefacts (a version names exactly one model). */
  VERSION_CONFLICT: 'VERSION_CONFLICT',
  /** An artefact's bytes do not hash to the sha256 given for it. */
  ARTEFACT_HASH_MISMATCH: 'ARTEFACT_HASH_MISMATCH',
  /** The status change is not allowed from the model's current status. */
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  /** The registry tables are missing or a statement failed. */
  STORE_FAILED: 'STORE_FAILED',
  /** The migrations folder shipped with this library could not be found. */
  MIGRATIONS_NOT_FOUND: 'MIGRATIONS_NOT_FOUND',
} as const;
export type ModelRegistryErrorCode = (typeof ModelRegistryErrorCode)[keyof typeof ModelRegistryErrorCode];

export class ModelRegistryError extends CodedError<ModelRegistryErrorCode> {
  override readonly name = 'ModelRegistryError';
}
