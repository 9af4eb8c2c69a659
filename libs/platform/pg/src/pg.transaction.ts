import type { PgConnection, PgPool } from './pg.pool';

export type PgIsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface PgTransactionOptions {
  /** Default READ COMMITTED, PostgreSQL's own default. */
  readonly isolation?: PgIsolationLevel;
}

/**
 * Runs `fn` inside BEGIN … COMMIT on one connection; rolls back and rethrows if `fn` throws.
 * The connection is released afterwards (destroyed if even the rollback failed, since its state is unknown).
 */
export async function withTransaction<T>(
  pool: PgPool,
  fn: (tx: PgConnection) => Promise<T>,
  options: PgTransactionOptions = {},
): Promise<T> {
  const tx = await pool.connect();
  let destroy = false;
  try {
    try {
      await tx.query('tx.begin', `BEGIN ISOLATION LEVEL ${options.isolation ?? 'READ COMMITTED'}`);
    } catch (error) {
      destroy = true;
      throw error;
    }
    try {
      const result = await fn(tx);
      await tx.query('tx.commit', 'COMMIT');
      return result;
    } catch (error) {
      try {
        await tx.query('tx.rollback', 'ROLLBACK');
      } catch {
        // The original error says what went wrong; a failed rollback only means the connection is unusable.
        destroy = true;
      }
      throw error;
    }
  } finally {
    tx.release(destroy);
  }
}
