import { verifyChain, type VerifyResult } from '@argus/audit-chain';
import { AuditStore, type AuditLogRow } from '@argus/audit-store';
import { createPgPool, type PgPool } from '@argus/pg';
import { InvalidArgumentError, type Command } from 'commander';

export const DEFAULT_PG_URL = 'postgres://argus:argus@127.0.0.1:15432/argus';

export interface AuditCliSettings {
  /** The database holding the audit log: `ARGUS_PG_URL`, else the local stack's. */
  readonly pgUrl: string;
}

/** The one place the audit commands read the environment. */
export function loadAuditCliSettings(
  env: Readonly<Record<string, string | undefined>> = process.env,
): AuditCliSettings {
  const url = env['ARGUS_PG_URL']?.trim();
  return { pgUrl: url === undefined || url === '' ? DEFAULT_PG_URL : url };
}

export interface AuditConnectionOptions {
  readonly pgUrl: string;
  /** Schema holding audit_log, when it is not on the role's default search_path. */
  readonly schema?: string;
}

export interface AuditVerifyOptions extends AuditConnectionOptions {
  readonly json?: boolean;
  /** Rows per round trip while walking the chain (default 5 000). */
  readonly batchSize?: number;
}

export interface AuditShowOptions extends AuditConnectionOptions {
  readonly transaction: string;
}

/** Where command output goes: stdout in the CLI, a buffer in tests. */
export type Print = (text: string) => void;

const writeStdout: Print = (text) => {
  process.stdout.write(text);
};

/** Walks the whole chain against the recorded head; returns the exit code (0 intact, 1 broken). */
export async function runAuditVerify(options: AuditVerifyOptions, print: Print = writeStdout): Promise<number> {
  return withStore(options, async (store) => {
    const started = performance.now();
    // Read the head first: rows appended during the walk are then simply more rows, not a mismatch.
    const head = await store.head();
    const result = await verifyChain(store.readChain({ batchSize: options.batchSize }), { expectHead: head });
    print(formatVerifyResult(result, { json: options.json === true, elapsedMs: performance.now() - started }));
    return result.ok ? 0 : 1;
  });
}

/** Prints a transaction's audit rows as JSON; returns 1 when there are none. */
export async function runAuditShow(options: AuditShowOptions, print: Print = writeStdout): Promise<number> {
  return withStore(options, async (store) => {
    const rows = await store.findByTransaction(options.transaction);
    print(`${JSON.stringify(rows.map(readableRow), null, 2)}\n`);
    return rows.length === 0 ? 1 : 0;
  });
}

export function formatVerifyResult(result: VerifyResult, options: { json: boolean; elapsedMs?: number }): string {
  if (options.json) {
    const elapsed = options.elapsedMs === undefined ? {} : { elapsed_ms: Math.round(options.elapsedMs) };
    return `${JSON.stringify({ ...result, ...elapsed })}\n`;
  }
  if (result.ok) {
    const head =
      result.head === null ? 'head seq 0 (empty chain)' : `head seq ${result.head.seq} hash ${result.head.hash}`;
    return `audit chain OK: ${result.rows} rows, ${head}\n`;
  }
  const { seq, transaction_id: transactionId, kind, message } = result.first_break;
  return `audit chain BROKEN at seq ${seq} (transaction ${transactionId ?? 'unknown'}): ${kind} — ${message}\n`;
}

/** Times as ISO strings and the record parsed, for a person reading it; `record` stays the exact hashed text. */
function readableRow(row: AuditLogRow): Record<string, unknown> {
  return {
    seq: row.seq,
    event_type: row.event_type,
    transaction_id: row.transaction_id,
    card_id: row.card_id,
    occurred_at: new Date(row.occurred_at).toISOString(),
    recorded_at: new Date(row.recorded_at).toISOString(),
    prev_hash: row.prev_hash,
    hash: row.hash,
    payload: row.payload,
    record: row.record,
  };
}

async function withStore(options: AuditConnectionOptions, fn: (store: AuditStore) => Promise<number>): Promise<number> {
  const pool: PgPool = createPgPool({
    url: options.pgUrl,
    applicationName: 'argus-cli-audit',
    schema: options.schema,
    max: 2,
  });
  try {
    return await fn(new AuditStore(pool));
  } finally {
    await pool.end();
  }
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new InvalidArgumentError('expected a positive integer');
  return parsed;
}

/** `argus audit verify|show`: check the hash chain, read a transaction's audit trail. */
export function registerAuditCommands(program: Command): void {
  const settings = loadAuditCliSettings();
  const audit = program.command('audit').description('The hash-chained audit log in PostgreSQL');

  audit
    .command('verify')
    .description('Walk the whole chain and report the first break; exits with 1 when broken')
    .option('--pg-url <url>', 'PostgreSQL URL (default: ARGUS_PG_URL, else the local stack)', settings.pgUrl)
    .option('--schema <name>', 'schema holding audit_log, when not on the default search_path')
    .option('--batch-size <rows>', 'rows per round trip', positiveInteger)
    .option('--json', 'print the result as one JSON object')
    .action(async (options: AuditVerifyOptions) => {
      process.exitCode = await runAuditVerify(options);
    });

  audit
    .command('show')
    .description("Print a transaction's audit rows (decision, case actions, label) as JSON")
    .requiredOption('--transaction <id>', 'transaction id')
    .option('--pg-url <url>', 'PostgreSQL URL (default: ARGUS_PG_URL, else the local stack)', settings.pgUrl)
    .option('--schema <name>', 'schema holding audit_log, when not on the default search_path')
    .action(async (options: AuditShowOptions) => {
      process.exitCode = await runAuditShow(options);
    });
}
