export const KafkaErrorCode = {
  NOT_CONNECTED: 'NOT_CONNECTED',
  PRODUCE_FAILED: 'PRODUCE_FAILED',
  COMMIT_FAILED: 'COMMIT_FAILED',
} as const;
export type KafkaErrorCode = (typeof KafkaErrorCode)[keyof typeof KafkaErrorCode];

export class KafkaError extends Error {
  constructor(
    readonly code: KafkaErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KafkaError';
  }
}
