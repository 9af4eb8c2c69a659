import table from './iso-4217.data.json';

export interface Currency {
  /** ISO 4217 alphabetic code, upper case. */
  readonly code: string;
  /** Decimal places of the minor unit: 2 for EUR (cents), 0 for JPY, 3 for KWD. */
  readonly exponent: number;
  readonly name: string;
}

const byCode: ReadonlyMap<string, Currency> = new Map(table.currencies.map((c) => [c.code, c]));

/** The active ISO 4217 currency with this code (upper case expected), or undefined. */
export function findCurrency(code: string): Currency | undefined {
  return byCode.get(code);
}

/** Minor-unit exponent of a known currency (upper case), or undefined when the code is unknown. */
export function currencyExponent(code: string): number | undefined {
  return byCode.get(code)?.exponent;
}

/** Every known currency, in code order. */
export function knownCurrencies(): readonly Currency[] {
  return [...byCode.values()];
}
