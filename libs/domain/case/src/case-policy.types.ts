import type { Channel } from '@argus/contracts';

/** A queue of cases and the time its cases must be worked within. */
export interface CaseQueue {
  readonly id: string;
  readonly name: string;
  readonly slaMinutes: number;
  /** Only supervisors (and admins) take cases from it: where escalations go. */
  readonly supervisorsOnly: boolean;
}

/**
 * Which decisions open (or join) a case, and in which queue. Routes are tried in order; the first whose every
 * condition holds decides. A decision no route matches opens no case.
 */
export interface CaseRoute {
  readonly queue: string;
  readonly outcomes: ReadonlyArray<'REVIEW' | 'BLOCK'>;
  /** In major units of the reference currency. */
  readonly minAmount: number | null;
  readonly channels: readonly Channel[] | null;
  /** Merchant countries (ISO 3166-1 alpha-2). */
  readonly countries: readonly string[] | null;
  /** Model score band, inclusive; a decision without a score matches only a route with neither bound. */
  readonly minScore: number | null;
  readonly maxScore: number | null;
}

export interface CasePolicy {
  readonly version: string;
  /** Amounts at risk are compared and summed in this currency (ISO 4217). */
  readonly referenceCurrency: string;
  /** Units of the reference currency per major unit of each currency. */
  readonly exchangeRates: Readonly<Record<string, number>>;
  readonly queues: readonly CaseQueue[];
  readonly routes: readonly CaseRoute[];
  /** The queue an escalation moves a case to. */
  readonly escalationQueue: string;
  readonly claimMinutes: number;
  readonly priority: {
    /**
     * How much a case's priority grows with the share of its SLA used: expected loss × (1 + slaWeight × used),
     * so a breached case (used ≥ 1) outranks a fresher one of the same loss.
     */
    readonly slaWeight: number;
    /** Probability used for an alert no model scored, by outcome (a rules-only BLOCK is more likely fraud). */
    readonly unscoredProbability: { readonly REVIEW: number; readonly BLOCK: number };
    /** A failed step-up raises the alert's probability to at least this. */
    readonly failedStepUpProbability: number;
  };
  /** Four-eyes: which dispositions need a supervisor's approval from someone other than their maker. */
  readonly approvals: {
    readonly releaseBlockAsLegitimate: boolean;
    /** Confirming fraud on more than this amount at risk (reference currency); null: never. */
    readonly confirmFraudAbove: number | null;
  };
  /** What is announced on the team's chat webhook (the URL is a secret of the service, not of this file). */
  readonly notifications: {
    /** A BLOCK of at least this amount at risk (reference currency); null: none. */
    readonly blockAtLeast: number | null;
    /** A case that passes its SLA without a disposition, once. */
    readonly slaBreach: boolean;
  };
}
