/** Card numbers (PANs) are 12 to 19 digits long (ISO/IEC 7812). */
export const PAN_MIN_DIGITS = 12;
export const PAN_MAX_DIGITS = 19;

const DIGIT_GROUPS = /^\d(?:[ -]?\d)*$/;

/** Luhn (mod 10) check over `digits[start, start + length)`; the caller guarantees ASCII digits. */
export function isLuhnValid(digits: string, start = 0, length = digits.length - start): boolean {
  let sum = 0;
  let double = false;
  for (let i = start + length - 1; i >= start; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * The digits of `value` when it is written like a card number: digits, optionally grouped by single spaces or
 * dashes ("4111 1111 1111 1111"). Returns null for anything else. Length and Luhn are not checked here.
 */
export function cardDigits(value: string): string | null {
  const trimmed = value.trim();
  if (!DIGIT_GROUPS.test(trimmed)) return null;
  return trimmed.replace(/[ -]/g, '');
}

/** Digits of `value` when it is a plausible clear PAN: 12–19 digits (grouping allowed) passing Luhn. */
export function asClearPan(value: string): string | null {
  const digits = cardDigits(value);
  if (digits === null || digits.length < PAN_MIN_DIGITS || digits.length > PAN_MAX_DIGITS) return null;
  return isLuhnValid(digits) ? digits : null;
}

/**
 * A hint safe to show in messages: `****1234` (last four characters) when the value is long enough that four
 * characters reveal little, otherwise only its length.
 */
export function panHint(value: string): string {
  const compact = value.trim().replace(/[ -]/g, '');
  return compact.length >= PAN_MIN_DIGITS ? `****${compact.slice(-4)}` : `${compact.length} characters`;
}
