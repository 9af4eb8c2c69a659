/** A country the simulation knows: its currency and the first octets of the IPv4 ranges its devices get. */
export interface CountryInfo {
  readonly code: string;
  readonly currency: string;
  readonly ipFirstOctets: readonly number[];
}

/**
 * A city. `home` weighs where customers live (0: never a home), `travel` how often travellers go there,
 * `hub` marks the cities fraud rings operate from. `utcOffset` is the standard offset in hours (daylight
 * saving is ignored: it only shifts the hour-of-day profile by one hour part of the year).
 */
export interface City {
  readonly name: string;
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
  readonly utcOffset: number;
  readonly home: number;
  readonly travel: number;
  readonly hub: boolean;
}

const country = (code: string, currency: string, ipFirstOctets: number[]): CountryInfo => ({
  code,
  currency,
  ipFirstOctets,
});

export const COUNTRIES: readonly CountryInfo[] = [
  country('US', 'USD', [23, 24, 50, 66, 67, 68, 71, 73, 76, 98, 107, 108]),
  country('CA', 'CAD', [70, 99, 142, 174]),
  country('GB', 'GBP', [31, 51, 81, 86, 90]),
  country('IE', 'EUR', [37, 79, 89]),
  country('DE', 'EUR', [46, 77, 84, 87, 91, 93]),
  country('FR', 'EUR', [78, 82, 88, 90, 92]),
  country('ES', 'EUR', [79, 83, 85, 88]),
  country('IT', 'EUR', [79, 87, 93, 95]),
  country('NL', 'EUR', [77, 80, 84, 145]),
  country('BE', 'EUR', [81, 91, 109]),
  country('AT', 'EUR', [62, 80, 84]),
  country('PT', 'EUR', [81, 85, 94]),
  country('SE', 'SEK', [78, 83, 90]),
  country('CH', 'CHF', [77, 85, 178]),
  country('PL', 'PLN', [31, 83, 89]),
  country('CZ', 'CZK', [46, 78, 89]),
  country('DK', 'DKK', [80, 87, 90]),
  country('GR', 'EUR', [79, 94, 176]),
  country('TR', 'TRY', [78, 88, 95]),
  country('JP', 'JPY', [60, 106, 126, 153]),
  country('TH', 'THB', [49, 58, 110, 171]),
  country('AE', 'AED', [2, 5, 86, 94]),
  country('MX', 'MXN', [187, 189, 201]),
  country('AU', 'AUD', [1, 49, 101, 120]),
  country('SG', 'SGD', [101, 116, 118, 175]),
  country('NG', 'NGN', [41, 102, 105, 154, 197]),
  country('RO', 'RON', [5, 79, 86, 188]),
  country('BR', 'BRL', [177, 179, 186, 189, 200]),
  country('PH', 'PHP', [49, 112, 119, 124]),
  country('VN', 'VND', [14, 27, 113, 171]),
];

const city = (
  name: string,
  countryCode: string,
  lat: number,
  lon: number,
  utcOffset: number,
  home: number,
  travel: number,
  hub = false,
): City => ({ name, country: countryCode, lat, lon, utcOffset, home, travel, hub });

