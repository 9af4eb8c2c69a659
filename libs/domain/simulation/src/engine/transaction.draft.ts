import type { Channel, LabelSource, LabelValue, PaymentMethod } from '@argus/contracts';
import type { ScenarioName } from '../scenarios/scenario-name.types';
import type { Card, Customer, Device, Merchant, Place, ReceivingAccount } from '../world/world.types';

export interface LabelDraft {
  readonly value: LabelValue;
  readonly source: LabelSource;
  /** When the label became known, epoch millis, never before the transaction. */
  readonly reportedAt: number;
}

/** Who, when and why: the part every draft shares. */
export interface DraftContext {
  readonly time: number;
  readonly scenario: ScenarioName;
  /** True for a scenario's fraudulent transactions; their label is set when the case is complete. */
  readonly fraud: boolean;
  readonly customer: Customer;
}

/**
 * A transaction before it gets its id: what a scenario or a customer's habits produce. A class (rather than
 * object spreads) so that every draft has the same shape: the hot path of the generator stays monomorphic.
 */
export class TransactionDraft {
  readonly time: number;
  readonly scenario: ScenarioName;
  readonly fraud: boolean;
  readonly customer: Customer;
  readonly merchantId: string;
  readonly mcc: string | null;
  readonly merchantCountry: string;
  label: LabelDraft | null = null;

  constructor(
    ctx: DraftContext,
    /** Null for account-to-account transfers: `card_id` then carries the debited account. */
    readonly card: Card | null,
    /** The merchant, or the receiving account of a transfer. */
    payee: Merchant | ReceivingAccount,
    readonly terminalId: string | null,
    readonly channel: Channel,
    readonly method: PaymentMethod,
    readonly device: Device | null,
    readonly amountMinor: number,
    readonly currency: string,
    readonly place: Place,
  ) {
    this.time = ctx.time;
    this.scenario = ctx.scenario;
    this.fraud = ctx.fraud;
    this.customer = ctx.customer;
    this.merchantId = payee.id;
    this.mcc = 'mcc' in payee ? payee.mcc : null;
    this.merchantCountry = payee.country;
  }
}
