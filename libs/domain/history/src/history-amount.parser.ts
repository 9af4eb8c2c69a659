const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,3}))?$/;

export type AmountReading = { ok: true; minor: number } | { ok: false; reason: string };

/**
 * A CSV amount to integer minor units, exactly (no binary floating point): "10.10" with exponent 2 is 1010,
 * and scientific notation as spreadsheets write it ("1.00E+07") is read too. `exponent` is the currency's
 * number of decimal places (0 for amounts already in minor units).
 */
export function readAmount(cell: string, exponent: number): AmountReading {
  const match = DECIMAL.exec(cell);
  if (match === null) return { ok: false, reason: `"${cell}" is not a decimal number` };
  const [, sign, whole, fraction = '', power = '0'] = match;
  const digits = BigInt(whole + fraction);
  const shift = exponent - fraction.length + Number(power);
  let minor: bigint;
  if (shift >= 0) {
    minor = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    if (digits % divisor !== 0n) {
      return { ok: false, reason: `"${cell}" has more than ${exponent} decimal places` };
    }
    minor = digits / divisor;
  }
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: `"${cell}" is too large` };
  if (sign === '-' || minor === 0n) return { ok: false, reason: `"${cell}" is not a positive amount` };
  return { ok: true, minor: Number(minor) };
}
