import {
  DEFAULT_STATE_TUNING,
  LABEL_WINDOWS,
  LabelOutcome,
  VELOCITY_WINDOWS,
  type EntityKind,
  type EntityRef,
  type EntitySnapshot,
  type EntityUpdate,
  type FeatureStateStore,
  type FraudLabelEvent,
  type StateEvent,
  type StateTuning,
  labelPlan,
  velocityPlan,
  windowRange,
} from '@argus/contracts';
import {
  execPipelined,
  isClusterRedirection,
  type PipelineCommand,
  type PipelinedResult,
  type RedisClient,
} from '@argus/redis';
import { FeatureStateError, FeatureStateErrorCode } from './feature-state.errors';
import { APPLY_ENTITY_LUA, CLAIM_LABEL_LUA, COUNT_LABEL_LUA, INDEX_TRANSACTION_LUA } from './redis-scripts';

type Reply = (string | number | Reply)[];

interface ScriptedRedis {
  argusApplyEntity(numKeys: number, ...args: (string | number)[]): Promise<Reply>;
  argusIndexTransaction(key: string, targets: string, ttlMs: number): Promise<number>;
  argusClaimLabel(indexKey: string, labelledKey: string, ttlMs: number): Promise<string | number>;
  argusCountLabel(key: string, current: number, oldest: number, ttlMs: number): Promise<number>;
}

const UNIT = '\u001f';
const RECORD = '\u001e';
const MAX_VELOCITY_WINDOW_MS = Math.max(...VELOCITY_WINDOWS.map((w) => w.resolutionMs * w.buckets));
const MAX_LABEL_WINDOW_MS = Math.max(...LABEL_WINDOWS.map((w) => w.resolutionMs * w.buckets));

/** `f:{kind:id}:suffix` — the braces make every key of one entity hash to the same Redis Cluster slot. */
export function entityKey(kind: EntityKind, id: string, suffix: string): string {
  return `f:{${kind}:${id}}:${suffix}`;
}

function transactionKey(transactionId: string, suffix: string): string {
  return `f:{tx:${transactionId}}:${suffix}`;
}

function encodeTargets(targets: readonly EntityRef[]): string {
  return targets.map((t) => `${t.kind}${UNIT}${t.id}`).join(RECORD);
}

function decodeTargets(text: string): EntityRef[] {
  return text.split(RECORD).map((record) => {
    const [kind, id] = record.split(UNIT) as [EntityKind, string];
    return { kind, id };
  });
}

/** A script call for {@link execPipelined}: the key that routes it and how it is queued on a pipeline. */
function scriptCall(key: string, call: (pipeline: ScriptedRedis) => unknown): PipelineCommand {
  return { key, queue: (pipeline) => void call(pipeline as unknown as ScriptedRedis) };
}

/**
 * Feature state in Redis: the same semantics as InMemoryFeatureState, in Lua. A batch of events is one
 * pipeline — one round trip — with one script call per (transaction, entity) in event order; every script
 * touches a single entity's keys (one hash tag, one slot). On a Redis Cluster the batch goes as one pipeline
 * per master, all at once, and the replies come back in event order: an entity's calls stay in order, on the
 * one node that serves it.
 */
export class RedisFeatureState implements FeatureStateStore {
  private readonly redis: RedisClient;

  constructor(
    redis: RedisClient,
    private readonly tuning: StateTuning = DEFAULT_STATE_TUNING,
  ) {
    redis.defineCommand('argusApplyEntity', { lua: APPLY_ENTITY_LUA });
    redis.defineCommand('argusIndexTransaction', { lua: INDEX_TRANSACTION_LUA, numberOfKeys: 1 });
    redis.defineCommand('argusClaimLabel', { lua: CLAIM_LABEL_LUA, numberOfKeys: 2 });
    redis.defineCommand('argusCountLabel', { lua: COUNT_LABEL_LUA, numberOfKeys: 1 });
    this.redis = redis;
  }

