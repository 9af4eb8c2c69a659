import { mix32 } from '../random/seeded.random';

// Ids are zero-padded counters in their own namespace: stable for a seed, sortable, and never long digit
// runs, so that no id can contain a card number (ingestion refuses fields that do).
const pad = (value: number, width: number): string => String(value).padStart(width, '0');

export const customerId = (index: number): string => `cus_${pad(index, 6)}`;
export const cardId = (index: number): string => `card_${pad(index, 6)}`;
/** Customers' own accounts and outside receiving accounts (payees, mules) share one namespace. */
export const accountId = (index: number): string => `acc_${pad(index, 7)}`;
export const merchantId = (index: number): string => `mer_${pad(index, 6)}`;
export const terminalId = (index: number): string => `trm_${pad(index, 6)}`;
export const transactionId = (seed: number, sequence: number): string => `sim${seed}_tx${pad(sequence, 9)}`;

/** Looks like a hashed fingerprint; unique per index for one seed (mix32 is a bijection). */
export function deviceFingerprint(index: number, seed: number): string {
  return `dev_${mix32((index ^ mix32(seed ^ 0x5bd1e995)) >>> 0)
    .toString(16)
    .padStart(8, '0')}`;
}

/** Issuer prefixes of the well-known test card ranges (Visa 4000 00 / 4242 42, Mastercard 5105 10 / 5555 55). */
const TEST_BINS = ['400000', '424242', '510510', '555555'] as const;
const BODY_SPACE = 1_000_000_000n;
/** Coprime with 10, so index → body is a bijection on nine digits: unique numbers that do not look sequential. */
const BODY_MULTIPLIER = 387_420_489n;
const BODY_OFFSET = 123_456_789n;

/** Luhn check digit for a number without it. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A Luhn-valid 16-digit test card number for card `index`, unique per index (up to a billion cards). */
export function testPan(index: number): string {
  const body = (BigInt(index) * BODY_MULTIPLIER + BODY_OFFSET) % BODY_SPACE;
  const partial = `${TEST_BINS[index % TEST_BINS.length]}${body.toString().padStart(9, '0')}`;
  return `${partial}${luhnCheckDigit(partial)}`;
}
