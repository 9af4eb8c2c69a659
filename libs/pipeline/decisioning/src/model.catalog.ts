import type { Logger } from '@argus/logger';
import type { ModelRecord, ModelRegistry } from '@argus/model-registry';
import { loadModel, type LoadedModel } from './model.loader';

/** The models one batch is scored with: taken at the start of the batch, given back at its end. */
export interface ServingModels {
  readonly champion: LoadedModel;
  readonly shadows: readonly LoadedModel[];
}

export interface Lease {
  readonly models: ServingModels | null;
  release(): void;
}

export interface Refusal {
  readonly version: string;
  readonly status: string;
  readonly reason: string;
}

export interface CatalogStatus {
  readonly champion: string | null;
  readonly shadows: readonly string[];
  readonly refused: readonly Refusal[];
  readonly checkedAt: string | null;
  readonly changedAt: string | null;
  readonly error: string | null;
}

/**
 * What the scoring service serves: the champion and shadows of the model registry, reloaded when the registry
 * changes, without a restart and without dropping a transaction.
 *
 * `refresh()` (at start, then every poll) compares the registry's serving fingerprint; on a change it loads
 * the new models beside the old ones and swaps the whole set in one assignment. A batch leases the set it
 * started with, so a swap never changes models under a batch; a replaced model is released when the last
 * batch using it ends. A model that cannot be served (another feature schema, damaged artefacts) is refused
 * with its reason and the previous set stays in force.
 */
export class ModelCatalog {
  private current: ServingModels | null = null;
  /** Batches in flight per model; a model no longer served is released when its count reaches zero. */
  private readonly inFlight = new Map<LoadedModel, number>();
  private readonly retiring = new Set<LoadedModel>();
  private fingerprint: string | undefined;
  private refused: Refusal[] = [];
  private checkedAt: string | null = null;
  private changedAt: string | null = null;
  private lastError: string | null = null;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly liveSchemaHash: string,
    private readonly logger: Logger,
  ) {}

  lease(): Lease {
    const models = this.current;
    const held = models === null ? [] : [models.champion, ...models.shadows];
    for (const model of held) this.inFlight.set(model, (this.inFlight.get(model) ?? 0) + 1);
    let released = false;
    return {
      models,
      release: () => {
        if (released) return;
        released = true;
        for (const model of held) {
          const left = (this.inFlight.get(model) ?? 1) - 1;
          if (left > 0) this.inFlight.set(model, left);
          else this.inFlight.delete(model);
        }
        this.releaseRetired();
      },
    };
  }

  status(): CatalogStatus {
    const models = this.current;
    return {
      champion: models?.champion.version ?? null,
      shadows: models?.shadows.map((shadow) => shadow.version) ?? [],
      refused: this.refused,
      checkedAt: this.checkedAt,
      changedAt: this.changedAt,
      error: this.lastError,
    };
  }

  /** Checks the registry and swaps in what changed. Never throws: a failure is logged and kept in status(). */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Frees every model once no batch uses it. */
  async close(): Promise<void> {
    await this.refreshing;
    this.swap(null);
  }

  private async doRefresh(): Promise<void> {
    try {
      // The cheap query every poll; the models' metadata only when something changed.
      const fingerprint = await this.registry.servingFingerprint();
      this.checkedAt = new Date().toISOString();
      this.lastError = null;
      if (fingerprint === this.fingerprint) return;
      const serving = await this.registry.serving();
      const next = await this.build(serving.champion, serving.shadows);
      this.fingerprint = serving.fingerprint;
      if (next === undefined) return;
      this.swap(next);
      this.changedAt = new Date().toISOString();
      this.logger.info(
        { champion: next?.champion.version ?? null, shadows: next?.shadows.map((s) => s.version) ?? [] },
        'serving models changed',
      );
    } catch (error) {
      this.lastError = (error as Error).message;
      this.logger.error({ err: error }, 'model registry check failed; serving what was loaded');
    }
  }

  /** The next set, or undefined to keep the current one (its champion was refused). */
  private async build(
    championRecord: ModelRecord | null,
    shadowRecords: readonly ModelRecord[],
  ): Promise<ServingModels | null | undefined> {
    const refused: Refusal[] = [];
    const reuse = new Map<string, LoadedModel>();
    const models = this.current;
    for (const model of models === null ? [] : [models.champion, ...models.shadows]) reuse.set(model.version, model);
    const open = async (record: ModelRecord): Promise<LoadedModel | null> => {
      const loaded = reuse.get(record.version);
      if (loaded !== undefined) return loaded;
      try {
        return await loadModel(this.registry, record, this.liveSchemaHash);
      } catch (error) {
        const reason = (error as Error).message;
        refused.push({ version: record.version, status: record.status, reason });
        this.logger.error({ version: record.version, status: record.status, reason }, 'model refused');
        return null;
      }
    };

    const champion = championRecord === null ? null : await open(championRecord);
    const shadows: LoadedModel[] = [];
    for (const record of shadowRecords) {
      const shadow = await open(record);
      if (shadow !== null) shadows.push(shadow);
    }
    this.refused = refused;
    if (championRecord !== null && champion === null) {
      // Keep serving the previous champion; free what was opened only for the refused set.
      for (const shadow of shadows) if (!reuse.has(shadow.version)) await shadow.release();
      if (models !== null) {
        this.logger.error(
          { refused: championRecord.version, serving: models.champion.version },
          'new champion refused: the previous champion stays in force',
        );
      }
      return undefined;
    }
    if (champion === null) {
      for (const shadow of shadows) if (!reuse.has(shadow.version)) await shadow.release();
      if (shadows.length > 0) this.logger.warn({}, 'shadows without a champion are not served');
      return null;
    }
    return { champion, shadows };
  }

  /** One assignment: the next batch leases the new set; models left out are released once idle. */
  private swap(next: ServingModels | null): void {
    const previous = this.current;
    this.current = next;
    const kept = new Set(next === null ? [] : [next.champion, ...next.shadows]);
    for (const model of previous === null ? [] : [previous.champion, ...previous.shadows]) {
      if (!kept.has(model)) this.retiring.add(model);
    }
    this.releaseRetired();
  }

  private releaseRetired(): void {
    for (const model of this.retiring) {
      if (this.inFlight.has(model)) continue;
      this.retiring.delete(model);
      model
        .release()
        .catch((error: unknown) => this.logger.warn({ err: error, version: model.version }, 'release failed'));
    }
  }
}
