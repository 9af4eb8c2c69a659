export const PanTokeniserErrorCode = {
  KEY_TOO_SHORT: 'KEY_TOO_SHORT',
  INVALID_KEY_ID: 'INVALID_KEY_ID',
  INVALID_PAN: 'INVALID_PAN',
} as const;
export type PanTokeniserErrorCode = (typeof PanTokeniserErrorCode)[keyof typeof PanTokeniserErrorCode];

/** A tokeniser that cannot be built (weak key, bad key id) or a value that is not a card number. */
export class PanTokeniserError extends Error {
  constructor(
    readonly code: PanTokeniserErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PanTokeniserError';
  }
}
