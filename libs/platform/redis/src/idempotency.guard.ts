import type { RedisClient } from './redis.client';
import { execPipelined } from './slot.pipeline';

/** What a claim found. */
export const ClaimResult = {
  /** First time this id is seen: process it. */
  NEW: 'NEW',
  /** Seen before from the same origin (a Kafka redelivery after a crash): process it again, downstream is idempotent. */
  REDELIVERY: 'REDELIVERY',
  /** Seen before from another origin: a true duplicate, drop it. */
  DUPLICATE: 'DUPLICATE',
} as const;
export type ClaimResult = (typeof ClaimResult)[keyof typeof ClaimResult];

const DISCONNECTED = new Set(['reconnecting', 'close', 'end', 'disconnecting']);

export interface Claim {
  readonly id: string;
  /** Where this copy came from, e.g. `transactions/3/1042`; a redelivery has the same origin. */
  readonly origin: string;
}

/**
 * De-duplication by id with one Redis round trip per batch (`SET key origin NX GET EX ttl`; on a cluster one
 * pipeline per master, sent together). Remembering the origin of the first copy tells a redelivery of that same
 * record (reprocess: the earlier attempt may have died before publishing) from a second submission of the same
 * id (drop).
 */
export class IdempotencyGuard {
  constructor(
    private readonly redis: RedisClient,
    private readonly namespace: string,
    private readonly ttlSeconds: number,
  ) {}

  async claim(claims: readonly Claim[]): Promise<ClaimResult[]> {
    if (claims.length === 0) return [];
    // Commands on one key run in order (one id is one slot, so one node on a cluster): a second copy inside
    // the same batch sees the first one's origin.
    const { replies } = await execPipelined(
      this.redis,
      claims.map((claim) => {
        const key = this.key(claim.id);
        return { key, queue: (pipeline) => pipeline.set(key, claim.origin, 'EX', this.ttlSeconds, 'NX', 'GET') };
      }),
    );
    return claims.map((claim, index) => {
      const [error, previous] = replies[index]!;
      if (error) throw error;
      if (previous === null) return ClaimResult.NEW;
      return previous === claim.origin ? ClaimResult.REDELIVERY : ClaimResult.DUPLICATE;
    });
  }

  /**
   * `claim`, but when Redis is not connected, fails, or is slower than `timeoutMs` (a frozen server keeps its
   * connections open), every claim is taken as NEW and the error is
   * returned: the caller keeps going (fail open on de-duplication, said in its logs) instead of holding
   * payments while Redis is down. Duplicates are then possible until Redis is back.
   */
  async claimOrAssumeNew(
    claims: readonly Claim[],
    timeoutMs: number,
  ): Promise<{ results: ClaimResult[]; error: Error | null }> {
    // Lost connection (down, reconnecting): commands would only queue; go on at once rather than wait.
    if (DISCONNECTED.has(this.redis.status)) {
      return {
        results: claims.map(() => ClaimResult.NEW),
        error: new Error(`Redis is not connected (${this.redis.status})`),
      };
    }
    let timer: NodeJS.Timeout | undefined;
    const attempt = this.claim(claims);
    attempt.catch(() => undefined); // a late failure after the timeout has nobody to tell
    try {
      const results = await Promise.race([
        attempt,
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return { results, error: null };
    } catch (error) {
      return {
        results: claims.map(() => ClaimResult.NEW),
        error: error instanceof Error ? error : new Error(String(error)),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private key(id: string): string {
    return `${this.namespace}:${id}`;
  }
}
