import { CodedError } from '@argus/contracts';

export enum AuthErrorCode {
  /** No credentials, or a token that is malformed, forged or expired. */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** The stored password hash is not one this library wrote. */
  INVALID_HASH = 'INVALID_HASH',
  /** The signing secret is too short to be safe. */
  WEAK_SECRET = 'WEAK_SECRET',
}

export class AuthError extends CodedError<AuthErrorCode> {
  override readonly name = 'AuthError';
}
