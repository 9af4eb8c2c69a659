import {
  DEFAULT_STATE_TUNING,
  LABEL_WINDOWS,
  LabelOutcome,
  VELOCITY_WINDOWS,
  type EntityRef,
  type EntitySnapshot,
  type EntityUpdate,
  type FeatureStateStore,
  type FraudLabelEvent,
  type Moments,
  type PreviousEvent,
  type StateEvent,
  type StateTuning,
  type VelocityAggregate,
  labelPlan,
  velocityPlan,
  windowRange,
} from '@argus/contracts';

type Bucket = [count: number, sumUnits: number, small: number];

interface EntityState {
  lastTouched: number;
  first?: number;
  prevTime?: number;
  locatedTime?: number;
  location?: string;
  readonly dedup: Map<string, number>;
  /** Resolution (ms) → bucket index → bucket: numeric keys, no strings on the hot path. */
  readonly velocity: Map<number, Map<number, Bucket>>;
  readonly distinct: Map<string, Map<string, number>>;
  readonly novelty: Set<string>;
  readonly histograms: Map<string, Map<string, number>>;
  readonly moments: Map<string, { n: number; sum: number; sumSquares: number }>;
}

/** A transaction in the label index: kept compact, there is one per transaction of the history. */
interface IndexEntry {
  readonly time: number;
  /** `kind␟id` of each target, joined with ␞. */
  readonly targets: string;
  labelled: boolean;
}

const encodeTargets = (targets: readonly EntityRef[]) => targets.map((t) => key(t.kind, t.id)).join('\u001e');

function decodeTargets(text: string): EntityRef[] {
  return text.split('\u001e').map((target) => {
    const [kind, id] = target.split('\u001f') as [EntityRef['kind'], string];
    return { kind, id };
  });
}

const key = (kind: string, id: string) => `${kind}\u001f${id}`;

function newState(): EntityState {
  return {
    lastTouched: Number.NEGATIVE_INFINITY,
    dedup: new Map(),
    velocity: new Map(),
    distinct: new Map(),
    novelty: new Set(),
    histograms: new Map(),
    moments: new Map(),
  };
}

function getOrCreate<K, V>(map: Map<K, V>, k: K, create: () => V): V {
  let value = map.get(k);
  if (value === undefined) {
    value = create();
    map.set(k, value);
  }
  return value;
}

/**
 * Feature state in process memory, for backfill and tests: the reference semantics of the protocol in
 * `@argus/contracts` (feature-state.ts), which the Redis store reproduces in Lua. Time is event time only —
 * entities idle for longer than `idleTtlMs` are forgotten when next touched — so replaying a history gives
 * the same answers however fast it runs.
 */
export class InMemoryFeatureState implements FeatureStateStore {
  private readonly entities = new Map<string, EntityState>();
  private readonly labels = new Map<string, Map<number, number>>();
  private readonly index = new Map<string, IndexEntry>();

  constructor(private readonly tuning: StateTuning = DEFAULT_STATE_TUNING) {}

  async apply(events: readonly StateEvent[]): Promise<EntitySnapshot[][]> {
    return events.map((event) => this.applyOne(event));
  }

  async applyFraudLabels(labels: readonly FraudLabelEvent[]): Promise<LabelOutcome[]> {
    return labels.map((label) => this.applyLabel(label));
  }

  /** Synchronous form of apply() for one event (backfill's hot loop). */
  applyOne(event: StateEvent): EntitySnapshot[] {
    const snapshots = event.entities.map((update) => this.applyEntity(update, event.transactionId, event.eventTime));
    if (event.labelTargets.length > 0 && !this.index.has(event.transactionId)) {
      this.index.set(event.transactionId, {
        time: event.eventTime,
        targets: encodeTargets(event.labelTargets),
        labelled: false,
      });
    }
    return snapshots;
  }

  applyLabel(label: FraudLabelEvent): LabelOutcome {
    const entry = this.index.get(label.transactionId);
    if (entry === undefined || label.reportedAt - entry.time > this.tuning.transactionIndexTtlMs) {
      return LabelOutcome.UNKNOWN_TRANSACTION;
    }
    if (entry.labelled) return LabelOutcome.ALREADY_COUNTED;
    entry.labelled = true;
    const [plan] = labelPlan(label.reportedAt, this.tuning);
    for (const target of decodeTargets(entry.targets)) {
      const buckets = getOrCreate(this.labels, key(target.kind, target.id), () => new Map<number, number>());
      for (const index of buckets.keys()) if (index < plan!.oldestKept) buckets.delete(index);
      buckets.set(plan!.current, (buckets.get(plan!.current) ?? 0) + 1);
    }
    return LabelOutcome.COUNTED;
  }

