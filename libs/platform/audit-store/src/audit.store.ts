import { migrate, PgError, withTransaction, type MigrationReport, type PgConnection, type PgPool } from '@argus/pg';
import { AuditStoreError, AuditStoreErrorCode } from './audit-store.errors';
import type {
  AppendResult,
  LinkedCard,
  LinkedCardsQuery,
  AuditEntry,
  AuditHead,
  AuditLinkFn,
  AuditLogRow,
  CardRange,
  LinkedAuditRow,
  ReadChainOptions,
  StoredAuditRow,
} from './audit-store.types';
import { auditMigrationsDir } from './audit-migrations.locator';

export interface AuditStoreOptions {
  /** Where the SQL migrations are; found automatically beside the library by default. */
  readonly migrationsDir?: string;
}

/** Times come back as epoch ms (exact: numeric extract, then float8) so rows compare equal to what was hashed. */
const ROW_COLUMNS = `seq, event_id, event_type, transaction_id, card_id,
  (extract(epoch FROM occurred_at) * 1000)::float8 AS occurred_at,
  (extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_at,
  prev_hash, hash, record`;

interface RawRow {
  seq: string;
  event_id: string | null;
  event_type: string;
  transaction_id: string;
  card_id: string;
  occurred_at: number;
  recorded_at: number;
  prev_hash: string;
  hash: string;
  record: string;
  payload?: unknown;
}

const DEFAULT_READ_BATCH = 5_000;

const MILLIS = (expression: string) => `(extract(epoch FROM ${expression}) * 1000)::float8`;

/** The payee of a decided transaction, exactly as the index audit_log_decision_payee_idx computes it. */
const PAYEE_EXPRESSION = `(coalesce(
    nullif(payload -> 'transaction' -> 'attributes' ->> 'payee_account', ''),
    CASE WHEN payload -> 'transaction' ->> 'payment_method' = 'ACCOUNT_TRANSFER'
         THEN payload -> 'transaction' ->> 'merchant_id' END))`;

/** The PostgreSQL side of the audit log: appends linked rows under the chain-head lock, reads them back. */
export class AuditStore {
  constructor(
    private readonly pool: PgPool,
    private readonly options: AuditStoreOptions = {},
  ) {}

  /** Applies the audit migrations (own `audit_migrations` table, so other services' migrations never clash). */
  migrate(): Promise<MigrationReport> {
    return migrate(this.pool, { dir: this.options.migrationsDir ?? auditMigrationsDir(), table: 'audit_migrations' });
  }

  /**
   * Appends entries in one transaction: locks the head, drops entries already logged or repeated in the
   * batch (same event key: the event's id, or its type and transaction), links the rest after the head with `link`, inserts them in
   * one statement and moves the head. Concurrent appenders queue on the head lock, so seqs never interleave.
   */
  async append(entries: readonly AuditEntry[], link: AuditLinkFn): Promise<AppendResult> {
    if (entries.length === 0) return { inserted: 0, duplicates: 0 };
    const unique = firstOfEachKey(entries);
    try {
      return await withTransaction(this.pool, async (tx) => {
        const head = await lockHead(tx);
        const fresh = await dropLogged(tx, unique);
        if (fresh.length === 0) return { inserted: 0, duplicates: entries.length };
        const rows = link(head, fresh);
        assertLinked(head, fresh, rows);
        await insertRows(tx, rows);
        const last = rows[rows.length - 1]!;
        await tx.query(
          'audit.head_move',
          'UPDATE audit_chain_head SET seq = $1, hash = $2, updated_at = now() WHERE id = 1',
          [last.seq, last.hash],
        );
        return { inserted: rows.length, duplicates: entries.length - rows.length };
      });
    } catch (error) {
      throw storeError(error, AuditStoreErrorCode.APPEND_FAILED, `appending ${entries.length} audit entries failed`);
    }
  }

