const EPSILON = 1e-9;

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/**
 * A token bucket: `burst` tokens at most, refilled at `ratePerSecond`; each request takes one. Time comes from
 * the caller (milliseconds of a monotonic clock), so the bucket is pure and tested without waiting.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private ratePerSecond: number,
    private burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** New limits from a reloaded clients file; the tokens already earned are kept, up to the new burst. */
  reconfigure(ratePerSecond: number, burst: number): void {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }

  matches(ratePerSecond: number, burst: number): boolean {
    return this.ratePerSecond === ratePerSecond && this.burst === burst;
  }

  take(now: number): RateDecision {
    this.refill(now);
    // Refills add fractions (0.1 + 0.1 + … falls short of 1): without the tolerance a bucket would admit
    // measurably less than its rate.
    if (this.tokens >= 1 - EPSILON) {
      this.tokens -= 1;
      return { allowed: true };
    }
    return {
      allowed: false,
      retryAfterMs: Math.max(1, Math.ceil(((1 - EPSILON - this.tokens) * 1000) / this.ratePerSecond)),
    };
  }

  private refill(now: number): void {
    // A clock that goes backwards (it should not, being monotonic) must not drain the bucket.
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    this.updatedAt = now;
  }
}

export interface RateLimitedClient {
  readonly id: string;
  readonly ratePerSecond: number;
  readonly burst: number;
}

/**
 * One token bucket per API client, in this process. The limit is therefore per replica: N gateway replicas
 * admit up to N times a client's rate (a shared limit would cost a Redis round trip on every decision).
 */
export class ClientRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  take(client: RateLimitedClient): RateDecision {
    const now = this.clock();
    let bucket = this.buckets.get(client.id);
    if (bucket === undefined) {
      bucket = new TokenBucket(client.ratePerSecond, client.burst, now);
      this.buckets.set(client.id, bucket);
    } else if (!bucket.matches(client.ratePerSecond, client.burst)) {
      bucket.reconfigure(client.ratePerSecond, client.burst);
    }
    return bucket.take(now);
  }
}
