import { parseRedisUrl } from '@argus/redis';
import { z } from 'zod';

/** One environment variable: how it is parsed, and what an operator needs to know about it. */
export interface SettingSpec<T> {
  readonly env: string;
  readonly schema: z.ZodType<T>;
  readonly description: string;
  /** Groups settings in docs and error messages (kafka, redis, security, …). */
  readonly group: string;
  /** Secrets are never echoed back, not even in validation errors. */
  readonly secret?: boolean;
  /** Used when the variable is unset. A setting without a default is required. */
  readonly default?: string;
  /** Unset or empty is a value of its own: '' (a feature turned off, e.g. no chat webhook). */
  readonly optional?: boolean;
}

export type ConfigSpec = Record<string, SettingSpec<unknown>>;

export type ConfigOf<S extends ConfigSpec> = { readonly [K in keyof S]: S[K] extends SettingSpec<infer T> ? T : never };

export function setting<T>(spec: SettingSpec<T>): SettingSpec<T> {
  return spec;
}

export class ConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`, options);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates every setting of a service once, at start-up. The only place in Argus that reads the
 * environment: services receive the returned object. Every problem is reported at once, each naming its
 * variable; a secret's value is never printed.
 */
export function loadConfig<S extends ConfigSpec>(spec: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(spec)) {
    const raw = env[item.env] ?? item.default;
    if ((raw === undefined || raw === '') && item.optional === true) {
      values[key] = '';
      continue;
    }
    if (raw === undefined || raw === '') {
      problems.push(`${item.env} is required (${item.description})`);
      continue;
    }
    const parsed = item.schema.safeParse(raw);
    if (parsed.success) {
      values[key] = parsed.data;
    } else {
      const shown = item.secret ? '<secret>' : JSON.stringify(raw);
      const why = parsed.error.issues.map((issue) => issue.message).join('; ');
      problems.push(`${item.env}=${shown} is invalid: ${why}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(values) as ConfigOf<S>;
}

/** A Markdown table of a spec's variables, for READMEs (`argus config describe`). */
export function describeConfig(spec: ConfigSpec): string {
  const rows = Object.values(spec).map(
    (item) =>
      `| \`${item.env}\` | ${item.group} | ${item.description} | ${item.secret ? '(secret)' : item.default !== undefined ? `\`${item.default}\`` : 'required'} |`,
  );
  return ['| variable | group | meaning | default |', '|---|---|---|---|', ...rows].join('\n');
}

/** Parsers shared by service configs. */
export const parsers = {
  csv: z
    .string()
    .transform((s) => s.split(',').map((part) => part.trim()))
    .pipe(z.array(z.string().min(1)).min(1)),
  int: (min: number, max: number) => z.coerce.number().int().min(min).max(max),
  url: z.url(),
  /** One server (`redis://`, `rediss://`) or a cluster's seed nodes (`redis+cluster://h:p,h:p,…`): see @argus/redis. */
  redisUrl: z.string().superRefine((value, context) => {
    try {
      parseRedisUrl(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  bool: z.enum(['true', 'false']).transform((s) => s === 'true'),
};
