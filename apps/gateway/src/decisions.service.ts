import type { NormalizedTransaction } from '@argus/contracts';
import { decideInProcess, type InProcessDecisionDeps } from '@argus/decisioning';
import type { Logger } from '@argus/logger';
import { ClaimResult, type IdempotencyGuard } from '@argus/redis';
import type { AvroSerde } from '@argus/schema-registry';
import { activeTraceId } from '@argus/telemetry';
import { normaliseTransaction, parseWebhookTransaction, type PanTokeniser } from '@argus/transaction';
import { metrics } from '@opentelemetry/api';
import type { ApiClient } from './api-clients.parser';
import { toDecisionResponse, type DecisionResponse } from './decision.response';
import { transactionFingerprint, type DecisionStore, type StoredDecision } from './decision.store';
import { GatewayError, GatewayErrorCode } from './gateway.errors';
import { encodeRecord, type PublishBuffer } from './publish.buffer';

const meter = metrics.getMeter('argus-gateway');
const decisionsCounter = meter.createCounter('argus.gateway.decisions', {
  description: 'Decision requests answered, by outcome (APPROVE, REVIEW, BLOCK, replayed)',
});
const latencyHistogram = meter.createHistogram('argus.gateway.decision_ms', {
  description: 'Time to decide one transaction in the gateway (ms)',
});

export interface DecisionsServiceOptions {
  readonly tokeniser: PanTokeniser;
  readonly maxAmountMajor: number;
  /** The in-process pipeline: feature state, rules, model, policy. */
  readonly pipeline: InProcessDecisionDeps;
  readonly store: Pick<DecisionStore, 'available' | 'get' | 'put'>;
  /** The decision-combiner's decided-once guard: a transaction the async path decided is not decided here. */
  readonly decided: Pick<IdempotencyGuard, 'claimOrAssumeNew'>;
  readonly redisTimeoutMs: number;
  /** Decisions worked on at once; beyond it a request is shed with 503 OVERLOADED. */
  readonly maxInFlight: number;
  /** How long a retry waits for the answer of the same client's request still in flight (ms). */
  readonly inFlightWaitMs: number;
  readonly buffer: PublishBuffer;
  readonly serde: Pick<AvroSerde, 'encode'>;
  readonly logger: Logger;
}

/**
 * POST /v1/decisions: validate and tokenise as ingestion does, answer a retry with the first answer, else
 * decide in process (features → [rules ∥ model] → policy), remember the answer, and queue the Decision for
 * `decisions` (audit and the case queue read it) without waiting for the broker.
 */
export class DecisionsService {
  private inFlight = 0;

  constructor(private readonly options: DecisionsServiceOptions) {}

  /**
   * `startedAt`: performance.now() when the request reached the gateway. Sheds load beyond `maxInFlight`: a
   * saturated replica that queued every request would answer all of them late (past the caller's own
   * timeout); refusing the excess at once keeps the accepted ones fast and lets the caller try another replica
   * or fall back to its stand-in rules.
   */
  async decide(client: ApiClient, body: unknown, startedAt: number): Promise<DecisionResponse> {
    if (this.inFlight >= this.options.maxInFlight) {
      decisionsCounter.add(1, { outcome: 'shed' });
      throw new GatewayError(GatewayErrorCode.OVERLOADED, 'the gateway is at capacity; retry shortly', {
        retryAfterMs: 100,
      });
    }
    this.inFlight += 1;
    try {
      return await this.decideNow(client, body, startedAt);
    } finally {
      this.inFlight -= 1;
    }
  }

