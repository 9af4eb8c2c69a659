export const MODEL_STATUSES = ['candidate', 'shadow', 'champion', 'retired'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/** Which status changes are allowed. A champion leaves only when another is promoted (it is then retired). */
export const ALLOWED_TRANSITIONS: Readonly<Record<ModelStatus, readonly ModelStatus[]>> = Object.freeze({
  candidate: ['shadow', 'champion', 'retired'],
  shadow: ['champion', 'candidate', 'retired'],
  champion: [],
  // A rollback: a retired champion may be served again.
  retired: ['shadow', 'champion'],
});

export interface ModelWindows {
  readonly trainFrom: string;
  readonly trainTo: string;
  readonly labelsKnownBy: string;
  readonly calibrationFrom: string;
  readonly calibrationTo: string;
  readonly testFrom: string;
  readonly testTo: string;
}

export interface ModelArtefact {
  readonly name: string;
  readonly bytes: Buffer;
  /** What the trainer recorded (hex sha256); registration refuses bytes that do not hash to it. */
  readonly sha256: string;
}

/** What `register` stores: the model directory, read and validated by the caller. */
export interface ModelRegistration {
  readonly version: string;
  readonly kind: string;
  readonly schemaHash: string;
  readonly windows: ModelWindows;
  readonly labelDelayDays: number;
  readonly metrics: unknown;
  /** metadata.json as written by the trainer. */
  readonly metadata: unknown;
  readonly artefacts: readonly ModelArtefact[];
  /** Where it was trained from (the table), for the record. */
  readonly source?: string;
}

export interface ModelRecord {
  readonly version: string;
  readonly kind: string;
  readonly status: ModelStatus;
  readonly schemaHash: string;
  readonly windows: ModelWindows;
  readonly labelDelayDays: number;
  readonly metrics: unknown;
  readonly evaluation: unknown;
  readonly metadata: unknown;
  readonly source: string | null;
  /** Artefact name → sha256. */
  readonly artefacts: Readonly<Record<string, string>>;
  readonly registeredAt: string;
  readonly statusChangedAt: string;
}

export interface StatusChange {
  readonly reason: string;
  readonly actor: string;
}

export interface StatusEvent {
  readonly version: string;
  readonly from: ModelStatus | null;
  readonly to: ModelStatus;
  readonly reason: string;
  readonly actor: string;
  readonly at: string;
}

/** The models to serve, with a fingerprint that changes whenever the set or a status changes. */
export interface ServingSet {
  readonly champion: ModelRecord | null;
  readonly shadows: readonly ModelRecord[];
  readonly fingerprint: string;
}
