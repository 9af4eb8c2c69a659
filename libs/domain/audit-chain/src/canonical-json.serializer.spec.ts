import { AuditChainError, AuditChainErrorCode } from './audit-chain.errors';
import { canonicalJson } from './canonical-json.serializer';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same string whatever order the keys were set in', () => {
    const one = { transaction_id: 't1', amount: 1250, currency: 'EUR' };
    const two = { currency: 'EUR', amount: 1250, transaction_id: 't1' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('orders keys by UTF-16 code unit, as RFC 8785 does', () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '10': 4, '2': 5, '': 6 })).toBe('{"":6,"10":4,"2":5,"Z":3,"z":2,"é":1}');
  });

  it.each<[number, string]>([
    [0, '0'],
    [-0, '0'],
    [1, '1'],
    [-12.5, '-12.5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e21, '1e+21'],
    [1e-7, '1e-7'],
    [123456789012345, '123456789012345'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
  ])('writes the number %p as %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('escapes strings as JSON does, including control characters and lone surrogates', () => {
    expect(canonicalJson('a"b\\c\n\u0001')).toBe('"a\\"b\\\\c\\n\\u0001"');
    expect(canonicalJson('\ud800')).toBe('"\\ud800"');
    expect(canonicalJson('Zürich €')).toBe('"Zürich €"');
  });

  it('writes bytes as base64, a Buffer and a Uint8Array view alike', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
    expect(canonicalJson({ raw: bytes })).toBe('{"raw":"AAEC+vv8"}');
    const view = new Uint8Array([9, 9, 0, 1, 2, 250, 251, 252, 9]).subarray(2, 8);
    expect(canonicalJson({ raw: view })).toBe('{"raw":"AAEC+vv8"}');
  });

  it('writes a Date as an ISO-8601 UTC string', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)) })).toBe('{"at":"2025-01-02T03:04:05.006Z"}');
  });

  it('leaves out properties whose value is undefined, so optional fields do not change the hash', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('uses toJSON of other objects', () => {
    const money = { toJSON: () => ({ minor: 1250, currency: 'EUR' }) };
    expect(canonicalJson({ amount: money })).toBe('{"amount":{"currency":"EUR","minor":1250}}');
  });

  it('writes a repeated (not cyclic) reference twice', () => {
    const shared = { k: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"k":1},{"k":1}]');
  });

  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic['self'] = cyclic;

  it.each<[string, unknown, RegExp]>([
    ['NaN', { score: Number.NaN }, /\$\.score: NaN is not a finite number/],
    ['Infinity', [1, Number.POSITIVE_INFINITY], /\$\[1\]: Infinity/],
    ['-Infinity', Number.NEGATIVE_INFINITY, /-Infinity/],
    ['a bigint', { amount: 10n }, /\$\.amount: bigint/],
    ['undefined in an array', [1, undefined], /\$\[1\]: undefined in an array/],
    ['undefined on its own', undefined, /undefined is not JSON/],
    ['a function', { f: () => 1 }, /function is not JSON/],
    ['a symbol', Symbol('s'), /symbol is not JSON/],
    ['a Map', { m: new Map() }, /Map has no JSON form/],
    ['a Set', new Set([1]), /Set has no JSON form/],
    ['a Float64Array', new Float64Array([1]), /Float64Array has no JSON form/],
    ['an invalid Date', new Date(Number.NaN), /invalid Date/],
    ['a cycle', cyclic, /\$\.self: the value contains itself/],
  ])('refuses %s', (_label, value, message) => {
    let caught: unknown;
    try {
      canonicalJson(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuditChainError);
    expect((caught as AuditChainError).code).toBe(AuditChainErrorCode.INVALID_VALUE);
    expect((caught as AuditChainError).message).toMatch(message);
  });

  it('round-trips through JSON.parse to an equal value', () => {
    const value = { b: [1, 'two', { three: 3.5 }], a: null, c: false };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});