  /**
   * Redis round trips waited for so far: one per apply() batch, two per applyFraudLabels() batch, one more
   * when a cluster redirected commands and they were re-sent. The pipelines of one round trip go to the
   * cluster's masters together, so this is what a batch costs in wall time; {@link pipelines} counts them.
   */
  roundTrips = 0;

  /** Pipelines sent so far: as many as round trips on one server, up to one per master per round trip on a cluster. */
  pipelines = 0;

  async apply(events: readonly StateEvent[]): Promise<EntitySnapshot[][]> {
    if (events.length === 0) return [];
    const commands: PipelineCommand[] = [];
    for (const event of events) {
      for (const update of event.entities) {
        const [numKeys, ...args] = this.applyArguments(update, event);
        commands.push(
          scriptCall(entityKey(update.kind, update.id, 'm'), (p) => p.argusApplyEntity(numKeys as number, ...args)),
        );
      }
      if (event.labelTargets.length > 0) {
        const key = transactionKey(event.transactionId, 'i');
        const targets = encodeTargets(event.labelTargets);
        commands.push(scriptCall(key, (p) => p.argusIndexTransaction(key, targets, this.tuning.transactionIndexTtlMs)));
      }
    }
    const replies = await this.exec(commands);
    let cursor = 0;
    return events.map((event) => {
      const snapshots = event.entities.map((update) => parseSnapshot(update, replies[cursor++] as Reply));
      if (event.labelTargets.length > 0) cursor += 1;
      return snapshots;
    });
  }

  async applyFraudLabels(labels: readonly FraudLabelEvent[]): Promise<LabelOutcome[]> {
    if (labels.length === 0) return [];
    const claimed = await this.exec(
      labels.map((label) => {
        const index = transactionKey(label.transactionId, 'i');
        const labelled = transactionKey(label.transactionId, 'l');
        return scriptCall(index, (p) => p.argusClaimLabel(index, labelled, this.tuning.transactionIndexTtlMs));
      }),
    );
    const counts: PipelineCommand[] = [];
    const outcomes = labels.map((label, i): LabelOutcome => {
      const reply = claimed[i];
      if (reply === 0) return LabelOutcome.UNKNOWN_TRANSACTION;
      if (reply === 1) return LabelOutcome.ALREADY_COUNTED;
      const [plan] = labelPlan(label.reportedAt, this.tuning);
      for (const target of decodeTargets(String(reply))) {
        const key = entityKey(target.kind, target.id, 'l');
        counts.push(
          scriptCall(key, (p) =>
            p.argusCountLabel(
              key,
              plan!.current,
              plan!.oldestKept,
              MAX_LABEL_WINDOW_MS + this.tuning.outOfOrderToleranceMs,
            ),
          ),
        );
      }
      return LabelOutcome.COUNTED;
    });
    if (counts.length > 0) await this.exec(counts);
    return outcomes;
  }