/** Where customers live, travel to, and where fraud rings sit. Coordinates are city centres (WGS84). */
export const CITIES: readonly City[] = [
  city('New York', 'US', 40.7128, -74.006, -5, 8, 5),
  city('Los Angeles', 'US', 34.0522, -118.2437, -8, 5, 3),
  city('Chicago', 'US', 41.8781, -87.6298, -6, 4, 2),
  city('Houston', 'US', 29.7604, -95.3698, -6, 3, 1),
  city('Phoenix', 'US', 33.4484, -112.074, -7, 2, 1),
  city('Philadelphia', 'US', 39.9526, -75.1652, -5, 2, 1),
  city('San Francisco', 'US', 37.7749, -122.4194, -8, 2, 2),
  city('Seattle', 'US', 47.6062, -122.3321, -8, 2, 1),
  city('Miami', 'US', 25.7617, -80.1918, -5, 2, 3, true),
  city('Boston', 'US', 42.3601, -71.0589, -5, 2, 1),
  city('Atlanta', 'US', 33.749, -84.388, -5, 2, 1),
  city('Denver', 'US', 39.7392, -104.9903, -7, 1.5, 1),
  city('Toronto', 'CA', 43.6532, -79.3832, -5, 3, 1),
  city('Vancouver', 'CA', 49.2827, -123.1207, -8, 1.5, 1),
  city('Montreal', 'CA', 45.5017, -73.5673, -5, 1.5, 1),
  city('London', 'GB', 51.5074, -0.1278, 0, 6, 5, true),
  city('Manchester', 'GB', 53.4808, -2.2426, 0, 2, 1),
  city('Birmingham', 'GB', 52.4862, -1.8904, 0, 2, 0.5),
  city('Glasgow', 'GB', 55.8642, -4.2518, 0, 1, 0.5),
  city('Edinburgh', 'GB', 55.9533, -3.1883, 0, 1, 1),
  city('Dublin', 'IE', 53.3498, -6.2603, 0, 1, 1),
  city('Berlin', 'DE', 52.52, 13.405, 1, 3, 2),
  city('Munich', 'DE', 48.1351, 11.582, 1, 2, 1),
  city('Hamburg', 'DE', 53.5511, 9.9937, 1, 2, 1),
  city('Frankfurt', 'DE', 50.1109, 8.6821, 1, 1.5, 1),
  city('Cologne', 'DE', 50.9375, 6.9603, 1, 1.5, 0.5),
  city('Paris', 'FR', 48.8566, 2.3522, 1, 4, 5),
  city('Lyon', 'FR', 45.764, 4.8357, 1, 1.5, 1),
  city('Marseille', 'FR', 43.2965, 5.3698, 1, 1.5, 1),
  city('Toulouse', 'FR', 43.6047, 1.4442, 1, 1, 0.5),
  city('Madrid', 'ES', 40.4168, -3.7038, 1, 2.5, 2),
  city('Barcelona', 'ES', 41.3874, 2.1686, 1, 2, 4),
  city('Valencia', 'ES', 39.4699, -0.3763, 1, 1, 1),
  city('Rome', 'IT', 41.9028, 12.4964, 1, 2, 4),
  city('Milan', 'IT', 45.4642, 9.19, 1, 2, 2),
  city('Naples', 'IT', 40.8518, 14.2681, 1, 1, 1),
  city('Amsterdam', 'NL', 52.3676, 4.9041, 1, 1.5, 3, true),
  city('Rotterdam', 'NL', 51.9244, 4.4777, 1, 1, 0.5),
  city('Brussels', 'BE', 50.8503, 4.3517, 1, 1, 1),
  city('Vienna', 'AT', 48.2082, 16.3738, 1, 1, 1),
  city('Lisbon', 'PT', 38.7223, -9.1393, 0, 1, 3),
  city('Stockholm', 'SE', 59.3293, 18.0686, 1, 1, 1),
  city('Zurich', 'CH', 47.3769, 8.5417, 1, 1, 1),
  city('Warsaw', 'PL', 52.2297, 21.0122, 1, 1, 1),
  city('Prague', 'CZ', 50.0755, 14.4378, 1, 0, 2),
  city('Copenhagen', 'DK', 55.6761, 12.5683, 1, 0, 1),
  city('Athens', 'GR', 37.9838, 23.7275, 2, 0, 2),
  city('Istanbul', 'TR', 41.0082, 28.9784, 3, 0, 2),
  city('Tokyo', 'JP', 35.6762, 139.6503, 9, 0, 2),
  city('Bangkok', 'TH', 13.7563, 100.5018, 7, 0, 2),
  city('Dubai', 'AE', 25.2048, 55.2708, 4, 0, 2),
  city('Cancun', 'MX', 21.1619, -86.8515, -5, 0, 3),
  city('Sydney', 'AU', -33.8688, 151.2093, 10, 0, 1),
  city('Singapore', 'SG', 1.3521, 103.8198, 8, 0, 1),
  city('Lagos', 'NG', 6.5244, 3.3792, 1, 0, 0, true),
  city('Bucharest', 'RO', 44.4268, 26.1025, 2, 0, 0.5, true),
  city('Sao Paulo', 'BR', -23.5505, -46.6333, -3, 0, 0.5, true),
  city('Manila', 'PH', 14.5995, 120.9842, 8, 0, 0.5, true),
  city('Ho Chi Minh City', 'VN', 10.8231, 106.6297, 7, 0, 0.5, true),
];

/** Units of each currency per US dollar: fixed reference rates, only to keep amounts plausible across currencies. */
export const UNITS_PER_USD: Readonly<Record<string, number>> = {
  USD: 1,
  CAD: 1.36,
  GBP: 0.79,
  EUR: 0.92,
  SEK: 10.5,
  CHF: 0.88,
  PLN: 4,
  CZK: 23,
  DKK: 6.9,
  TRY: 32,
  JPY: 150,
  THB: 35,
  AED: 3.67,
  MXN: 17,
  AUD: 1.52,
  SGD: 1.34,
  NGN: 1500,
  RON: 4.6,
  BRL: 5,
  PHP: 56,
  VND: 24500,
};

/** ISO 4217 minor-unit exponents of the currencies above that are not 2. */
const EXPONENT_NOT_TWO: Readonly<Record<string, number>> = { JPY: 0, VND: 0 };

export function minorUnitExponent(currency: string): number {
  return EXPONENT_NOT_TWO[currency] ?? 2;
}

const countryByCode = new Map(COUNTRIES.map((c) => [c.code, c]));

export function countryInfo(code: string): CountryInfo {
  const info = countryByCode.get(code);
  if (info === undefined) throw new Error(`simulation data: no country ${code}`);
  return info;
}

/** An amount in US dollars as integer minor units of `currency` (at least one). */
export function usdToMinor(usd: number, currency: string): number {
  const major = usd * UNITS_PER_USD[currency];
  return Math.max(1, Math.round(major * 10 ** minorUnitExponent(currency)));
}

/** Integer minor units of `currency` back in US dollars, at the same reference rates. */
export function minorToUsd(minor: number, currency: string): number {
  return minor / 10 ** minorUnitExponent(currency) / (UNITS_PER_USD[currency] ?? 1);
}
