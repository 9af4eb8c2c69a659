import { createHmac } from 'node:crypto';
import { PanTokeniser } from './pan.tokeniser';
import { PanTokeniserError, PanTokeniserErrorCode } from './pan-tokeniser.errors';

const KEY = Buffer.alloc(32, 7);
const PAN = '4111111111111111';

describe('PanTokeniser', () => {
  const tokeniser = new PanTokeniser({ keyId: 'k1', key: KEY });

  it('makes tok_<keyId>_<24 base64url characters>', () => {
    expect(tokeniser.tokenise(PAN)).toMatch(/^tok_k1_[A-Za-z0-9_-]{24}$/);
  });

  it('is the first 18 bytes of HMAC-SHA256(key, digits), base64url', () => {
    const expected = createHmac('sha256', KEY).update(PAN).digest().subarray(0, 18).toString('base64url');
    expect(tokeniser.tokenise(PAN)).toBe(`tok_k1_${expected}`);
  });

  it('is deterministic, also across instances and groupings', () => {
    const other = new PanTokeniser({ keyId: 'k1', key: Buffer.alloc(32, 7) });
    expect(tokeniser.tokenise(PAN)).toBe(tokeniser.tokenise(PAN));
    expect(other.tokenise(PAN)).toBe(tokeniser.tokenise(PAN));
    expect(tokeniser.tokenise('4111 1111 1111 1111')).toBe(tokeniser.tokenise(PAN));
    expect(tokeniser.tokenise('4111-1111-1111-1111')).toBe(tokeniser.tokenise(PAN));
  });

  it('differs for another card, another key and another key id', () => {
    const token = tokeniser.tokenise(PAN);
    const otherKey = Buffer.from(KEY);
    otherKey[31] ^= 1;
    expect(tokeniser.tokenise('5555555555554444')).not.toBe(token);
    expect(new PanTokeniser({ keyId: 'k1', key: otherKey }).tokenise(PAN)).not.toBe(token);
    expect(new PanTokeniser({ keyId: 'k2', key: KEY }).tokenise(PAN)).not.toBe(token);
  });

  it('copies the key: changing the caller buffer later changes nothing', () => {
    const key = Buffer.alloc(32, 9);
    const t = new PanTokeniser({ keyId: 'k1', key });
    const before = t.tokenise(PAN);
    key.fill(0);
    expect(t.tokenise(PAN)).toBe(before);
  });

  it('does not expose the key when serialised', () => {
    const t = new PanTokeniser({ keyId: 'k1', key: Buffer.from('s3cr3t-key-material-0123456789-abcdef') });
    expect(JSON.stringify(t)).not.toContain('s3cr3t');
    expect(Object.values(t).join(' ')).not.toContain('s3cr3t');
  });

  it('builds from a base64 key', () => {
    expect(PanTokeniser.fromBase64('k1', KEY.toString('base64')).tokenise(PAN)).toBe(tokeniser.tokenise(PAN));
  });

  it.each([
    ['a 31-byte key', { keyId: 'k1', key: Buffer.alloc(31, 1) }, PanTokeniserErrorCode.KEY_TOO_SHORT],
    ['an empty key', { keyId: 'k1', key: Buffer.alloc(0) }, PanTokeniserErrorCode.KEY_TOO_SHORT],
    ['a key id with an underscore', { keyId: 'k_1', key: KEY }, PanTokeniserErrorCode.INVALID_KEY_ID],
    ['an empty key id', { keyId: '', key: KEY }, PanTokeniserErrorCode.INVALID_KEY_ID],
    ['an upper-case key id', { keyId: 'K1', key: KEY }, PanTokeniserErrorCode.INVALID_KEY_ID],
  ])('refuses %s', (_name, options, code) => {
    expect(() => new PanTokeniser(options)).toThrow(expect.objectContaining({ code, name: 'PanTokeniserError' }));
  });

  it.each(['4111111111111112', '60495593109', 'tok_k1_abc', ''])('refuses to tokenise %j', (value) => {
    let error: unknown;
    try {
      tokeniser.tokenise(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PanTokeniserError);
    expect((error as PanTokeniserError).code).toBe(PanTokeniserErrorCode.INVALID_PAN);
    if (value.length > 4) expect((error as Error).message).not.toContain(value);
  });
});
