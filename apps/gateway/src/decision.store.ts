import { createHash } from 'node:crypto';
import type { NormalizedTransaction, Outcome } from '@argus/contracts';
import type { RedisClient } from '@argus/redis';
import type { DecisionResponse } from './decision.response';

/** What the gateway remembers of a transaction it decided. */
export interface StoredDecision {
  /** The client that asked: a retry from it gets the same answer; another client's request is a conflict. */
  readonly client_id: string;
  /** Of the normalised transaction: a retry must be the same transaction, not another under a reused id. */
  readonly fingerprint: string;
  /** Step-up results and labels are keyed by it. */
  readonly card_id: string;
  readonly outcome: Outcome;
  readonly event_time: number;
  readonly response: DecisionResponse;
}

export const DECISION_KEY_PREFIX = 'argus:gateway:decision:';

/** A request's transaction identity, without the time it was received (which a retry changes). */
export function transactionFingerprint(transaction: NormalizedTransaction): string {
  const { ingested_at: _receivedAt, ...content } = transaction;
  return createHash('sha256').update(JSON.stringify(content), 'utf8').digest('base64url').slice(0, 22);
}

/** Redis did not answer within the gateway's budget, or is not connected. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/**
 * Decided answers in Redis (`argus:gateway:decision:<transaction_id>`, with a TTL): read before deciding, so a
 * retried request gets the same answer, and by step-up results, to find the card and check it was a REVIEW.
 * Every call is bounded by `timeoutMs` and fails at once while Redis is disconnected: a payment never waits
 * for Redis longer than that.
 */
export class DecisionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds: number,
    private readonly timeoutMs: number,
  ) {}

  async get(transactionId: string): Promise<StoredDecision | null> {
    const text = await this.bounded(() => this.redis.get(this.key(transactionId)));
    // Written by put() below, so its shape is known.
    return text === null ? null : (JSON.parse(text) as StoredDecision);
  }

  async put(transactionId: string, stored: StoredDecision): Promise<void> {
    await this.bounded(() => this.redis.set(this.key(transactionId), JSON.stringify(stored), 'EX', this.ttlSeconds));
  }

  /** Whether Redis is connected: when it is not, callers skip it rather than queue behind a reconnect. */
  get available(): boolean {
    return this.redis.status === 'ready';
  }

  private key(transactionId: string): string {
    return `${DECISION_KEY_PREFIX}${transactionId}`;
  }

  private async bounded<T>(call: () => Promise<T>): Promise<T> {
    // Not issued at all while disconnected: the client would queue it until Redis is back.
    if (!this.available) throw new StoreUnavailableError(`Redis is not connected (${this.redis.status})`);
    const operation = call();
    // A late answer (or failure) of an abandoned call has nobody to tell.
    operation.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        operation,
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new StoreUnavailableError(`Redis did not answer within ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
