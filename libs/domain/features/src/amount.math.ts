/** Amounts kept in state as integers of 1/10 000 of a major unit: exact for every ISO 4217 exponent (0–4). */
export const UNITS_PER_MAJOR = 10_000;

/** Transactions at or under this many major units count as "small" (card testing probes). */
export const SMALL_AMOUNT_MAJOR = 5;

export function amountUnits(amountMinor: number, exponent: number): number {
  return amountMinor * 10 ** (4 - exponent);
}

export function unitsToMajor(units: number): number {
  return units / UNITS_PER_MAJOR;
}

/** log10 of the amount in major units, in thousandths, as an integer (the customer's amount moments). */
export function quantisedLogAmount(units: number): number {
  return Math.round(Math.log10(Math.max(unitsToMajor(units), 0.0001)) * 1000);
}

/** Amount histogram bin: tenths of a decade of the major amount. */
export function amountBin(units: number): number {
  return Math.floor(Math.log10(Math.max(unitsToMajor(units), 0.0001)) * 10);
}

/** Centre of an amount bin, in major units. */
export function amountBinCentre(bin: number): number {
  return 10 ** ((bin + 0.5) / 10);
}