  /** The head as recorded beside the chain; null while it is empty. */
  async head(): Promise<AuditHead | null> {
    try {
      const { rows } = await this.pool.query<{ seq: string; hash: string | null }>(
        'audit.head',
        'SELECT seq, hash FROM audit_chain_head WHERE id = 1',
      );
      const row = rows[0];
      if (row === undefined) throw new AuditStoreError(AuditStoreErrorCode.NOT_MIGRATED, 'audit_chain_head has no row');
      return row.hash === null ? null : { seq: Number(row.seq), hash: row.hash };
    } catch (error) {
      throw storeError(error, AuditStoreErrorCode.READ_FAILED, 'reading the audit chain head failed');
    }
  }

  /**
   * Streams rows in seq order by keyset pagination, fetching the next batch while the current one is
   * consumed. Appends commit in seq order (they hold the head lock), so a page never skips a late row.
   */
  async *readChain(options: ReadChainOptions = {}): AsyncGenerator<StoredAuditRow> {
    const batchSize = options.batchSize ?? DEFAULT_READ_BATCH;
    const fromSeq = options.fromSeq ?? 1;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new AuditStoreError(
        AuditStoreErrorCode.INVALID_ARGUMENT,
        `batchSize must be a positive integer, got ${batchSize}`,
      );
    }
    if (!Number.isSafeInteger(fromSeq) || fromSeq < 1) {
      throw new AuditStoreError(
        AuditStoreErrorCode.INVALID_ARGUMENT,
        `fromSeq must be a positive integer, got ${fromSeq}`,
      );
    }
    let pending: Promise<StoredAuditRow[]> | null = this.readPage(fromSeq, batchSize);
    while (pending !== null) {
      const page: StoredAuditRow[] = await pending;
      pending = page.length < batchSize ? null : this.readPage(page[page.length - 1]!.seq + 1, batchSize);
      // The consumer may stop early (a break found); the prefetch must not become an unhandled rejection.
      pending?.catch(() => undefined);
      yield* page;
    }
  }

  /** How many rows a transaction has (of one event type, if given). */
  async countByTransaction(transactionId: string, eventType?: string): Promise<number> {
    try {
      const { rows } = await this.pool.query<{ count: string }>(
        'audit.count_by_transaction',
        'SELECT count(*) AS count FROM audit_log WHERE transaction_id = $1 AND ($2::text IS NULL OR event_type = $2)',
        [transactionId, eventType ?? null],
      );
      return Number(rows[0]!.count);
    } catch (error) {
      throw storeError(error, AuditStoreErrorCode.READ_FAILED, 'counting audit rows failed');
    }
  }

  /** Every row of a transaction (decision, case actions, label), in seq order, with the payload parsed. */
  async findByTransaction(transactionId: string): Promise<AuditLogRow[]> {
    return this.find(
      'audit.find_by_transaction',
      `SELECT ${ROW_COLUMNS}, payload FROM audit_log WHERE transaction_id = $1 ORDER BY seq`,
      [transactionId],
    );
  }

  /** A card's rows by when they happened, oldest first: `from` inclusive, `to` exclusive. */
  async findByCard(cardId: string, range: CardRange = {}): Promise<AuditLogRow[]> {
    return this.find(
      'audit.find_by_card',
      `SELECT ${ROW_COLUMNS}, payload FROM audit_log
        WHERE card_id = $1
          AND occurred_at >= timestamptz 'epoch' + $2::bigint * interval '1 millisecond'
          AND ($3::bigint IS NULL OR occurred_at < timestamptz 'epoch' + $3::bigint * interval '1 millisecond')
        ORDER BY occurred_at, seq
        LIMIT $4`,
      [cardId, range.from ?? 0, range.to ?? null, range.limit ?? 1_000],
    );
  }

  /** The latest decisions of a card or of a customer, newest first (the case file's recent activity). */
  async recentDecisions(
    of: { readonly card?: string; readonly customer?: string },
    limit = 20,
  ): Promise<AuditLogRow[]> {
    if ((of.card === undefined) === (of.customer === undefined))
      throw new AuditStoreError(AuditStoreErrorCode.INVALID_ARGUMENT, 'give a card or a customer, not both');
    const where = of.card !== undefined ? 'card_id = $1' : `(payload -> 'transaction' ->> 'customer_id') = $1`;
    return this.find(
      of.card !== undefined ? 'audit.recent_of_card' : 'audit.recent_of_customer',
      `SELECT ${ROW_COLUMNS}, payload FROM audit_log
        WHERE event_type = 'DECISION' AND ${where}
        ORDER BY occurred_at DESC, seq DESC LIMIT $2`,
      [of.card ?? of.customer, limit],
    );
  }

  /**
   * Other cards whose decisions share the device, the IP address or the payee given, since `since` (epoch ms):
   * one row per link and card, most recently seen first. Served by the partial indexes of migration 0003.
   */
  async linkedCards(query: LinkedCardsQuery): Promise<LinkedCard[]> {
    const branches: string[] = [];
    const values: unknown[] = [query.exceptCard, query.since, query.limit ?? 20];
    const branch = (via: LinkedCard['via'], expression: string, value: string | null | undefined) => {
      if (value === null || value === undefined || value === '') return;
      values.push(value);
      branches.push(`(SELECT '${via}' AS via, card_id, count(*) AS decisions,
          ${MILLIS('max(occurred_at)')} AS last_seen,
          count(*) FILTER (WHERE payload ->> 'outcome' <> 'APPROVE') AS alerts
        FROM audit_log
        WHERE event_type = 'DECISION' AND ${expression} = $${values.length}
          AND occurred_at >= timestamptz 'epoch' + $2::bigint * interval '1 millisecond' AND card_id <> $1
        GROUP BY card_id ORDER BY max(occurred_at) DESC LIMIT $3)`);
    };
    branch('DEVICE', `(payload -> 'transaction' ->> 'device_fingerprint')`, query.device);
    branch('IP', `(payload -> 'transaction' ->> 'ip_address')`, query.ip);
    branch('PAYEE', PAYEE_EXPRESSION, query.payee);
    if (branches.length === 0) return [];
    try {
      const { rows } = await this.pool.query<{
        via: LinkedCard['via'];
        card_id: string;
        decisions: string;
        alerts: string;
        last_seen: number;
      }>('audit.linked_cards', branches.join(' UNION ALL '), values);
      return rows.map((row) => ({
        via: row.via,
        cardId: row.card_id,
        decisions: Number(row.decisions),
        alerts: Number(row.alerts),
        lastSeen: row.last_seen,
      }));
    } catch (error) {
      throw storeError(error, AuditStoreErrorCode.READ_FAILED, 'audit.linked_cards failed');
    }
  }

  private async find(name: string, text: string, values: readonly unknown[]): Promise<AuditLogRow[]> {
    try {
      const { rows } = await this.pool.query<RawRow>(name, text, values);
      return rows.map((row) => ({ ...toStored(row), payload: row.payload }));
    } catch (error) {
      throw storeError(error, AuditStoreErrorCode.READ_FAILED, `${name} failed`);
    }
  }

  private async readPage(fromSeq: number, limit: number): Promise<StoredAuditRow[]> {
    try {
      const { rows } = await this.pool.query<RawRow>(
        'audit.read_chain',
        `SELECT ${ROW_COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2`,
        [fromSeq, limit],
      );
      return rows.map(toStored);
    } catch (error) {
      throw storeError(error, AuditStoreErrorCode.READ_FAILED, `reading the audit chain from seq ${fromSeq} failed`);
    }
  }
}

