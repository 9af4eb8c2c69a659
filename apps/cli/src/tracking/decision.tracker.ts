import { randomUUID } from 'node:crypto';
import { Topics, type Decision, type Outcome } from '@argus/contracts';
import type { AvroSerde } from '@argus/schema-registry';
import type { Consumer, Kafka } from 'kafkajs';
import { LatencyRecorder, type Percentiles } from '../bench/bench.report';
import { DetectionTally, stopDriver, type GroundTruth } from './detection.tally';

export interface LatencySummary extends Percentiles {
  readonly count: number;
}

const SAMPLE_LIMIT = 5;

/**
 * Watches the `decisions` topic from "now" with a throw-away consumer group and matches decisions to the
 * transactions this process sent: client-observed latency (send call → decision readable), outcome counts,
 * and which transactions are still undecided.
 */
export class DecisionTracker {
  private readonly consumer: Consumer;
  private readonly pending = new Map<string, { readonly sentAt: number; readonly truth?: GroundTruth }>();
  /** Decisions against what each transaction really was, for transactions sent with their truth. */
  readonly detection = new DetectionTally();
  private readonly recorder = new LatencyRecorder();
  readonly outcomes: Record<Outcome, number> = { APPROVE: 0, REVIEW: 0, BLOCK: 0 };
  /** The first few REVIEW and BLOCK decisions seen, to show what a decision says. */
  readonly samples: Decision[] = [];
  decided = 0;
  /** Decisions a model scored, and those that came with its factors (TreeSHAP ran). */
  scored = 0;
  explained = 0;
  /** Decisions taken with something missing (a fallback: SCORE_TIMEOUT, STATE_UNAVAILABLE…), by what was missing. */
  readonly degraded = new Map<string, number>();
  firstDecisionAt = 0;
  lastDecisionAt = 0;

  constructor(
    kafka: Kafka,
    private readonly serde: AvroSerde,
  ) {
    this.consumer = kafka.consumer({ groupId: `argus-tracker-${randomUUID()}`, maxWaitTimeInMs: 50 });
  }

  /** Resolves once partitions are assigned, so nothing sent afterwards can be missed. */
  async start(): Promise<void> {
    await this.consumer.connect();
    // Positions ("latest") are resolved at the first fetch after joining, not at the join: wait for that fetch.
    const positioned = new Promise<void>((resolve) => {
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
        this.consumer.on(this.consumer.events.FETCH, () => resolve());
      });
    });
    await this.consumer.subscribe({ topic: Topics.decisions.name, fromBeginning: false });
    await this.consumer.run({
      partitionsConsumedConcurrently: Topics.decisions.partitions,
      eachBatch: async ({ batch }) => {
        const now = performance.timeOrigin + performance.now();
        for (const message of batch.messages) {
          const decision = await this.serde.decode('decisions', message.value);
          const sent = this.pending.get(decision.transaction_id);
          if (sent === undefined) continue;
          this.pending.delete(decision.transaction_id);
          this.recorder.recordMs(now - sent.sentAt);
          this.outcomes[decision.outcome] += 1;
          if (decision.score !== null) this.scored += 1;
          if (decision.reasons.some((reason) => reason.kind === 'MODEL_FACTOR')) this.explained += 1;
          for (const what of decision.degraded) this.degraded.set(what, (this.degraded.get(what) ?? 0) + 1);
          if (sent.truth !== undefined) this.detection.record(sent.truth, decision.outcome, stopDriver(decision));
          if (decision.outcome !== 'APPROVE' && this.samples.length < SAMPLE_LIMIT) this.samples.push(decision);
          this.decided += 1;
          if (this.firstDecisionAt === 0) this.firstDecisionAt = now;
          this.lastDecisionAt = now;
        }
      },
    });
    await positioned;
  }

  /** Call just before the send that carries this transaction; with its truth, the decision is tallied. */
  sent(transactionId: string, truth?: GroundTruth): void {
    this.pending.set(transactionId, { sentAt: performance.timeOrigin + performance.now(), truth });
  }

  /** Transactions not expected to get a decision (sent invalid on purpose). */
  forget(transactionId: string): void {
    this.pending.delete(transactionId);
  }

  get outstanding(): number {
    return this.pending.size;
  }

  latency(): LatencySummary {
    return { count: this.recorder.count, ...this.recorder.percentiles() };
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
