export const HistoryMappingErrorCode = {
  INVALID_MAPPING: 'INVALID_MAPPING',
  UNKNOWN_BUILT_IN: 'UNKNOWN_BUILT_IN',
} as const;
export type HistoryMappingErrorCode = (typeof HistoryMappingErrorCode)[keyof typeof HistoryMappingErrorCode];

/** A mapping that cannot be used; `problems` lists every one found, each as `path: what is wrong`. */
export class HistoryMappingError extends Error {
  constructor(
    readonly code: HistoryMappingErrorCode,
    message: string,
    readonly problems: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(problems.length === 0 ? message : `${message}:\n  - ${problems.join('\n  - ')}`, options);
    this.name = 'HistoryMappingError';
  }
}
