export enum FeatureStateErrorCode {
  /** Redis could not be reached or the pipeline failed as a whole: retry the batch. */
  STATE_UNAVAILABLE = 'STATE_UNAVAILABLE',
  /** A state script raised an error (a bug or corrupted state): nothing in the batch may be trusted. */
  SCRIPT_FAILED = 'SCRIPT_FAILED',
}

export class FeatureStateError extends Error {
  override readonly name = 'FeatureStateError';

  constructor(
    readonly code: FeatureStateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