function toStored(row: RawRow): StoredAuditRow {
  return {
    seq: Number(row.seq),
    event_id: row.event_id,
    event_type: row.event_type,
    transaction_id: row.transaction_id,
    card_id: row.card_id,
    occurred_at: row.occurred_at,
    recorded_at: row.recorded_at,
    prev_hash: row.prev_hash,
    hash: row.hash,
    record: row.record,
  };
}

/** The event key of @argus/audit-chain's auditEventKey, and of the audit_log_event_key index. */
function keyOf(entry: { event_id?: string | null; transaction_id: string; event_type: string }): string {
  return entry.event_id ?? `${entry.event_type}:${entry.transaction_id}`;
}

function firstOfEachKey(entries: readonly AuditEntry[]): AuditEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = keyOf(entry);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function lockHead(tx: PgConnection): Promise<AuditHead | null> {
  const { rows } = await tx.query<{ seq: string; hash: string | null }>(
    'audit.head_lock',
    'SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE',
  );
  const row = rows[0];
  if (row === undefined) {
    throw new AuditStoreError(
      AuditStoreErrorCode.NOT_MIGRATED,
      'audit_chain_head has no row: run the audit migrations',
    );
  }
  return row.hash === null ? null : { seq: Number(row.seq), hash: row.hash };
}

