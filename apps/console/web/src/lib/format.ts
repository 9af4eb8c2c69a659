// How the console writes amounts, times and durations. Pure functions (tested in format.spec.ts).

const fractionDigits = new Map<string, number>();

/** The currency's minor-unit exponent as the browser's Intl knows it (JPY 0, EUR 2, BHD 3…); 2 if unknown. */
export function currencyExponent(currency: string): number {
  let digits = fractionDigits.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    fractionDigits.set(currency, digits);
  }
  return digits;
}

/** An amount in minor units of its currency, e.g. (123456, 'EUR') → "€1,234.56". */
export function formatMinor(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const major = minor / 10 ** exponent;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency, minimumFractionDigits: exponent }).format(major);
  } catch {
    return `${major.toFixed(exponent)} ${currency}`;
  }
}

/** An amount in major units of the reference currency, rounded to whole units ("€12,300"). */
export function formatMajor(major: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(major);
  } catch {
    return `${Math.round(major)} ${currency}`;
  }
}

/** A duration as an analyst reads it: "45 s", "12 min", "3 h 05 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** What is left of an SLA: "1 h 20 min left", or "overdue by 12 min". */
export function formatSla(remainingMs: number): string {
  return remainingMs >= 0 ? `${formatDuration(remainingMs)} left` : `overdue by ${formatDuration(remainingMs)}`;
}

/** A time in UTC, as the audit log and the processors keep it: "2026-12-07 14:03:12". */
export function formatTime(iso: string | null): string {
  if (iso === null) return '—';
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

/** A probability as a percentage with one decimal, "—" when there is none. */
export function formatPercent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)} %`;
}

/** "CONFIRMED_FRAUD" → "Confirmed fraud". */
export function humanize(code: string): string {
  const words = code.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
