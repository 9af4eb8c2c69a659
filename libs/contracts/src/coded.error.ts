/**
 * The base of Argus's typed errors: a stable machine-readable `code` (one of a library's error codes) and a
 * message a person can act on. Subclasses only name themselves:
 *
 *   export class ModelError extends CodedError<ModelErrorCode> { override readonly name = 'ModelError'; }
 */
export abstract class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