  private applyEntity(update: EntityUpdate, transactionId: string, t: number): EntitySnapshot {
    const stateKey = key(update.kind, update.id);
    let state = this.entities.get(stateKey);
    if (state === undefined || t - state.lastTouched > this.tuning.idleTtlMs) {
      state = newState();
      this.entities.set(stateKey, state);
    }

    for (const [id, time] of state.dedup) if (time < t - this.tuning.dedupHorizonMs) state.dedup.delete(id);
    const duplicate = state.dedup.has(transactionId);
    if (!duplicate) state.dedup.set(transactionId, t);

    if (!duplicate) this.addToVelocity(state, update, t);
    const velocity = VELOCITY_WINDOWS.map((window): VelocityAggregate => {
      const { from, to } = windowRange(window, t);
      let count = 0;
      let sumUnits = 0;
      let smallCount = 0;
      for (const [index, bucket] of state.velocity.get(window.resolutionMs) ?? []) {
        if (index < from || index > to) continue;
        count += bucket[0];
        sumUnits += bucket[1];
        smallCount += bucket[2];
      }
      return { count, sumUnits, smallCount };
    });

    const distinct = (update.distinct ?? []).map((request) => {
      const members = getOrCreate(state.distinct, request.dimension, () => new Map<string, number>());
      if (!duplicate) {
        const horizon = t - Math.max(...request.windowsMs) - this.tuning.outOfOrderToleranceMs;
        for (const [member, seen] of members) if (seen < horizon) members.delete(member);
        members.set(request.member, Math.max(members.get(request.member) ?? Number.NEGATIVE_INFINITY, t));
      }
      return request.windowsMs.map((window) => {
        let count = 0;
        for (const seen of members.values()) if (seen >= t - window) count += 1;
        return count;
      });
    });

    const novel = (update.novelty ?? []).map(({ dimension, value }) => {
      const noveltyKey = key(dimension, value);
      const isNew = !state.novelty.has(noveltyKey);
      if (isNew && !duplicate) state.novelty.add(noveltyKey);
      return isNew;
    });

    const firstSeen = state.first ?? t;
    let previous: PreviousEvent | null = null;
    if (update.previous !== undefined && state.prevTime !== undefined) {
      previous = { time: state.prevTime, locatedTime: state.locatedTime ?? null, location: state.location ?? null };
    }
    const histograms = (update.histograms ?? []).map(({ name }) => ({
      ...Object.fromEntries(state.histograms.get(name) ?? []),
    }));
    const moments = (update.moments ?? []).map(({ name }): Moments => {
      const m = state.moments.get(name);
      return m === undefined ? { n: 0, sum: 0, sumSquares: 0 } : { ...m };
    });

    if (!duplicate) {
      state.first = Math.min(state.first ?? t, t);
      if (update.previous !== undefined) {
        if (state.prevTime === undefined || t >= state.prevTime) state.prevTime = t;
        const { location } = update.previous;
        if (location !== null && (state.locatedTime === undefined || t >= state.locatedTime)) {
          state.locatedTime = t;
          state.location = location;
        }
      }
      for (const { name, bin } of update.histograms ?? []) {
        const histogram = getOrCreate(state.histograms, name, () => new Map<string, number>());
        histogram.set(bin, (histogram.get(bin) ?? 0) + 1);
      }
      for (const { name, value } of update.moments ?? []) {
        const m = getOrCreate(state.moments, name, () => ({ n: 0, sum: 0, sumSquares: 0 }));
        m.n += 1;
        m.sum += value;
        m.sumSquares += value * value;
      }
      state.lastTouched = Math.max(state.lastTouched, t);
    }

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
      fraudLabels: update.labels ? this.readLabels(update.kind, update.id, t) : [],
    };
  }

  private addToVelocity(state: EntityState, update: EntityUpdate, t: number): void {
    for (const plan of velocityPlan(t, this.tuning)) {
      const buckets = getOrCreate(state.velocity, plan.resolutionMs, () => new Map<number, Bucket>());
      for (const index of buckets.keys()) if (index < plan.oldestKept) buckets.delete(index);
      const bucket = getOrCreate(buckets, plan.current, (): Bucket => [0, 0, 0]);
      bucket[0] += 1;
      bucket[1] += update.amountUnits;
      bucket[2] += update.small ? 1 : 0;
    }
  }

  private readLabels(kind: string, id: string, t: number): number[] {
    const buckets = this.labels.get(key(kind, id));
    return LABEL_WINDOWS.map((window) => {
      if (buckets === undefined) return 0;
      const { from, to } = windowRange(window, t);
      let count = 0;
      for (let index = from; index <= to; index++) count += buckets.get(index) ?? 0;
      return count;
    });
  }
}
