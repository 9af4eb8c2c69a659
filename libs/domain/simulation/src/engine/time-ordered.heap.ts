/**
 * A min-heap of values by time; equal times come out in insertion order, so a run is deterministic.
 * Holds the pending events of a simulation (one per customer plus what scenarios have scheduled) and the
 * labels waiting for their report time.
 */
export class TimeOrderedHeap<T> {
  private readonly times: number[] = [];
  private readonly orders: number[] = [];
  private readonly values: T[] = [];
  private inserted = 0;

  get size(): number {
    return this.values.length;
  }

  /** Time of the earliest value (Infinity when empty). */
  peekTime(): number {
    return this.values.length === 0 ? Number.POSITIVE_INFINITY : this.times[0];
  }

  push(time: number, value: T): void {
    this.times.push(time);
    this.orders.push(this.inserted++);
    this.values.push(value);
    this.up(this.values.length - 1);
  }

  /** Removes and returns the earliest value; undefined when empty. */
  pop(): T | undefined {
    const n = this.values.length;
    if (n === 0) return undefined;
    const top = this.values[0];
    const last = n - 1;
    if (last > 0) this.move(last, 0);
    this.times.pop();
    this.orders.pop();
    this.values.pop();
    if (last > 0) this.down(0);
    return top;
  }

  private before(i: number, j: number): boolean {
    const dt = this.times[i] - this.times[j];
    return dt < 0 || (dt === 0 && this.orders[i] < this.orders[j]);
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from];
    this.orders[to] = this.orders[from];
    this.values[to] = this.values[from];
  }

  private swap(i: number, j: number): void {
    const time = this.times[i];
    const order = this.orders[i];
    const value = this.values[i];
    this.move(j, i);
    this.times[j] = time;
    this.orders[j] = order;
    this.values[j] = value;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.values.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.before(right, left) ? right : left;
      if (!this.before(child, i)) return;
      this.swap(i, child);
      i = child;
    }
  }
}
