import { AuditChainError, AuditChainErrorCode } from './audit-chain.errors';

/**
 * Serialises a value to one exact string, so that the same content always hashes the same:
 * object keys sorted by UTF-16 code unit, no whitespace, numbers in ECMAScript shortest round-trip form
 * (as RFC 8785 JCS does; -0 becomes 0), byte arrays as base64 strings, dates as ISO-8601 UTC strings,
 * object properties whose value is undefined left out. Refuses what JSON cannot carry faithfully:
 * NaN, ±Infinity, bigint, functions, symbols, undefined in an array, Map/Set and cycles.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

function invalid(path: string, reason: string): AuditChainError {
  return new AuditChainError(AuditChainErrorCode.INVALID_VALUE, `not canonical JSON at ${path}: ${reason}`);
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw invalid(path, `${value} is not a finite number`);
      // String() of a finite number is the shortest round-trip form, the same as JSON.stringify; -0 needs help.
      return Object.is(value, -0) ? '0' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : writeObject(value, path, ancestors);
    case 'bigint':
      throw invalid(path, 'bigint has no exact JSON form; pass it as a string');
    default:
      throw invalid(path, `${typeof value} is not JSON`);
  }
}

function writeObject(value: object, path: string, ancestors: Set<object>): string {
  if (value instanceof Uint8Array) {
    return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`;
  }
  if (ArrayBuffer.isView(value)) {
    throw invalid(path, `${value.constructor.name} has no JSON form; pass bytes as a Uint8Array or Buffer`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalid(path, 'invalid Date');
    return `"${value.toISOString()}"`;
  }
  if (value instanceof Map || value instanceof Set) {
    throw invalid(path, `${value.constructor.name} has no JSON form; convert it to an object or array`);
  }
  if (ancestors.has(value)) throw invalid(path, 'the value contains itself (a cycle)');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return writeArray(value, path, ancestors);
    if (hasToJson(value)) return write(value.toJSON(), path, ancestors);
    return writeRecord(value as Record<string, unknown>, path, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function writeArray(value: readonly unknown[], path: string, ancestors: Set<object>): string {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += 1) {
    if (value[i] === undefined) throw invalid(`${path}[${i}]`, 'undefined in an array (JSON would turn it into null)');
    parts.push(write(value[i], `${path}[${i}]`, ancestors));
  }
  return `[${parts.join(',')}]`;
}

function writeRecord(value: Record<string, unknown>, path: string, ancestors: Set<object>): string {
  const parts: string[] = [];
  // The default sort compares UTF-16 code units, which is the order RFC 8785 prescribes.
  for (const key of Object.keys(value).sort()) {
    const field = value[key];
    if (field === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${write(field, `${path}.${key}`, ancestors)}`);
  }
  return `{${parts.join(',')}}`;
}

function hasToJson(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
