import { createHash } from 'node:crypto';
import {
  findMigrationsDir,
  migrate,
  PgError,
  withTransaction,
  type MigrationReport,
  type PgPool,
  type PgQueryable,
} from '@argus/pg';
import { ModelRegistryError, ModelRegistryErrorCode } from './model-registry.errors';
import {
  ALLOWED_TRANSITIONS,
  type ModelRecord,
  type ModelRegistration,
  type ModelStatus,
  type ServingSet,
  type StatusChange,
  type StatusEvent,
} from './model-registry.types';

/** NOTIFY channel raised on every status change, so servers can reload at once instead of at their next poll. */
export const REGISTRY_CHANNEL = 'argus_model_registry';

const RECORD_COLUMNS = `v.version, v.kind, v.status, v.schema_hash, v.train_from, v.train_to, v.labels_known_by,
  v.calibration_from, v.calibration_to, v.test_from, v.test_to, v.label_delay_days, v.metrics, v.evaluation,
  v.metadata, v.source, v.registered_at, v.status_changed_at,
  COALESCE((SELECT jsonb_object_agg(a.name, a.sha256) FROM model_artefacts a WHERE a.version = v.version), '{}'::jsonb)
    AS artefacts`;

interface RecordRow {
  version: string;
  kind: string;
  status: ModelStatus;
  schema_hash: string;
  train_from: Date;
  train_to: Date;
  labels_known_by: Date;
  calibration_from: Date;
  calibration_to: Date;
  test_from: Date;
  test_to: Date;
  label_delay_days: number;
  metrics: unknown;
  evaluation: unknown;
  metadata: unknown;
  source: string | null;
  registered_at: Date;
  status_changed_at: Date;
  artefacts: Record<string, string>;
}

function toRecord(row: RecordRow): ModelRecord {
  return {
    version: row.version,
    kind: row.kind,
    status: row.status,
    schemaHash: row.schema_hash,
    windows: {
      trainFrom: row.train_from.toISOString(),
      trainTo: row.train_to.toISOString(),
      labelsKnownBy: row.labels_known_by.toISOString(),
      calibrationFrom: row.calibration_from.toISOString(),
      calibrationTo: row.calibration_to.toISOString(),
      testFrom: row.test_from.toISOString(),
      testTo: row.test_to.toISOString(),
    },
    labelDelayDays: row.label_delay_days,
    metrics: row.metrics,
    evaluation: row.evaluation,
    metadata: row.metadata,
    source: row.source,
    artefacts: row.artefacts,
    registeredAt: row.registered_at.toISOString(),
    statusChangedAt: row.status_changed_at.toISOString(),
  };
}

