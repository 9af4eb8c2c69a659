import { ClientRateLimiter, TokenBucket } from './token-bucket.limiter';

describe('TokenBucket', () => {
  it('admits a burst at once, then refuses with the time until the next token', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: true },
    ]);
    // 10 per second: one token every 100 ms.
    expect(bucket.take(0)).toEqual({ allowed: false, retryAfterMs: 100 });
    expect(bucket.take(40)).toEqual({ allowed: false, retryAfterMs: 60 });
    expect(bucket.take(100)).toEqual({ allowed: true });
    expect(bucket.take(100)).toEqual({ allowed: false, retryAfterMs: 100 });
  });

  it('refills at the rate, never above the burst', () => {
    const bucket = new TokenBucket(2, 2, 0);
    bucket.take(0);
    bucket.take(0);
    // Ten seconds idle earn 20 tokens, but the bucket holds 2.
    expect(bucket.take(10_000)).toEqual({ allowed: true });
    expect(bucket.take(10_000)).toEqual({ allowed: true });
    expect(bucket.take(10_000).allowed).toBe(false);
  });

  it('sustains exactly the rate over time', () => {
    const bucket = new TokenBucket(100, 1, 0);
    let admitted = 0;
    // One attempt per millisecond for 10 s against 100/s.
    for (let now = 0; now < 10_000; now += 1) if (bucket.take(now).allowed) admitted += 1;
    expect(admitted).toBe(1000);
  });

  it('ignores a clock going backwards instead of draining', () => {
    const bucket = new TokenBucket(1, 1, 1_000);
    expect(bucket.take(1_000).allowed).toBe(true);
    expect(bucket.take(500)).toEqual({ allowed: false, retryAfterMs: 1000 });
  });

  it('keeps earned tokens, up to the new burst, when reconfigured', () => {
    const bucket = new TokenBucket(1, 5, 0);
    bucket.reconfigure(1, 2);
    expect([bucket.take(0).allowed, bucket.take(0).allowed, bucket.take(0).allowed]).toEqual([true, true, false]);
  });
});

describe('ClientRateLimiter', () => {
  it('keeps one bucket per client and follows changed limits', () => {
    let now = 0;
    const limiter = new ClientRateLimiter(() => now);
    const a = { id: 'a', ratePerSecond: 1, burst: 1 };
    const b = { id: 'b', ratePerSecond: 1, burst: 1 };
    expect(limiter.take(a).allowed).toBe(true);
    expect(limiter.take(a).allowed).toBe(false);
    expect(limiter.take(b).allowed).toBe(true);
    // The clients file was reloaded with a higher rate for a.
    now = 10;
    expect(limiter.take({ ...a, ratePerSecond: 1000, burst: 10 }).allowed).toBe(true);
    now = 500;
    expect(limiter.take({ ...a, ratePerSecond: 1000, burst: 10 }).allowed).toBe(true);
  });
});
