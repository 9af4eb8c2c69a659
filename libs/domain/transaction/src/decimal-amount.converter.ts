/** Why a decimal amount could not be turned into minor units. */
export type DecimalAmountProblem = 'FORMAT' | 'PRECISION' | 'RANGE';

export type DecimalAmountResult = { ok: true; minor: number } | { ok: false; problem: DecimalAmountProblem };

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,3}))?$/;

/**
 * Exact conversion of a decimal written in major units ("10.10", "-3", "1.00E+07") into integer minor units
 * for a currency with `exponent` decimal places, with no binary floating point on the way: "10.10" EUR is
 * 1010, "0.1" JPY is refused (PRECISION). Trailing zeros beyond the exponent are fine ("10.100" EUR → 1010).
 * The sign is kept: positivity is a validation rule, not a parsing one.
 */
export function decimalToMinorUnits(text: string, exponent: number): DecimalAmountResult {
  const match = DECIMAL.exec(text.trim());
  if (match === null) return { ok: false, problem: 'FORMAT' };
  const [, sign, whole, fraction = '', power = '0'] = match;
  const digits = BigInt(whole + fraction);
  const shift = exponent - fraction.length + Number(power);
  let minor: bigint;
  if (shift >= 0) {
    minor = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    if (digits % divisor !== 0n) return { ok: false, problem: 'PRECISION' };
    minor = digits / divisor;
  }
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, problem: 'RANGE' };
  const value = Number(minor);
  return { ok: true, minor: sign === '-' && value !== 0 ? -value : value };
}
