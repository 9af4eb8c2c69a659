import { findMigrationsDir, PgError } from '@argus/pg';
import { CaseStoreError, CaseStoreErrorCode } from './case-store.errors';

/** The case tables' SQL migrations, shipped beside this library's sources. */
export function caseMigrationsDir(start: string = __dirname): string {
  try {
    return findMigrationsDir('libs/platform/case-store', '0001_cases.sql', start);
  } catch (error) {
    if (!(error instanceof PgError)) throw error;
    throw new CaseStoreError(CaseStoreErrorCode.MIGRATIONS_NOT_FOUND, `${error.message} (or to CaseStore)`);
  }
}
