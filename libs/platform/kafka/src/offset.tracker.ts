/**
 * Which offsets of each partition are still being worked on, so that only what is finished is committed:
 * the commit point of a partition is its oldest unfinished offset (or one past the last seen when none is).
 * Records are tracked in offset order, as they are fetched; they may finish in any order.
 */
export class OffsetTracker {
  private readonly partitions = new Map<string, { pending: Map<string, true>; next: bigint; committed: bigint }>();

  track(topic: string, partition: number, offset: string): void {
    const state = this.state(topic, partition);
    state.pending.set(offset, true);
    const next = BigInt(offset) + 1n;
    if (next > state.next) state.next = next;
  }

  done(topic: string, partition: number, offset: string): void {
    this.partitions.get(key(topic, partition))?.pending.delete(offset);
  }

  /** Commit points that moved since the last call. */
  commitable(): { topic: string; partition: number; offset: string }[] {
    const moved: { topic: string; partition: number; offset: string }[] = [];
    for (const [id, state] of this.partitions) {
      const oldest = state.pending.keys().next();
      const point = oldest.done ? state.next : BigInt(oldest.value);
      if (point > state.committed) {
        state.committed = point;
        const [topic, partition] = split(id);
        moved.push({ topic, partition, offset: point.toString() });
      }
    }
    return moved;
  }

  /** Forget everything (the group rebalanced: uncommitted records will be fetched again). */
  reset(): void {
    this.partitions.clear();
  }

  /** Records not finished yet, all partitions. */
  get pending(): number {
    let count = 0;
    for (const state of this.partitions.values()) count += state.pending.size;
    return count;
  }

  private state(topic: string, partition: number) {
    const id = key(topic, partition);
    let state = this.partitions.get(id);
    if (state === undefined) {
      state = { pending: new Map(), next: 0n, committed: -1n };
      this.partitions.set(id, state);
    }
    return state;
  }
}

function key(topic: string, partition: number): string {
  return `${partition}|${topic}`;
}

function split(id: string): [string, number] {
  const bar = id.indexOf('|');
  return [id.slice(bar + 1), Number(id.slice(0, bar))];
}
