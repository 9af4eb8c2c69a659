import { PAN_MAX_DIGITS, PAN_MIN_DIGITS, isLuhnValid } from './card-number.rules';

const MASK = 0x2a; // '*'
const ZERO = 0x30;
const NINE = 0x39;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

function isSeparator(code: number): boolean {
  return code === 0x20 || code === 0x2d; // ' ' or '-'
}

/** A run of digits joined by single separators: where each digit sits, and the digits themselves. */
interface DigitRun {
  readonly positions: number[];
  readonly digits: string;
  /** Index in `digits` where each separator-delimited group starts. */
  readonly groupStarts: number[];
}

function digitRuns(length: number, codeAt: (i: number) => number): DigitRun[] {
  const runs: DigitRun[] = [];
  let i = 0;
  while (i < length) {
    if (!isDigit(codeAt(i))) {
      i++;
      continue;
    }
    const positions: number[] = [];
    const groupStarts: number[] = [0];
    let digits = '';
    let j = i;
    for (;;) {
      positions.push(j);
      digits += String.fromCharCode(codeAt(j));
      if (j + 1 < length && isDigit(codeAt(j + 1))) {
        j += 1;
      } else if (j + 2 < length && isSeparator(codeAt(j + 1)) && isDigit(codeAt(j + 2))) {
        groupStarts.push(digits.length);
        j += 2;
      } else {
        break;
      }
    }
    if (digits.length >= PAN_MIN_DIGITS) runs.push({ positions, digits, groupStarts });
    i = j + 1;
  }
  return runs;
}

/**
 * Every digit window of PAN length passing Luhn, at any offset: binary framing can glue a digit to a card
 * number (the Avro length byte of a 24–28 character string is an ASCII digit, of a 16 one a space), so
 * whole runs are not enough. Masking a spurious window would overwrite such a framing digit, so a window that
 * is exactly an Avro string (the byte before it is its zigzag length) wins over the windows overlapping it
 * and over those holding the digit right after it.
 */
function windowsInBinary(run: DigitRun, codeAt: (i: number) => number): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  const n = run.digits.length;
  for (let start = 0; start + PAN_MIN_DIGITS <= n; start++) {
    for (let len = PAN_MIN_DIGITS; len <= PAN_MAX_DIGITS && start + len <= n; len++) {
      if (isLuhnValid(run.digits, start, len)) found.push([start, len]);
    }
  }
  const isFramed = ([start, len]: [number, number]): boolean => {
    const first = run.positions[start];
    const span = run.positions[start + len - 1] - first + 1;
    return first > 0 && codeAt(first - 1) === span * 2;
  };
  const framed = found.filter(isFramed);
  // A digit right after a framed string starts the next field: it is that field's length byte.
  const framing = framed
    .map(([start, len]) => start + len)
    .filter((k) => k < n && run.positions[k] === run.positions[k - 1] + 1);
  const keep = (w: [number, number]): boolean => {
    const [start, len] = w;
    if (isFramed(w)) return true;
    if (framed.some(([fs, fl]) => start < fs + fl && fs < start + len)) return false;
    return !framing.some((k) => k >= start && k < start + len);
  };
  return found.filter(keep);
}

/**
 * Windows made of whole digit groups ("4111 1111 1111 1111", or the card number after "order 12 "): text
 * separates a card number from its neighbours, and masking every Luhn-valid digit window would hide ordinary
 * long numbers in log lines.
 */
function windowsAtGroupBoundaries(run: DigitRun): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  const bounds = [...run.groupStarts, run.digits.length];
  for (let a = 0; a < bounds.length - 1; a++) {
    for (let b = a + 1; b < bounds.length; b++) {
      const len = bounds[b] - bounds[a];
      if (len > PAN_MAX_DIGITS) break;
      if (len >= PAN_MIN_DIGITS && isLuhnValid(run.digits, bounds[a], len)) found.push([bounds[a], len]);
    }
  }
  return found;
}

function positionsToMask(
  length: number,
  codeAt: (i: number) => number,
  windows: (run: DigitRun, codeAt: (i: number) => number) => Array<[number, number]>,
): number[] {
  const masked: number[] = [];
  for (const run of digitRuns(length, codeAt)) {
    const hit = new Set<number>();
    for (const [start, len] of windows(run, codeAt)) {
      for (let k = start; k < start + len; k++) hit.add(run.positions[k]);
    }
    masked.push(...hit);
  }
  return masked;
}

/**
 * Replaces with '*' the digits of every card number in raw bytes (12–19 ASCII digits, optionally grouped by
 * single spaces or dashes, passing Luhn), keeping the length so Avro length prefixes stay valid. Errs on the
 * side of masking: a Luhn-valid window inside a longer digit run is masked too, unless it overlaps a window
 * framed as a whole Avro string. The input is not modified.
 */
export function maskPans(bytes: Buffer): { bytes: Buffer; masked: boolean } {
  const positions = positionsToMask(bytes.length, (i) => bytes[i], windowsInBinary);
  if (positions.length === 0) return { bytes, masked: false };
  const copy = Buffer.from(bytes);
  for (const p of positions) copy[p] = MASK;
  return { bytes: copy, masked: true };
}

/** Text variant for log lines and error messages: card numbers (grouped or not) become '*', length kept. */
export function maskPansInText(text: string): string {
  const positions = positionsToMask(text.length, (i) => text.charCodeAt(i), windowsAtGroupBoundaries);
  if (positions.length === 0) return text;
  const chars = text.split('');
  for (const p of positions) chars[p] = '*';
  return chars.join('');
}
