import { AuthError, AuthErrorCode } from './auth.errors';
import { hashPassword, verifyPassword } from './password.hasher';
import { TokenSigner } from './token.signer';

const SECRET = 'a-test-secret-of-at-least-thirty-two-bytes';

describe('passwords', () => {
  it('hashes with a fresh salt and verifies only the right password', async () => {
    const one = await hashPassword('correct horse battery staple');
    const two = await hashPassword('correct horse battery staple');
    expect(one).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(one).not.toBe(two);
    await expect(verifyPassword('correct horse battery staple', one)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapler', one)).resolves.toBe(false);
  });

  it('refuses a hash it did not write', async () => {
    await expect(verifyPassword('x', 'plain-text')).rejects.toMatchObject({ code: AuthErrorCode.INVALID_HASH });
  });
});

describe('TokenSigner', () => {
  it('issues a token that verifies to its subject and role', async () => {
    const signer = new TokenSigner(SECRET, 'argus-case', 3600, () => 1_000_000);
    const { token, expiresAt } = await signer.issue({ subject: 'alice', role: 'analyst' });
    expect(expiresAt).toBe((1_000 + 3600) * 1000);
    await expect(signer.verify(token)).resolves.toEqual({ subject: 'alice', role: 'analyst' });
  });

  it('refuses an expired token, a forged one and one of another issuer', async () => {
    let now = 1_000_000;
    const signer = new TokenSigner(SECRET, 'argus-case', 60, () => now);
    const { token } = await signer.issue({ subject: 'alice', role: 'analyst' });
    const [header, , signature] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ sub: 'alice', role: 'admin', iss: 'argus-case', exp: 9e9 }),
    ).toString('base64url');
    await expect(signer.verify(`${header}.${forgedPayload}.${signature}`)).rejects.toMatchObject({
      code: AuthErrorCode.UNAUTHENTICATED,
    });
    await expect(new TokenSigner(SECRET, 'other', 60, () => now).verify(token)).rejects.toBeInstanceOf(AuthError);
    now += 61_000;
    await expect(signer.verify(token)).rejects.toThrow(/expired/);
  });

  it('refuses a short secret', () => {
    expect(() => new TokenSigner('short', 'x', 60)).toThrow(/at least 32 bytes/);
  });
});
