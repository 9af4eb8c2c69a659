import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Field names that must never reach a log line. Values under these keys are replaced by `[Redacted]`
 * wherever they appear one or two levels deep.
 */
const SECRET_KEYS = ['pan', 'cvv', 'cvc', 'password', 'secret', 'apiKey', 'api_key', 'authorization', 'token_key'];

const redactPaths = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export interface LoggerSettings {
  /** Service or component name, written on every line as `service`. */
  readonly service: string;
  readonly level?: string;
  /** Write to this file descriptor or path instead of stdout (e.g. 2 for stderr in CLIs). */
  readonly destination?: number | string;
}

/** Structured JSON logger (pino) with secret redaction. Add `transactionId` / `traceId` via `child()`. */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: settings.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: '[Redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  // Standard output is written synchronously: a service stopped by a signal exits right after its shutdown
  // hooks, and an asynchronous buffer would lose exactly the lines that say how the shutdown went.
  return settings.destination === undefined
    ? pino(options, pino.destination({ dest: 1, sync: true }))
    : pino(options, pino.destination({ dest: settings.destination, sync: false }));
}