/** One string that changes whenever a serving model, its status or its status time changes. */
function fingerprintOf(rows: readonly (readonly [string, string, string])[]): string {
  return rows.map(([version, status, at]) => `${version}:${status}:${at}`).join(',');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function storeError(error: unknown, message: string): ModelRegistryError {
  if (error instanceof ModelRegistryError) return error;
  const detail = error instanceof PgError ? `: ${error.message}` : '';
  return new ModelRegistryError(ModelRegistryErrorCode.STORE_FAILED, `${message}${detail}`, { cause: error });
}

export function modelMigrationsDir(start: string = __dirname): string {
  try {
    return findMigrationsDir('libs/platform/model-registry', '0001_model_registry.sql', start);
  } catch (error) {
    throw new ModelRegistryError(ModelRegistryErrorCode.MIGRATIONS_NOT_FOUND, (error as Error).message);
  }
}

/**
 * The model registry in PostgreSQL (the one adapter to it): versions with their artefacts' bytes and hashes,
 * training windows, metrics, evaluation and status, and the trail of status changes. At most one champion,
 * enforced by a unique index; promoting a champion retires the previous one in the same transaction.
 */
export class ModelRegistry {
  constructor(
    private readonly pool: PgPool,
    private readonly migrationsDir?: string,
  ) {}

  /** Applies the registry migrations (own `model_registry_migrations` table). */
  migrate(): Promise<MigrationReport> {
    return migrate(this.pool, {
      dir: this.migrationsDir ?? modelMigrationsDir(),
      table: 'model_registry_migrations',
    });
  }

  /**
   * Stores a new version as a candidate with its artefacts. Registering the same version with the same
   * artefacts again returns the stored record (idempotent); with other artefacts it is refused.
   */
  async register(model: ModelRegistration, change: StatusChange): Promise<ModelRecord> {
    for (const artefact of model.artefacts) {
      const actual = sha256Hex(artefact.bytes);
      if (actual !== artefact.sha256) {
        throw new ModelRegistryError(
          ModelRegistryErrorCode.ARTEFACT_HASH_MISMATCH,
          `${model.version}: ${artefact.name} hashes to ${actual}, the metadata says ${artefact.sha256}`,
        );
      }
    }
    try {
      return await withTransaction(this.pool, async (tx) => {
        const existing = await this.find(tx, model.version);
        if (existing !== null) {
          const same =
            model.artefacts.length === Object.keys(existing.artefacts).length &&
            model.artefacts.every((artefact) => existing.artefacts[artefact.name] === artefact.sha256);
          if (same) return existing;
          throw new ModelRegistryError(
            ModelRegistryErrorCode.VERSION_CONFLICT,
            `model version ${model.version} is already registered with other artefacts`,
          );
        }
        const w = model.windows;
        await tx.query(
          'models.insert',
          `INSERT INTO model_versions (version, kind, status, schema_hash, train_from, train_to, labels_known_by,
             calibration_from, calibration_to, test_from, test_to, label_delay_days, metrics, metadata, source)
           VALUES ($1, $2, 'candidate', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            model.version,
            model.kind,
            model.schemaHash,
            w.trainFrom,
            w.trainTo,
            w.labelsKnownBy,
            w.calibrationFrom,
            w.calibrationTo,
            w.testFrom,
            w.testTo,
            model.labelDelayDays,
            JSON.stringify(model.metrics),
            JSON.stringify(model.metadata),
            model.source ?? null,
          ],
        );
        for (const artefact of model.artefacts) {
          await tx.query(
            'models.insert_artefact',
            'INSERT INTO model_artefacts (version, name, sha256, bytes) VALUES ($1, $2, $3, $4)',
            [model.version, artefact.name, artefact.sha256, artefact.bytes],
          );
        }
        await this.recordEvent(tx, model.version, null, 'candidate', change);
        return (await this.find(tx, model.version))!;
      });
    } catch (error) {
      throw storeError(error, `registering model ${model.version} failed`);
    }
  }

  async get(version: string): Promise<ModelRecord> {
    let record: ModelRecord | null;
    try {
      record = await this.find(this.pool, version);
    } catch (error) {
      throw storeError(error, `reading model ${version} failed`);
    }
    if (record === null) {
      throw new ModelRegistryError(ModelRegistryErrorCode.NOT_FOUND, `no model version ${version} in the registry`);
    }
    return record;
  }

  /** Every version, newest first. */
  async list(): Promise<ModelRecord[]> {
    try {
      const result = await this.pool.query<RecordRow>(
        'models.list',
        `SELECT ${RECORD_COLUMNS} FROM model_versions v ORDER BY v.registered_at DESC, v.version DESC`,
      );
      return result.rows.map(toRecord);
    } catch (error) {
      throw storeError(error, 'listing models failed');
    }
  }

  /** The champion and the shadows, and a fingerprint of (version, status, status time) to poll cheaply. */
  async serving(): Promise<ServingSet> {
    try {
      const result = await this.pool.query<RecordRow>(
        'models.serving',
        `SELECT ${RECORD_COLUMNS} FROM model_versions v
          WHERE v.status IN ('champion', 'shadow') ORDER BY v.status, v.version`,
      );
      const records = result.rows.map(toRecord);
      return {
        champion: records.find((record) => record.status === 'champion') ?? null,
        shadows: records.filter((record) => record.status === 'shadow'),
        fingerprint: fingerprintOf(records.map((r) => [r.version, r.status, r.statusChangedAt])),
      };
    } catch (error) {
      throw storeError(error, 'reading the serving models failed');
    }
  }

  /** `serving().fingerprint` alone: what a server polls, without reading the models' metadata. */
  async servingFingerprint(): Promise<string> {
    try {
      const result = await this.pool.query<{ version: string; status: string; status_changed_at: Date }>(
        'models.serving_fingerprint',
        `SELECT version, status, status_changed_at FROM model_versions
          WHERE status IN ('champion', 'shadow') ORDER BY status, version`,
      );
      return fingerprintOf(result.rows.map((r) => [r.version, r.status, r.status_changed_at.toISOString()]));
    } catch (error) {
      throw storeError(error, 'reading the serving models failed');
    }
  }

  /** An artefact's bytes, checked against the recorded sha256. */
  async artefact(version: string, name: string): Promise<Buffer> {
    let row: { sha256: string; bytes: Buffer } | undefined;
    try {
      const result = await this.pool.query<{ sha256: string; bytes: Buffer }>(
        'models.artefact',
        'SELECT sha256, bytes FROM model_artefacts WHERE version = $1 AND name = $2',
        [version, name],
      );
      row = result.rows[0];
    } catch (error) {
      throw storeError(error, `reading ${name} of model ${version} failed`);
    }
    if (row === undefined) {
      throw new ModelRegistryError(ModelRegistryErrorCode.NOT_FOUND, `model ${version} has no artefact ${name}`);
    }
    const actual = sha256Hex(row.bytes);
    if (actual !== row.sha256) {
      throw new ModelRegistryError(
        ModelRegistryErrorCode.ARTEFACT_HASH_MISMATCH,
        `${name} of model ${version} hashes to ${actual}, the registry recorded ${row.sha256}`,
      );
    }
    return row.bytes;
  }

  /**
   * Moves a version to `to`. Promoting to champion retires the current champion in the same transaction;
   * everything is recorded in the status trail and announced on REGISTRY_CHANNEL.
   */
  async setStatus(version: string, to: ModelStatus, change: StatusChange): Promise<ModelRecord> {
    try {
      return await withTransaction(this.pool, async (tx) => {
        // Serialises status changes: two concurrent promotions cannot both see "no other champion".
        await tx.query('models.lock', 'LOCK TABLE model_versions IN SHARE ROW EXCLUSIVE MODE');
        const current = await this.find(tx, version);
        if (current === null) {
          throw new ModelRegistryError(ModelRegistryErrorCode.NOT_FOUND, `no model version ${version} in the registry`);
        }
        if (current.status === to) return current;
        if (!ALLOWED_TRANSITIONS[current.status].includes(to)) {
          throw new ModelRegistryError(
            ModelRegistryErrorCode.INVALID_TRANSITION,
            `model ${version} is ${current.status}: it cannot become ${to}` +
              (current.status === 'champion' ? ' (promote another model to replace a champion)' : ''),
          );
        }
        if (to === 'champion') {
          const previous = await tx.query<{ version: string }>(
            'models.current_champion',
            "SELECT version FROM model_versions WHERE status = 'champion'",
          );
          for (const { version: old } of previous.rows) {
            await this.updateStatus(tx, old, 'retired');
            await this.recordEvent(tx, old, 'champion', 'retired', {
              reason: `replaced by ${version}: ${change.reason}`,
              actor: change.actor,
            });
          }
        }
        await this.updateStatus(tx, version, to);
        await this.recordEvent(tx, version, current.status, to, change);
        await tx.query('models.notify', `SELECT pg_notify($1, $2)`, [REGISTRY_CHANNEL, `${version}:${to}`]);
        return (await this.find(tx, version))!;
      });
    } catch (error) {
      throw storeError(error, `changing the status of model ${version} failed`);
    }
  }

  /** Stores the latest evaluation headline of a version. */
  async recordEvaluation(version: string, evaluation: unknown): Promise<void> {
    let updated: number;
    try {
      const result = await this.pool.query(
        'models.evaluation',
        'UPDATE model_versions SET evaluation = $2 WHERE version = $1',
        [version, JSON.stringify(evaluation)],
      );
      updated = result.rowCount ?? 0;
    } catch (error) {
      throw storeError(error, `recording the evaluation of model ${version} failed`);
    }
    if (updated === 0) {
      throw new ModelRegistryError(ModelRegistryErrorCode.NOT_FOUND, `no model version ${version} in the registry`);
    }
  }

  /** The status trail of one version (or all), oldest first. */
  async events(version?: string): Promise<StatusEvent[]> {
    try {
      const result = await this.pool.query<{
        version: string;
        from_status: ModelStatus | null;
        to_status: ModelStatus;
        reason: string;
        actor: string;
        at: Date;
      }>(
        'models.events',
        `SELECT version, from_status, to_status, reason, actor, at FROM model_status_events
          WHERE $1::text IS NULL OR version = $1 ORDER BY id`,
        [version ?? null],
      );
      return result.rows.map((row) => ({
        version: row.version,
        from: row.from_status,
        to: row.to_status,
        reason: row.reason,
        actor: row.actor,
        at: row.at.toISOString(),
      }));
    } catch (error) {
      throw storeError(error, 'reading the model status trail failed');
    }
  }

  private async find(db: PgQueryable, version: string): Promise<ModelRecord | null> {
    const result = await db.query<RecordRow>(
      'models.find',
      `SELECT ${RECORD_COLUMNS} FROM model_versions v WHERE v.version = $1`,
      [version],
    );
    return result.rows[0] === undefined ? null : toRecord(result.rows[0]);
  }

  private async updateStatus(db: PgQueryable, version: string, to: ModelStatus): Promise<void> {
    await db.query(
      'models.update_status',
      'UPDATE model_versions SET status = $2, status_changed_at = clock_timestamp() WHERE version = $1',
      [version, to],
    );
  }

  private async recordEvent(
    db: PgQueryable,
    version: string,
    from: ModelStatus | null,
    to: ModelStatus,
    change: StatusChange,
  ): Promise<void> {
    await db.query(
      'models.event',
      'INSERT INTO model_status_events (version, from_status, to_status, reason, actor) VALUES ($1, $2, $3, $4, $5)',
      [version, from, to, change.reason, change.actor],
    );
  }
}