/** Keeps the entries not yet logged. Safe without a race because every appender holds the head lock. */
async function dropLogged(tx: PgConnection, entries: readonly AuditEntry[]): Promise<AuditEntry[]> {
  const { rows } = await tx.query<{ key: string }>(
    'audit.existing',
    `SELECT coalesce(event_id, event_type || ':' || transaction_id) AS key FROM audit_log
      WHERE coalesce(event_id, event_type || ':' || transaction_id) = ANY($1::text[])`,
    [entries.map(keyOf)],
  );
  if (rows.length === 0) return [...entries];
  const logged = new Set(rows.map((row) => row.key));
  return entries.filter((entry) => !logged.has(keyOf(entry)));
}

/** One statement for the whole batch: ten arrays, whatever the batch size (no 65 535-parameter ceiling). */
async function insertRows(tx: PgConnection, rows: readonly LinkedAuditRow[]): Promise<void> {
  await tx.query(
    'audit.insert',
    `INSERT INTO audit_log (seq, event_type, transaction_id, card_id, occurred_at, recorded_at, prev_hash, hash, record,
                           event_id)
     SELECT seq, event_type, transaction_id, card_id,
            timestamptz 'epoch' + occurred_ms * interval '1 millisecond',
            timestamptz 'epoch' + recorded_ms * interval '1 millisecond',
            prev_hash, hash, record, event_id
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[],
                   $7::text[], $8::text[], $9::text[], $10::text[])
         AS r(seq, event_type, transaction_id, card_id, occurred_ms, recorded_ms, prev_hash, hash, record, event_id)`,
    [
      rows.map((row) => row.seq),
      rows.map((row) => row.event_type),
      rows.map((row) => row.transaction_id),
      rows.map((row) => row.card_id),
      rows.map((row) => row.occurred_at),
      rows.map((row) => row.recorded_at),
      rows.map((row) => row.prev_hash),
      rows.map((row) => row.hash),
      rows.map((row) => row.record),
      rows.map((row) => row.event_id),
    ],
  );
}

/** A cheap guard against a wrong link function: the rows must continue the chain from the locked head. */
function assertLinked(head: AuditHead | null, entries: readonly AuditEntry[], rows: readonly LinkedAuditRow[]): void {
  const problem = linkProblem(head, entries, rows);
  if (problem !== undefined) throw new AuditStoreError(AuditStoreErrorCode.LINK_INVALID, problem);
}

function linkProblem(
  head: AuditHead | null,
  entries: readonly AuditEntry[],
  rows: readonly LinkedAuditRow[],
): string | undefined {
  if (rows.length !== entries.length) return `link returned ${rows.length} rows for ${entries.length} entries`;
  const firstSeq = (head?.seq ?? 0) + 1;
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i]!;
    if (row.seq !== firstSeq + i) return `row ${i} has seq ${row.seq}, expected ${firstSeq + i}`;
    const prev = i === 0 ? head?.hash : rows[i - 1]!.hash;
    if (prev !== undefined && row.prev_hash !== prev)
      return `row ${i} (seq ${row.seq}) does not link to the row before`;
    if (keyOf(row) !== keyOf(entries[i]!)) return `row ${i} is for another entry than entry ${i}`;
  }
  return undefined;
}

function storeError(error: unknown, code: AuditStoreErrorCode, context: string): AuditStoreError {
  if (error instanceof AuditStoreError) return error;
  // 42P01: undefined_table.
  if (error instanceof PgError && error.sqlState === '42P01') {
    return new AuditStoreError(
      AuditStoreErrorCode.NOT_MIGRATED,
      `${context}: the audit tables are missing, run the audit migrations`,
      {
        cause: error,
      },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new AuditStoreError(code, `${context}: ${detail}`, { cause: error });
}