  private async decideNow(client: ApiClient, body: unknown, startedAt: number): Promise<DecisionResponse> {
    const { buffer, pipeline } = this.options;
    // Throws TransactionValidationError naming every invalid field; no clear PAN survives normalisation.
    const transaction = normaliseTransaction(parseWebhookTransaction(body), {
      source: 'GATEWAY',
      now: Date.now(),
      tokeniser: this.options.tokeniser,
      limits: { maxAmountMajor: this.options.maxAmountMajor },
    });
    const log = this.options.logger.child({
      transactionId: transaction.transaction_id,
      clientId: client.id,
      traceId: activeTraceId(),
    });
    // Refused before deciding, so a decision is never made (and counted in the state) and then lost.
    const reservation = buffer.reserve(1);
    if (reservation === null) {
      log.warn({ queued: buffer.depth }, 'publish queue full: answering 503 BACKPRESSURE');
      throw new GatewayError(
        GatewayErrorCode.BACKPRESSURE,
        'decisions cannot be published as fast as they are asked for; retry shortly',
      );
    }
    try {
      const fingerprint = transactionFingerprint(transaction);
      const previous = await this.previousAnswer(transaction, client, fingerprint, log);
      if (previous !== null) {
        reservation.cancel();
        decisionsCounter.add(1, { outcome: 'replayed' });
        log.info({ outcome: previous.outcome }, 'retry answered with the first decision');
        return previous;
      }

      const result = await decideInProcess(pipeline, transaction);
      const { decision } = result;
      if (result.stateError !== null) {
        log.warn(
          { err: result.stateError },
          'feature state unavailable: decided on the transaction alone (STATE_UNAVAILABLE)',
        );
      }
      const response = toDecisionResponse(decision, performance.now() - startedAt);
      // Encoded now: a record the schema refuses fails this request instead of blocking the queue.
      const record = encodeRecord(this.options.serde, 'decisions', decision.card_id, decision, decision.transaction_id);
      const decidedAt = performance.now();
      // Stored after answering, not before: a retry racing the store finds the decided-once claim and waits
      // for the stored answer (waitForAnswer), so the answer need not wait for this round trip.
      void this.remember(transaction, client, fingerprint, response, log);
      reservation.publish([record]);
      decisionsCounter.add(1, { outcome: decision.outcome });
      latencyHistogram.record(response.latency_ms);
      log.debug(
        {
          outcome: decision.outcome,
          score: decision.score,
          degraded: decision.degraded,
          stageMs: result.stageMs,
          latencyMs: response.latency_ms,
          // Outside latency_ms: storing the answer for retries and step-up results.
          storeMs: performance.now() - decidedAt,
        },
        'decided',
      );
      return response;
    } catch (error) {
      reservation.cancel();
      throw error;
    }
  }

  /**
   * The answer already given for this transaction, or null to decide it now. Redis unavailable: null (decide
   * anyway; the feature stage then degrades too), said in the logs.
   */
  private async previousAnswer(
    transaction: NormalizedTransaction,
    client: ApiClient,
    fingerprint: string,
    log: Logger,
  ): Promise<DecisionResponse | null> {
    const { store, decided } = this.options;
    const id = transaction.transaction_id;
    if (!store.available) {
      log.warn('redis unavailable: deciding without the idempotency check (a retry may be decided again)');
      return null;
    }
    const [stored, claim] = await Promise.all([
      store.get(id).catch((error: unknown) => {
        log.warn({ err: error }, 'idempotency look-up failed: deciding without it');
        return null;
      }),
      // Claimed in the combiner's namespace: the async path will not decide this transaction again.
      decided.claimOrAssumeNew([{ id, origin: `gateway/${client.id}` }], this.options.redisTimeoutMs),
    ]);
    if (claim.error !== null) log.warn({ err: claim.error }, 'decided-once claim failed: deciding without it');
    if (stored !== null) return this.replay(stored, client, fingerprint);

    const result = claim.results[0];
    if (result === ClaimResult.DUPLICATE) {
      throw new GatewayError(
        GatewayErrorCode.DUPLICATE_TRANSACTION,
        `transaction ${id} was already decided for another client or through Kafka`,
      );
    }
    if (result === ClaimResult.REDELIVERY) {
      // The same client asked before and no answer is stored: that request is still being decided, or it
      // died before storing. Wait for its answer; then decide again (the feature state does not count a
      // transaction it has counted already).
      const answer = await this.waitForAnswer(id);
      if (answer !== null) return this.replay(answer, client, fingerprint);
      log.info('an earlier request for this transaction left no answer: deciding it again');
    }
    return null;
  }

  private replay(stored: StoredDecision, client: ApiClient, fingerprint: string): DecisionResponse {
    if (stored.client_id !== client.id) {
      throw new GatewayError(
        GatewayErrorCode.DUPLICATE_TRANSACTION,
        `transaction ${stored.response.transaction_id} was already decided for another client`,
      );
    }
    if (stored.fingerprint !== fingerprint) {
      throw new GatewayError(
        GatewayErrorCode.DUPLICATE_TRANSACTION,
        `transaction ${stored.response.transaction_id} was already decided with other content; a new transaction needs a new id`,
      );
    }
    return stored.response;
  }

  private async waitForAnswer(transactionId: string): Promise<StoredDecision | null> {
    const deadline = performance.now() + this.options.inFlightWaitMs;
    while (performance.now() < deadline) {
      const stored = await this.options.store.get(transactionId).catch(() => null);
      if (stored !== null) return stored;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return null;
  }

  private async remember(
    transaction: NormalizedTransaction,
    client: ApiClient,
    fingerprint: string,
    response: DecisionResponse,
    log: Logger,
  ): Promise<void> {
    const stored: StoredDecision = {
      client_id: client.id,
      fingerprint,
      card_id: transaction.card_id,
      outcome: response.outcome,
      event_time: transaction.event_time,
      response,
    };
    try {
      await this.options.store.put(transaction.transaction_id, stored);
    } catch (error) {
      // The answer stands; a retry may then be decided again, and a step-up result will need its card_id.
      log.warn({ err: error }, 'decided answer not stored: a retry of this transaction would be decided again');
    }
  }
}
