/**
 * The one registry of Kafka topics. Every producer, consumer, the local stack and the Kubernetes manifests
 * take topic names, partition counts and configs from here.
 *
 * Every topic is keyed by the card / account identifier, so one customer's events stay in one partition
 * and the decision combiner's inputs are co-partitioned: keep partition counts equal on joined topics.
 */
export interface TopicSpec {
  /** Topic name on the broker. */
  readonly name: string;
  /** Avro record (full name) carried as the value; subject is `<name>-value`. */
  readonly valueRecord: string;
  readonly partitions: number;
  /** Broker-side topic configs (retention, cleanup, …). */
  readonly config: Readonly<Record<string, string>>;
  readonly description: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Partitions for the hot path; joined topics must share it. */
export const HOT_PATH_PARTITIONS = 6;

export const Topics = {
  transactions: {
    name: 'transactions',
    valueRecord: 'argus.transactions.Transaction',
    partitions: HOT_PATH_PARTITIONS,
    config: { 'retention.ms': String(7 * DAY_MS) },
    description: 'Raw transactions from processors (external contract).',
  },
  transactionsNormalized: {
    name: 'transactions.normalized',
    valueRecord: 'argus.transactions.NormalizedTransaction',
    partitions: HOT_PATH_PARTITIONS,
    config: { 'retention.ms': String(7 * DAY_MS) },
    description: 'Validated, normalised and tokenised transactions, keyed by card token.',
  },
  transactionsDlq: {
    name: 'transactions.dlq',
    valueRecord: 'argus.dlq.DeadLetter',
    partitions: 1,
    config: { 'retention.ms': String(30 * DAY_MS) },
    description: 'Records that could not be processed, with a reason code and the original bytes.',
  },
  transactionsFeatures: {
    name: 'transactions.features',
    valueRecord: 'argus.features.FeatureVector',
    partitions: HOT_PATH_PARTITIONS,
    config: { 'retention.ms': String(7 * DAY_MS) },
    description: 'Normalised transactions with their behavioural feature vector.',
  },
  transactionsScores: {
    name: 'transactions.scores',
    valueRecord: 'argus.scoring.Score',
    partitions: HOT_PATH_PARTITIONS,
    config: { 'retention.ms': String(7 * DAY_MS) },
    description: 'Model scores with their top contributing factors.',
  },
  transactionsRuleResults: {
    name: 'transactions.rule-results',
    valueRecord: 'argus.rules.RuleResult',
    partitions: HOT_PATH_PARTITIONS,
    config: { 'retention.ms': String(7 * DAY_MS) },
    description: 'Business-rule evaluation results per transaction.',
  },
  decisions: {
    name: 'decisions',
    valueRecord: 'argus.decisions.Decision',
    partitions: HOT_PATH_PARTITIONS,
    config: { 'retention.ms': String(30 * DAY_MS) },
    description: 'APPROVE / REVIEW / BLOCK with reasons, for authorisation hosts and downstream consumers.',
  },
  stepUpResults: {
    name: 'step-up-results',
    valueRecord: 'argus.decisions.StepUpResult',
    partitions: HOT_PATH_PARTITIONS,
    config: { 'retention.ms': String(30 * DAY_MS) },
    description: 'How REVIEW step-up challenges (3-D Secure, OTP) ended; PASSED/FAILED become labels.',
  },
  labels: {
    name: 'labels',
    valueRecord: 'argus.labels.Label',
    partitions: HOT_PATH_PARTITIONS,
    config: { 'retention.ms': String(365 * DAY_MS) },
    description: 'Fraud / legitimate labels (chargebacks, analyst outcomes, step-up results).',
  },
  caseEvents: {
    name: 'case-events',
    valueRecord: 'argus.cases.CaseEvent',
    partitions: HOT_PATH_PARTITIONS,
    config: { 'retention.ms': String(365 * DAY_MS) },
    description: 'What happened to analyst cases: opened, claimed, notes, dispositions, approvals (case service).',
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof Topics;

export const ALL_TOPICS: readonly TopicSpec[] = Object.values(Topics);
