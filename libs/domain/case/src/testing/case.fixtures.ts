import type { Decision } from '@argus/contracts';
import type { CasePolicy } from '../case-policy.types';
import type { AlertInput } from '../case.intake';

export const T0 = Date.UTC(2026, 11, 4, 9, 0, 0);
export const MINUTE = 60_000;

/** A policy as a risk team would write it: high-value blocks first, then every review and block. */
export const POLICY: CasePolicy = {
  version: 'cases-test',
  referenceCurrency: 'EUR',
  exchangeRates: { USD: 0.9, GBP: 1.2, JPY: 0.006 },
  queues: [
    { id: 'high-value', name: 'High-value blocks', slaMinutes: 30, supervisorsOnly: false },
    { id: 'review', name: 'Review', slaMinutes: 240, supervisorsOnly: false },
    { id: 'supervisor', name: 'Supervisors', slaMinutes: 60, supervisorsOnly: true },
  ],
  routes: [
    {
      queue: 'high-value',
      outcomes: ['BLOCK'],
      minAmount: 1_000,
      channels: null,
      countries: null,
      minScore: null,
      maxScore: null,
    },
    {
      queue: 'review',
      outcomes: ['REVIEW', 'BLOCK'],
      minAmount: null,
      channels: null,
      countries: null,
      minScore: null,
      maxScore: null,
    },
  ],
  escalationQueue: 'supervisor',
  claimMinutes: 15,
  priority: { slaWeight: 1, unscoredProbability: { REVIEW: 0.05, BLOCK: 0.5 }, failedStepUpProbability: 0.9 },
  approvals: { releaseBlockAsLegitimate: true, confirmFraudAbove: 5_000 },
  notifications: { blockAtLeast: 2_500, slaBreach: true },
};

export interface AlertOptions {
  readonly id: string;
  readonly outcome?: Decision['outcome'];
  readonly amountMinor?: number;
  readonly currency?: string;
  readonly card?: string;
  readonly at?: number;
  readonly probability?: number | null;
  readonly score?: number | null;
  readonly channel?: Decision['transaction']['channel'];
  readonly country?: string | null;
  /** The decision's feature vector, named (null: none, as an APPROVE or a decision without a vector). */
  readonly features?: Decision['features'];
}

/** A decision of the decision combiner or the gateway, as the case service consumes it from `decisions`. */
export function alertInput(options: AlertOptions): AlertInput {
  const at = options.at ?? T0;
  const card = options.card ?? 'card-1';
  const currency = options.currency ?? 'EUR';
  const decision: Decision = {
    transaction_id: options.id,
    card_id: card,
    outcome: options.outcome ?? 'REVIEW',
    score: options.score === undefined ? 80 : options.score,
    risk_tier: 'HIGH',
    probability: options.probability === undefined ? 0.2 : options.probability,
    reasons: [],
    model_version: 'm1',
    rule_set_version: 'r1',
    policy_version: 'p1',
    degraded: [],
    timings: { event_time: at - 50, ingested_at: at - 40, decided_at: at },
    features: options.features ?? null,
    transaction: {
      transaction_id: options.id,
      event_time: at - 50,
      ingested_at: at - 40,
      source: 'KAFKA',
      card_id: card,
      card_bin: null,
      card_last4: null,
      customer_id: 'cus-1',
      account_id: null,
      amount_minor: options.amountMinor ?? 10_000,
      currency,
      merchant_id: 'mer-1',
      merchant_category_code: '5411',
      merchant_country: options.country === undefined ? 'FR' : options.country,
      terminal_id: null,
      channel: options.channel ?? 'ECOMMERCE',
      payment_method: 'CARD',
      device_fingerprint: null,
      ip_address: null,
      geo: null,
      attributes: {},
    },
  };
  return {
    decision,
    currencyExponent: currency === 'JPY' ? 0 : 2,
  };
}
