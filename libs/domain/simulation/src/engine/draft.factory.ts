import { Channel, PaymentMethod } from '@argus/contracts';
import type { Rng } from '../random/seeded.random';
import { amountFactor } from '../world/merchant-category.data';
import { UNITS_PER_USD, minorUnitExponent, usdToMinor } from '../world/places.data';
import type { Card, Customer, Device, Merchant, Place, ReceivingAccount } from '../world/world.types';
import { TransactionDraft, type DraftContext } from './transaction.draft';

export type { DraftContext } from './transaction.draft';

const PRIMARY_CARD_SHARE = 0.75;
const ATM_NOTE_USD = 20;

/** The customer's main card most of the time, a second card (when they have one) otherwise. */
export function pickCard(customer: Customer, rng: Rng): Card {
  const cards = customer.cards;
  return cards.length === 1 || rng.chance(PRIMARY_CARD_SHARE) ? cards[0] : cards[1 + rng.int(cards.length - 1)];
}

/** An amount typical of this customer at a merchant of this category, in US dollars. */
export function typicalUsd(customer: Customer, mcc: string, rng: Rng): number {
  return customer.medianUsd * Math.exp(customer.amountSigma * rng.normal()) * amountFactor(mcc);
}

/** 1, 2 or 5 times a power of ten, at most `value`: the banknote step of a cash amount. */
function noteStep(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const leading = value / power;
  return power * (leading >= 5 ? 5 : leading >= 2 ? 2 : 1);
}

/** Transfers are typed by people: whole units of the currency. */
function wholeMajorUnits(usd: number, currency: string): number {
  return Math.max(1, Math.round(usd * UNITS_PER_USD[currency])) * 10 ** minorUnitExponent(currency);
}

/** A card payment at a shop's terminal; where the shop is, in its currency. */
export function storeDraft(ctx: DraftContext, shop: Merchant, card: Card, usd: number, rng: Rng): TransactionDraft {
  const amount = usdToMinor(usd, shop.currency);
  const terminal = rng.pick(shop.terminals);
  return new TransactionDraft(
    ctx,
    card,
    shop,
    terminal,
    Channel.CARD_PRESENT,
    PaymentMethod.CARD,
    null,
    amount,
    shop.currency,
    shop.place as Place,
  );
}

/** A cash withdrawal, rounded to banknotes of the ATM's currency. */
export function atmDraft(ctx: DraftContext, atm: Merchant, card: Card, usd: number): TransactionDraft {
  const step = noteStep(ATM_NOTE_USD * UNITS_PER_USD[atm.currency]);
  const major = Math.max(step, Math.round((usd * UNITS_PER_USD[atm.currency]) / step) * step);
  const amount = major * 10 ** minorUnitExponent(atm.currency);
  return new TransactionDraft(
    ctx,
    card,
    atm,
    atm.terminals[0],
    Channel.ATM,
    PaymentMethod.CARD,
    null,
    amount,
    atm.currency,
    atm.place as Place,
  );
}

/** A remote card payment from a device (`MOBILE`: in-app, paid by wallet), located where the device is. */
export function remoteDraft(
  ctx: DraftContext,
  merchant: Merchant,
  card: Card,
  device: Device,
  place: Place,
  usd: number,
  channel: typeof Channel.ECOMMERCE | typeof Channel.MOBILE = Channel.ECOMMERCE,
): TransactionDraft {
  const method = channel === Channel.MOBILE ? PaymentMethod.WALLET : PaymentMethod.CARD;
  const amount = usdToMinor(usd, merchant.currency);
  return new TransactionDraft(ctx, card, merchant, null, channel, method, device, amount, merchant.currency, place);
}

/** An account-to-account transfer in the customer's currency; the receiving account is the "merchant". */
export function transferDraft(
  ctx: DraftContext,
  payee: ReceivingAccount,
  device: Device,
  place: Place,
  usd: number,
  channel: typeof Channel.BANK_TRANSFER | typeof Channel.MOBILE = Channel.BANK_TRANSFER,
): TransactionDraft {
  const currency = ctx.customer.currency;
  const amount = wholeMajorUnits(usd, currency);
  return new TransactionDraft(
    ctx,
    null,
    payee,
    null,
    channel,
    PaymentMethod.ACCOUNT_TRANSFER,
    device,
    amount,
    currency,
    place,
  );
}
