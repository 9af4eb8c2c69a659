import { Channel, PaymentMethod, type NormalizedTransaction } from '@argus/contracts';
import { seededRandom } from '@argus/testing';

/** Who transacts: every id starts with `runId`, so a run's state can be found and deleted afterwards. */
export interface Population {
  /** `bench-<uuid8>`. */
  readonly runId: string;
  readonly cards: number;
  readonly merchants: number;
  /** Receiving accounts of transfers. */
  readonly payees: number;
}

const COUNTRIES = ['DE', 'FR', 'NL', 'GB', 'ES', 'IT'];
const MCCS = ['5411', '5812', '5999', '4111', '5732', '5311', '5541', '7011'];
/** Each card mostly buys from a few regular merchants, otherwise from popular ones. */
const REGULAR_MERCHANTS = 4;
const REGULAR_SHARE = 0.6;
const TERMINALS_PER_MERCHANT = 3;
/** Cards per customer: a customer holds one or two cards. */
const CARDS_PER_CUSTOMER = 4 / 3;
const LARGE_SHARE = 0.03;

/**
 * Seeded NormalizedTransaction traffic over a population: half card present (at one of the merchant's
 * terminals), e-commerce and mobile from the customer's device, 5 % account transfers to payees; amounts
 * log-uniform from 1 to 200 EUR with a tail of large ones; located around the customer's home.
 */
export class FeatureTraffic {
  private readonly random: () => number;
  private sequence = 0;

  constructor(
    readonly population: Population,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** A transaction of a card drawn at random. */
  next(eventTime: number): NormalizedTransaction {
    return this.ofCard(Math.floor(this.random() * this.population.cards), eventTime);
  }

  /**
   * `perCard` transactions of every card spread evenly over `[endTime - spanMs, endTime)`, in event time order:
   * round r covers the r-th slice of the span and visits the cards in a shuffled order.
   */
  *history(perCard: number, spanMs: number, endTime: number): Generator<NormalizedTransaction> {
    const { cards } = this.population;
    const sliceMs = spanMs / perCard;
    const order = Int32Array.from({ length: cards }, (_, i) => i);
    for (let round = 0; round < perCard; round++) {
      for (let i = cards - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const start = endTime - spanMs + round * sliceMs;
      for (let p = 0; p < cards; p++) yield this.ofCard(order[p]!, Math.floor(start + (p * sliceMs) / cards));
    }
  }

  ofCard(card: number, eventTime: number): NormalizedTransaction {
    const { runId, merchants, payees } = this.population;
    const customer = Math.floor(card / CARDS_PER_CUSTOMER);
    const merchant =
      this.random() < REGULAR_SHARE
        ? (card * 7919 + Math.floor(this.random() * REGULAR_MERCHANTS) * 104_729) % merchants
        : Math.floor(merchants * this.random() ** 2);
    const kind = this.random();
    const channel =
      kind < 0.5 ? Channel.CARD_PRESENT : kind < 0.8 ? Channel.ECOMMERCE : kind < 0.95 ? Channel.MOBILE : null;
    const remote = channel === Channel.ECOMMERCE || channel === Channel.MOBILE;
    const amountMinor =
      this.random() < LARGE_SHARE
        ? 150_000 + Math.floor(this.random() * 2_000_000)
        : Math.round(100 * Math.exp(this.random() * Math.log(200)));
    const home = { lat: 43 + (customer % 97) / 10, lon: -4 + (customer % 89) / 5 };
    return {
      transaction_id: `${runId}-tx-${this.sequence++}`,
      event_time: eventTime,
      ingested_at: eventTime,
      source: 'KAFKA',
      card_id: `${runId}-card-${card}`,
      card_bin: null,
      card_last4: null,
      customer_id: `${runId}-cus-${customer}`,
      account_id: null,
      amount_minor: amountMinor,
      currency: 'EUR',
      merchant_id: `${runId}-mer-${merchant}`,
      merchant_category_code: MCCS[merchant % MCCS.length]!,
      merchant_country: COUNTRIES[merchant % COUNTRIES.length]!,
      terminal_id:
        channel === Channel.CARD_PRESENT
          ? `${runId}-term-${merchant}-${Math.floor(this.random() * TERMINALS_PER_MERCHANT)}`
          : null,
      channel: channel ?? Channel.BANK_TRANSFER,
      payment_method: channel === null ? PaymentMethod.ACCOUNT_TRANSFER : PaymentMethod.CARD,
      device_fingerprint: remote ? `${runId}-dev-${customer}` : null,
      ip_address: remote ? `10.${customer % 250}.${merchant % 250}.7` : null,
      geo: {
        lat: home.lat + (this.random() - 0.5) / 10,
        lon: home.lon + (this.random() - 0.5) / 10,
        country: COUNTRIES[customer % COUNTRIES.length]!,
        city: null,
      },
      attributes: channel === null ? { payee_account: `${runId}-payee-${Math.floor(this.random() * payees)}` } : {},
    };
  }
}

/** Consecutive slices of at most `size` items. */
export function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
