import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { z } from 'zod';
import { ClientsFileError, ClientsFileErrorCode } from './gateway.errors';

/** What a client may call: `decisions` (POST /v1/decisions), `step-up` (POST /v1/step-up-results). */
export const API_SCOPES = ['decisions', 'step-up'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiClient {
  readonly id: string;
  /** SHA-256 of the client's key (32 bytes). The key itself is never stored: only its hash is compared. */
  readonly keySha256: Buffer;
  readonly scopes: ReadonlySet<ApiScope>;
  /** Sustained requests per second, per gateway replica. */
  readonly ratePerSecond: number;
  /** Requests allowed at once above the sustained rate (the token bucket's size). */
  readonly burst: number;
}

export interface ApiClients {
  readonly clients: readonly ApiClient[];
  /** Content hash of the file, logged on every (re)load. */
  readonly version: string;
}

const clientSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1–63 lower-case letters, digits or "-"'),
    key_sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be the hex SHA-256 of the key (64 lower-case hex digits), never the key'),
    scopes: z.array(z.enum(API_SCOPES)).min(1, 'must name at least one scope'),
    rate_limit_per_s: z.number().positive().max(1_000_000),
    burst: z.number().int().min(1).max(1_000_000),
  })
  .strict();

const fileSchema = z
  .object({
    clients: z.array(clientSchema),
  })
  .strict()
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    const hashes = new Set<string>();
    file.clients.forEach((client, index) => {
      if (ids.has(client.id)) {
        ctx.addIssue({ code: 'custom', path: ['clients', index, 'id'], message: `"${client.id}" appears twice` });
      }
      // Two clients with one key could not be told apart: the first would silently win.
      if (hashes.has(client.key_sha256)) {
        ctx.addIssue({
          code: 'custom',
          path: ['clients', index, 'key_sha256'],
          message: 'is shared with another client',
        });
      }
      ids.add(client.id);
      hashes.add(client.key_sha256);
    });
  });

/**
 * Parses the API clients file (`ARGUS_GATEWAY_CLIENTS_FILE`). Throws a ClientsFileError naming every problem
 * with its path (e.g. `clients[1].key_sha256`); WatchedFile then keeps the last good list in force.
 */
export function parseApiClients(text: string, sourceName: string): ApiClients {
  let document: unknown;
  try {
    document = parse(text, { uniqueKeys: true });
  } catch (error) {
    throw new ClientsFileError(
      ClientsFileErrorCode.INVALID_CLIENTS_FILE,
      `${sourceName}: not valid YAML: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const parsed = fileSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${pathOf(issue.path)} ${issue.message}`);
    throw new ClientsFileError(
      ClientsFileErrorCode.INVALID_CLIENTS_FILE,
      `${sourceName}: ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.join('; ')}`,
    );
  }
  return {
    clients: parsed.data.clients.map((client) => ({
      id: client.id,
      keySha256: Buffer.from(client.key_sha256, 'hex'),
      scopes: new Set(client.scopes),
      ratePerSecond: client.rate_limit_per_s,
      burst: client.burst,
    })),
    version: `sha256:${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 12)}`,
  };
}

function pathOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'file';
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
