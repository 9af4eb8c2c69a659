import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PgError, PgErrorCode } from './pg.errors';

/**
 * Finds the SQL migrations a library ships beside its sources (`<libDir>/migrations`, holding `firstFile`).
 * They are not compiled, so from dist/ (where the CLI and services run) the folder is found by walking up
 * from `start` to the repository's libs/ tree.
 */
export function findMigrationsDir(libDir: string, firstFile: string, start: string): string {
  let dir = start;
  for (;;) {
    for (const candidate of [join(dir, 'migrations'), join(dir, libDir, 'migrations')]) {
      if (existsSync(join(candidate, firstFile))) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new PgError(
        PgErrorCode.MIGRATION_FILE_INVALID,
        `no migrations folder holding ${firstFile} above ${start}; pass the folder explicitly`,
      );
    }
    dir = parent;
  }
}
