export type IsoInstantResult = { ok: true; epochMs: number } | { ok: false; problem: 'FORMAT' | 'NO_OFFSET' | 'RANGE' };

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

const MAX_OFFSET_MINUTES = 18 * 60;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Strict ISO-8601 / RFC 3339 date-time with an offset ("2024-05-01T10:15:30.250+02:00", "…Z") to UTC epoch
 * millis. A time without an offset is refused (NO_OFFSET): guessing a zone silently shifts events by hours.
 * Fractions beyond milliseconds are truncated.
 */
export function parseIsoInstant(text: string): IsoInstantResult {
  const m = ISO_INSTANT.exec(text.trim());
  if (m === null) return { ok: false, problem: 'FORMAT' };
  const [, y, mo, d, h, mi, s = '0', frac = '', zulu, sign, oh, om] = m;
  if (zulu === undefined && sign === undefined) return { ok: false, problem: 'NO_OFFSET' };
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  // Date.UTC maps years 0–99 to 1900–1999; no payment is that old anyway.
  if (year < 1900) return { ok: false, problem: 'RANGE' };
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { ok: false, problem: 'RANGE' };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, problem: 'RANGE' };
  let offsetMinutes = 0;
  if (sign !== undefined) {
    const oHours = Number(oh);
    const oMinutes = Number(om);
    if (oMinutes > 59) return { ok: false, problem: 'RANGE' };
    offsetMinutes = (sign === '-' ? -1 : 1) * (oHours * 60 + oMinutes);
    if (Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES) return { ok: false, problem: 'RANGE' };
  }
  const millis = Number(frac.padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return { ok: true, epochMs: local - offsetMinutes * 60_000 };
}
