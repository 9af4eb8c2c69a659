const PAN_MIN_DIGITS = 12;
const PAN_MAX_DIGITS = 19;
const GROUPED_DIGITS = /\d(?:[ -]?\d)*/g;

/** Luhn (mod 10) check; the caller guarantees ASCII digits. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
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

/** True for 12–19 digits passing Luhn. */
export function isCardNumber(digits: string): boolean {
  return (
    /^\d+$/.test(digits) && digits.length >= PAN_MIN_DIGITS && digits.length <= PAN_MAX_DIGITS && isLuhnValid(digits)
  );
}

/**
 * Masks card numbers in a message ('*' for each digit, length kept), so that quoting a bad CSV value never
 * prints one. Any run of whole digit groups ("4111 1111 1111 1111", or the number after "order 12 ") is
 * checked. A deliberately small twin of @argus/transaction's maskPansInText: domain libraries may not depend
 * on one another.
 */
export function maskCardNumbers(text: string): string {
  return text.replace(GROUPED_DIGITS, (run) => {
    const parts = run.split(/([ -])/); // groups at even indexes, separators at odd ones
    const masked = new Set<number>();
    for (let a = 0; a < parts.length; a += 2) {
      let digits = '';
      for (let b = a; b < parts.length && digits.length + parts[b].length <= PAN_MAX_DIGITS; b += 2) {
        digits += parts[b];
        if (isCardNumber(digits)) for (let k = a; k <= b; k += 2) masked.add(k);
      }
    }
    return parts.map((part, i) => (masked.has(i) ? '*'.repeat(part.length) : part)).join('');
  });
}

/** `****1234` for a value long enough that four characters reveal little, else its length. */
export function cardHint(value: string): string {
  return value.length >= PAN_MIN_DIGITS ? `****${value.slice(-4)}` : `${value.length} characters`;
}
