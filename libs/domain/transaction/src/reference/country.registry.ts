import table from './iso-3166.data.json';

const codes: ReadonlySet<string> = new Set(table.countries.map((c) => c.code));

/** True for an officially assigned ISO 3166-1 alpha-2 code (upper case expected). */
export function isKnownCountry(code: string): boolean {
  return codes.has(code);
}
