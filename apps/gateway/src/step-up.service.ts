import type { LabelValue, StepUpResult } from '@argus/contracts';
import { stepUpLabel } from '@argus/decisioning';
import type { Logger } from '@argus/logger';
import type { AvroSerde } from '@argus/schema-registry';
import { activeTraceId } from '@argus/telemetry';
import type { ApiClient } from './api-clients.parser';
import type { DecisionStore, StoredDecision } from './decision.store';
import { GatewayError, GatewayErrorCode } from './gateway.errors';
import { encodeRecord, type PublishBuffer } from './publish.buffer';
import { parseStepUpReport } from './step-up.dto';

export interface StepUpAccepted {
  readonly transaction_id: string;
  /** The label the outcome gave (null for ABANDONED: no evidence either way). */
  readonly label: LabelValue | null;
}

/**
 * POST /v1/step-up-results: how a REVIEW's 3-D Secure / OTP challenge ended. Checked against the decision the
 * gateway gave, published as a StepUpResult on `step-up-results` and, when it is evidence, as a label on
 * `labels` (the feature service and the trainer read labels).
 */
export class StepUpService {
  constructor(
    private readonly store: Pick<DecisionStore, 'get'>,
    private readonly buffer: PublishBuffer,
    private readonly serde: Pick<AvroSerde, 'encode'>,
    private readonly logger: Logger,
  ) {}

  async report(client: ApiClient, body: unknown): Promise<StepUpAccepted> {
    const receivedAt = Date.now();
    const report = parseStepUpReport(body, receivedAt);
    const log = this.logger.child({
      transactionId: report.transaction_id,
      clientId: client.id,
      traceId: activeTraceId(),
    });
    const decision = await this.decisionOf(report.transaction_id, report.card_id !== null, log);
    if (decision !== null && decision.outcome !== 'REVIEW') {
      throw new GatewayError(
        GatewayErrorCode.NOT_A_REVIEW,
        `transaction ${report.transaction_id} was decided ${decision.outcome}: no step-up was asked for`,
      );
    }
    // The card the decision was keyed by wins: a client may know the card by another id than its token.
    const cardId = decision?.card_id ?? report.card_id;
    if (cardId === null) {
      throw new GatewayError(
        GatewayErrorCode.UNKNOWN_TRANSACTION,
        `transaction ${report.transaction_id} was not decided here (or its answer expired); send its card_id`,
      );
    }
    const result: StepUpResult = {
      transaction_id: report.transaction_id,
      card_id: cardId,
      method: report.method,
      outcome: report.outcome,
      completed_at: report.completed_at,
      client_id: client.id,
      received_at: receivedAt,
    };
    const label = stepUpLabel(result, decision?.event_time ?? null);
    const records = [encodeRecord(this.serde, 'stepUpResults', cardId, result, result.transaction_id)];
    if (label !== null) records.push(encodeRecord(this.serde, 'labels', cardId, label, label.transaction_id));
    const reservation = this.buffer.reserve(records.length);
    if (reservation === null) {
      log.warn({ queued: this.buffer.depth }, 'publish queue full: answering 503 BACKPRESSURE');
      throw new GatewayError(GatewayErrorCode.BACKPRESSURE, 'step-up results cannot be published now; retry shortly');
    }
    reservation.publish(records);
    log.info(
      { method: result.method, outcome: result.outcome, label: label?.label ?? null, known: decision !== null },
      'step-up result accepted',
    );
    return { transaction_id: result.transaction_id, label: label?.label ?? null };
  }

  /** The stored decision, or null when there is none. Redis unavailable: null if the client named the card. */
  private async decisionOf(transactionId: string, cardGiven: boolean, log: Logger): Promise<StoredDecision | null> {
    try {
      return await this.store.get(transactionId);
    } catch (error) {
      if (cardGiven) {
        log.warn({ err: error }, 'decision look-up failed: accepted on the card_id given, unchecked');
        return null;
      }
      throw new GatewayError(
        GatewayErrorCode.DECISIONS_UNAVAILABLE,
        'the decided transactions cannot be read now; retry shortly, or send the card_id',
        { cause: error },
      );
    }
  }
}
