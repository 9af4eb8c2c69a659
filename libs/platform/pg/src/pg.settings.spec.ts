import { PgError, PgErrorCode } from './pg.errors';
import { assertIdentifier, assertPoolSettings, type PgPoolSettings } from './pg.settings';

const ok: PgPoolSettings = { url: 'postgres://argus:argus@127.0.0.1:15432/argus', applicationName: 'audit' };

function codeOf(fn: () => unknown): PgErrorCode | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof PgError ? error.code : undefined;
  }
}

describe('assertPoolSettings', () => {
  it.each<PgPoolSettings>([
    ok,
    { ...ok, url: 'postgresql://localhost/argus', max: 1, schema: 'audit_test_1a2b' },
    { ...ok, schema: '_private' },
  ])('accepts %o', (settings) => {
    expect(() => assertPoolSettings(settings)).not.toThrow();
  });

  it.each<[string, PgPoolSettings]>([
    ['a URL that does not parse', { ...ok, url: 'not a url' }],
    ['another protocol', { ...ok, url: 'mysql://localhost/argus' }],
    ['an empty application name', { ...ok, applicationName: ' ' }],
    ['a zero pool size', { ...ok, max: 0 }],
    ['a fractional pool size', { ...ok, max: 1.5 }],
    ['an upper-case schema', { ...ok, schema: 'Audit' }],
    ['a schema with SQL in it', { ...ok, schema: 'x; drop table audit_log' }],
  ])('refuses %s', (_label, settings) => {
    expect(codeOf(() => assertPoolSettings(settings))).toBe(PgErrorCode.INVALID_SETTINGS);
  });

  it('never echoes the URL, which may hold a password', () => {
    expect(() => assertPoolSettings({ ...ok, url: 'postgres//argus:s3cret@host' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
  });
});

describe('assertIdentifier', () => {
  it('refuses names longer than 63 characters', () => {
    expect(codeOf(() => assertIdentifier('a'.repeat(64), 'table'))).toBe(PgErrorCode.INVALID_SETTINGS);
    expect(assertIdentifier('a'.repeat(63), 'table')).toBe('a'.repeat(63));
  });
});
