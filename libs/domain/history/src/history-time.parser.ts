import type { TimeSpec } from './history-mapping.schema';

/** Reads one cell as UTC epoch millis, or null when the cell does not match the format. */
export type TimeReader = (cell: string) => number | null;

interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millis: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_EPOCH_MS = 8.64e15;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

const DIRECTIVES: Readonly<Record<string, string>> = {
  Y: '(\\d{4})',
  m: '(\\d{1,2})',
  d: '(\\d{1,2})',
  H: '(\\d{1,2})',
  M: '(\\d{1,2})',
  S: '(\\d{1,2})',
  f: '(\\d{1,9})',
  z: '(Z|z|[+-]\\d{2}:?\\d{2})',
};

/**
 * Compiles a mapping's time spec once; returns a problem description instead when the spec is unusable
 * (unknown format or zone, step format without a base).
 */
export function compileTimeReader(spec: TimeSpec): TimeReader | string {
  const timeZone = spec.timezone ?? 'UTC';
  if (!isTimeZone(timeZone)) return `timezone "${timeZone}" is not an IANA time zone`;
  switch (spec.format) {
    case 'epoch_s':
      return readEpochSeconds;
    case 'epoch_ms':
      return readEpochMillis;
    case 'iso':
      return (cell) => readIso(cell, timeZone);
    case 'step_hours':
    case 'step_days':
      return stepReader(spec.format === 'step_hours' ? HOUR_MS : DAY_MS, spec.base);
    default:
      return spec.format.includes('%')
        ? patternReader(spec.format, timeZone)
        : `format "${spec.format}" is not epoch_s, epoch_ms, iso, step_hours, step_days or a %-pattern`;
  }
}

function inRange(ms: number): number | null {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_EPOCH_MS ? ms : null;
}

function readEpochSeconds(cell: string): number | null {
  const m = /^([+-]?)(\d{1,13})(?:\.(\d{1,3}))?$/.exec(cell);
  if (m === null) return null;
  const ms = Number(m[2]) * 1000 + Number((m[3] ?? '').padEnd(3, '0'));
  return inRange(m[1] === '-' ? -ms : ms);
}

function readEpochMillis(cell: string): number | null {
  return /^[+-]?\d{1,16}$/.test(cell) ? inRange(Number(cell)) : null;
}

function stepReader(unitMs: number, base: string | undefined): TimeReader | string {
  const start = base === undefined ? null : readIso(base, null);
  if (start === null) return 'step formats need "base": an ISO-8601 start time with an offset';
  return (cell) => (/^\d{1,9}$/.test(cell) ? inRange(start + Number(cell) * unitMs) : null);
}

/** ISO-8601 date or date-time; without an offset the local time is read in `timeZone` (null: refuse). */
function readIso(cell: string, timeZone: string | null): number | null {
  const m = ISO.exec(cell);
  if (m === null) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', offset] = m;
  const local = localDateTime(y, mo, d, h, mi, s, frac);
  if (local === null) return null;
  if (offset !== undefined) return withOffset(local, offset);
  return timeZone === null ? null : inZone(local, timeZone);
}

function patternReader(pattern: string, timeZone: string): TimeReader | string {
  let source = '^';
  const order: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch !== '%') {
      source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const directive = pattern[++i];
    if (directive === '%') {
      source += '%';
    } else if (directive !== undefined && directive in DIRECTIVES) {
      if (order.includes(directive)) return `pattern "${pattern}" repeats %${directive}`;
      source += DIRECTIVES[directive];
      order.push(directive);
    } else {
      return `pattern "${pattern}" uses %${directive ?? ''}, not one of %Y %m %d %H %M %S %f %z %%`;
    }
  }
  if (!['Y', 'm', 'd'].every((d) => order.includes(d))) return `pattern "${pattern}" needs %Y, %m and %d`;
  const regex = new RegExp(`${source}$`);
  return (cell) => {
    const m = regex.exec(cell);
    if (m === null) return null;
    const part = (d: string, fallback: string): string => (order.includes(d) ? m[order.indexOf(d) + 1] : fallback);
    const local = localDateTime(
      part('Y', ''),
      part('m', ''),
      part('d', ''),
      part('H', '0'),
      part('M', '0'),
      part('S', '0'),
      part('f', ''),
    );
    if (local === null) return null;
    return order.includes('z') ? withOffset(local, part('z', 'Z')) : inZone(local, timeZone);
  };
}

function localDateTime(
  y: string,
  mo: string,
  d: string,
  h: string,
  mi: string,
  s: string,
  frac: string,
): LocalDateTime | null {
  const local = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    millis: Number(frac.padEnd(3, '0').slice(0, 3)),
  };
  const monthDays = new Date(Date.UTC(local.year, local.month, 0)).getUTCDate();
  const valid =
    local.year >= 1900 &&
    local.month >= 1 &&
    local.month <= 12 &&
    local.day >= 1 &&
    local.day <= monthDays &&
    local.hour <= 23 &&
    local.minute <= 59 &&
    local.second <= 59;
  return valid ? local : null;
}

function asUtc(t: LocalDateTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millis);
}

function withOffset(local: LocalDateTime, offset: string): number | null {
  if (offset === 'Z' || offset === 'z') return asUtc(local);
  const m = OFFSET.exec(offset);
  if (m === null || Number(m[3]) > 59) return null;
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  return Math.abs(minutes) > 18 * 60 ? null : asUtc(local) - minutes * 60_000;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = zoneFormatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormatters.set(timeZone, formatter);
  }
  return formatter;
}

function isTimeZone(timeZone: string): boolean {
  try {
    zoneFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `timeZone` from UTC at an instant, in millis (whole seconds). */
function zoneOffset(epochMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of zoneFormatter(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(epochMs / 1000) * 1000;
}

/**
 * A wall-clock time in a zone to UTC. Around a daylight-saving change it behaves like Temporal's
 * "compatible" choice: a time that occurs twice takes the earlier instant; a time skipped by the change is
 * moved forward by the gap (02:30 on a spring-forward night reads as 03:30).
 */
function inZone(local: LocalDateTime, timeZone: string): number | null {
  const wall = asUtc(local);
  if (timeZone === 'UTC') return inRange(wall);
  const before = wall - zoneOffset(wall - DAY_MS, timeZone);
  const after = wall - zoneOffset(wall + DAY_MS, timeZone);
  const exact = [before, after].filter((t) => t + zoneOffset(t, timeZone) === wall);
  return inRange(exact.length > 0 ? Math.min(...exact) : before);
}
