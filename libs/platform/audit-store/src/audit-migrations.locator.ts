import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AuditStoreError, AuditStoreErrorCode } from './audit-store.errors';

const FIRST = '0001_audit_log.sql';

/**
 * Finds the SQL migrations shipped beside this library's sources. They are not compiled, so from dist/
 * (where the CLI and services run) the folder is found by walking up to the repository's libs/ tree.
 */
export function auditMigrationsDir(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    for (const candidate of [join(dir, 'migrations'), join(dir, 'libs', 'platform', 'audit-store', 'migrations')]) {
      if (existsSync(join(candidate, FIRST))) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new AuditStoreError(
        AuditStoreErrorCode.MIGRATIONS_NOT_FOUND,
        `no migrations folder holding ${FIRST} above ${start}; pass migrationsDir to AuditStore`,
      );
    }
    dir = parent;
  }
}
