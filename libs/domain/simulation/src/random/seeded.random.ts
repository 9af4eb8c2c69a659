const TWO_POW_32 = 4294967296;

/** FNV-1a over a string, so scenario and entity names can key a random stream. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finaliser: a bijection on 32-bit integers that spreads every input bit over the output. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Seeded pseudo-random numbers (sfc32, 128-bit state): the same seed gives the same sequence on every
 * machine, so a simulation is reproducible to the byte. `Rng.derive(seed, 'customer', 17)` gives an
 * independent stream per entity, so adding a scenario does not change what the other entities draw.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = mix32(seed ^ 0x9e3779b9);
    this.b = mix32(this.a ^ 0x243f6a88);
    this.c = mix32(this.b ^ 0xb7e15162);
    this.d = 1;
    // The first outputs of a freshly seeded sfc32 are correlated with the seed.
    for (let i = 0; i < 12; i++) this.next();
  }

  static derive(seed: number, ...keys: ReadonlyArray<string | number>): Rng {
    let state = mix32(seed >>> 0);
    for (const key of keys) {
      const part = typeof key === 'number' ? mix32(key >>> 0) : hashString(key);
      state = mix32(state ^ (part + 0x9e3779b9 + ((state << 6) >>> 0) + (state >>> 2)));
    }
    return new Rng(state);
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / TWO_POW_32;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max], both included. */
  intBetween(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Standard normal (Box–Muller; one value per call keeps the stream position simple to reason about). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal with this median and log-scale spread. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with this mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Index drawn with probability proportional to `weights[i]`. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let target = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i];
      if (target < 0) return i;
    }
    return weights.length - 1;
  }

  /** `count` distinct items (fewer when the list is shorter), in draw order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const taken: T[] = [];
    while (taken.length < count && pool.length > 0) {
      const i = this.int(pool.length);
      taken.push(pool[i]);
      pool[i] = pool[pool.length - 1];
      pool.pop();
    }
    return taken;
  }
}

/**
 * Draws indexes by fixed weights in O(log n): the cumulative table is built once, which matters for the
 * per-transaction merchant choice.
 */
export class WeightedTable {
  private readonly cumulative: Float64Array;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    weights.forEach((w, i) => {
      total += w;
      this.cumulative[i] = total;
    });
  }

  get size(): number {
    return this.cumulative.length;
  }

  draw(rng: Rng): number {
    const table = this.cumulative;
    const target = rng.next() * table[table.length - 1];
    let lo = 0;
    let hi = table.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (table[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
