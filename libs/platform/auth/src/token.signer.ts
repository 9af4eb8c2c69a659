import { errors, jwtVerify, SignJWT } from 'jose';
import { AuthError, AuthErrorCode } from './auth.errors';

/** Who a token speaks for. */
export interface TokenClaims {
  readonly subject: string;
  readonly role: string;
}

export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: number;
}

const ALGORITHM = 'HS256';

/**
 * Signed session tokens (JWT, HMAC-SHA256) for people using a console: the subject, the role and an expiry,
 * checked on every request without a session table. Rotating the secret logs everyone out.
 */
export class TokenSigner {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    if (Buffer.byteLength(secret) < 32)
      throw new AuthError(AuthErrorCode.WEAK_SECRET, 'the token secret must be at least 32 bytes');
    this.key = new TextEncoder().encode(secret);
  }

  async issue(claims: TokenClaims): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.now() / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({ role: claims.role })
      .setProtectedHeader({ alg: ALGORITHM })
      .setSubject(claims.subject)
      .setIssuer(this.issuer)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.key);
    return { token, expiresAt: expiresAt * 1000 };
  }

  /** The claims of a valid token; AuthError UNAUTHENTICATED for a forged, expired or malformed one. */
  async verify(token: string): Promise<TokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
        currentDate: new Date(this.now()),
      });
      if (typeof payload.sub !== 'string' || typeof payload['role'] !== 'string')
        throw new AuthError(AuthErrorCode.UNAUTHENTICATED, 'the token names no user or role');
      return { subject: payload.sub, role: payload['role'] };
    } catch (error) {
      if (error instanceof AuthError) throw error;
      const why =
        error instanceof errors.JWTExpired ? 'the session has expired: log in again' : 'the token is not valid';
      throw new AuthError(AuthErrorCode.UNAUTHENTICATED, why, { cause: error });
    }
  }
}
