const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,3}))?$/;

/**
 * `rounded`: the cell was a binary floating-point rendering of an amount with the currency's places
 * ("85.64999999999999" for 85.65, as pandas or a spreadsheet writes a product), read as that amount.
 */
export type AmountReading = { ok: true; minor: number; rounded: boolean } | { ok: false; reason: string };

/**
 * How far, in units in the last place of a double, a cell may sit from the amount it stands for. Arithmetic in
 * binary floating point (a sum, a product by a factor, a conversion) leaves a result a few ulps off the decimal
 * it means; a real fraction of a minor unit ("10.005") is billions of ulps away.
 */
const MAX_ULPS = 4n;

/**
 * A CSV amount to integer minor units, exactly (no binary floating point): "10.10" with exponent 2 is 1010,
 * and scientific notation as spreadsheets write it ("1.00E+07") is read too. `exponent` is the currency's
 * number of decimal places (0 for amounts already in minor units).
 *
 * A cell with more places than the currency has is refused — unless it is a float rendering (15 or more
 * significant digits, which no person types) of a double within {@link MAX_ULPS} of an amount with the
 * currency's places, which is what writing a computed float does ("52.300000000000004" is 52.30, "%.17g" of
 * 19.99 is "19.989999999999998"): that amount is taken and the reading says `rounded`.
 */
export function readAmount(cell: string, exponent: number): AmountReading {
  const match = DECIMAL.exec(cell);
  if (match === null) return { ok: false, reason: `"${cell}" is not a decimal number` };
  const [, sign, whole, fraction = '', power = '0'] = match;
  const digits = BigInt(whole + fraction);
  if (sign === '-' || digits === 0n) return { ok: false, reason: `"${cell}" is not a positive amount` };
  const shift = exponent - fraction.length + Number(power);
  let minor: bigint;
  let rounded = false;
  if (shift >= 0) {
    minor = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    if (digits % divisor === 0n) {
      minor = digits / divisor;
    } else {
      const nearest = floatArtefactOf(cell, digits, divisor, exponent);
      if (nearest === null) return { ok: false, reason: `"${cell}" has more than ${exponent} decimal places` };
      minor = nearest;
      rounded = true;
    }
  }
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: `"${cell}" is too large` };
  if (minor === 0n) return { ok: false, reason: `"${cell}" is not a positive amount` };
  return { ok: true, minor: Number(minor), rounded };
}

/** The minor units `cell` stands for when it is a float rendering of such an amount; otherwise null. */
function floatArtefactOf(cell: string, digits: bigint, divisor: bigint, exponent: number): bigint | null {
  const value = Number(cell);
  // A double printed in full has 15–17 significant digits; a hand-typed "85.649999" is not an artefact.
  if (!Number.isFinite(value) || significantDigits(cell) < FLOAT_DIGITS) return null;
  const nearest = (digits + divisor / 2n) / divisor;
  const intended = Number(`${nearest}e-${exponent}`);
  return ulpDistance(value, intended) <= MAX_ULPS ? nearest : null;
}

/** Significant digits a double's shortest rendering has at the least, when it is not a short decimal. */
const FLOAT_DIGITS = 15;

function significantDigits(cell: string): number {
  const decimal = canonicalDecimal(cell);
  return decimal === '0' ? 0 : decimal.indexOf('@');
}

/** A decimal as `<significant digits>@<position of the point>`: "0.0520", "5.2e-2" and "52e-3" are one. */
function canonicalDecimal(text: string): string {
  const [mantissa = '', power = '0'] = text.toLowerCase().replace(/^[+-]/, '').split('e');
  const [int = '', frac = ''] = mantissa.split('.');
  let all = `${int}${frac}`;
  let point = int.length + Number(power);
  while (all.startsWith('0')) {
    all = all.slice(1);
    point -= 1;
  }
  all = all.replace(/0+$/, '');
  return all === '' ? '0' : `${all}@${point}`;
}

/** Distance between two positive doubles in units in the last place (adjacent doubles are 1 apart). */
function ulpDistance(a: number, b: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  const bits = (x: number): bigint => {
    view.setFloat64(0, x);
    return view.getBigInt64(0);
  };
  const d = bits(a) - bits(b);
  return d < 0n ? -d : d;
}
