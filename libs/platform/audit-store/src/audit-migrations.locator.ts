import { findMigrationsDir, PgError } from '@argus/pg';
import { AuditStoreError, AuditStoreErrorCode } from './audit-store.errors';

/** The audit log's SQL migrations, shipped beside this library's sources. */
export function auditMigrationsDir(start: string = __dirname): string {
  try {
    return findMigrationsDir('libs/platform/audit-store', '0001_audit_log.sql', start);
  } catch (error) {
    if (!(error instanceof PgError)) throw error;
    throw new AuditStoreError(AuditStoreErrorCode.MIGRATIONS_NOT_FOUND, `${error.message} (or to AuditStore)`);
  }
}