  private async exec(commands: readonly PipelineCommand[]): Promise<unknown[]> {
    let result: PipelinedResult;
    try {
      result = await execPipelined(this.redis, commands);
    } catch (error) {
      throw new FeatureStateError(FeatureStateErrorCode.STATE_UNAVAILABLE, `redis: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.roundTrips += result.rounds;
    this.pipelines += result.pipelines;
    return result.replies.map(([error, reply]) => {
      if (isClusterRedirection(error)) {
        // Not run: the slot moved or is moving while the batch was sent; the whole batch can be retried.
        throw new FeatureStateError(FeatureStateErrorCode.STATE_UNAVAILABLE, `redis cluster: ${error!.message}`, {
          cause: error,
        });
      }
      if (error) {
        throw new FeatureStateError(FeatureStateErrorCode.SCRIPT_FAILED, `feature state script: ${error.message}`, {
          cause: error,
        });
      }
      return reply;
    });
  }

  private applyArguments(update: EntityUpdate, event: StateEvent): (string | number)[] {
    const t = event.eventTime;
    const { kind, id } = update;
    const tolerance = this.tuning.outOfOrderToleranceMs;
    const distinct = update.distinct ?? [];
    const histograms = update.histograms ?? [];
    const keys = [
      entityKey(kind, id, 'm'),
      entityKey(kind, id, 'v'),
      entityKey(kind, id, 'd'),
      entityKey(kind, id, 'n'),
      entityKey(kind, id, 'l'),
      ...distinct.map((d) => entityKey(kind, id, `x:${d.dimension}`)),
      ...histograms.map((h) => entityKey(kind, id, `h:${h.name}`)),
    ];
    const args: (string | number)[] = [
      event.transactionId,
      t,
      update.amountUnits,
      update.small ? 1 : 0,
      t - this.tuning.dedupHorizonMs,
      this.tuning.dedupHorizonMs + tolerance,
      this.tuning.idleTtlMs,
      MAX_VELOCITY_WINDOW_MS + tolerance,
    ];
    const plans = velocityPlan(t, this.tuning);
    args.push(plans.length, ...plans.flatMap((p) => [p.resolutionMs, p.current, p.oldestKept]));
    args.push(
      VELOCITY_WINDOWS.length,
      ...VELOCITY_WINDOWS.flatMap((w) => {
        const { from, to } = windowRange(w, t);
        return [w.resolutionMs, from, to];
      }),
    );
    args.push(distinct.length);
    for (const d of distinct) {
      args.push(
        d.member,
        t - Math.max(...d.windowsMs) - tolerance,
        d.windowsMs.length,
        ...d.windowsMs.map((w) => t - w),
      );
    }
    const novelty = update.novelty ?? [];
    args.push(novelty.length, ...novelty.map((n) => `${n.dimension}${UNIT}${n.value}`));
    const location = update.previous?.location ?? null;
    args.push(update.previous === undefined ? 0 : 1, location === null ? 0 : 1, location ?? '');
    args.push(histograms.length, ...histograms.map((h) => h.bin));
    const moments = update.moments ?? [];
    args.push(moments.length, ...moments.flatMap((m) => [m.name, m.value]));
    if (update.labels) {
      args.push(
        1,
        LABEL_WINDOWS.length,
        ...LABEL_WINDOWS.flatMap((w) => {
          const { from, to } = windowRange(w, t);
          return [from, to];
        }),
      );
    } else {
      args.push(0);
    }
    return [keys.length, ...keys, ...args];
  }
}

function parseSnapshot(update: EntityUpdate, reply: Reply): EntitySnapshot {
  let i = 0;
  const num = () => Number(reply[i++]);
  const duplicate = num() === 1;
  const velocity = VELOCITY_WINDOWS.map(() => ({ count: num(), sumUnits: num(), smallCount: num() }));
  const distinct = (update.distinct ?? []).map((d) => d.windowsMs.map(() => num()));
  const novel = (update.novelty ?? []).map(() => num() === 1);
  const firstSeen = num();
  const prevTime = reply[i++];
  const locatedTime = reply[i++];
  const location = reply[i++];
  const previous =
    update.previous === undefined || prevTime === '' || prevTime === null
      ? null
      : {
          time: Number(prevTime),
          locatedTime: locatedTime === '' ? null : Number(locatedTime),
          location: location === '' ? null : String(location),
        };
  const histograms = (update.histograms ?? []).map(() => {
    const flat = reply[i++] as string[];
    const histogram: Record<string, number> = {};
    for (let k = 0; k < flat.length; k += 2) histogram[flat[k]!] = Number(flat[k + 1]);
    return histogram;
  });
  const moments = (update.moments ?? []).map(() => ({ n: num(), sum: num(), sumSquares: num() }));
  const fraudLabels = update.labels ? LABEL_WINDOWS.map(() => num()) : [];
  return {
    kind: update.kind,
    id: update.id,
    duplicate,
    velocity,
    distinct,
    novel,
    firstSeen,
    previous,
    histograms,
    moments,
    fraudLabels,
  };
}
