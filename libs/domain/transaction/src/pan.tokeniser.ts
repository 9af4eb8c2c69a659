import { createHmac } from 'node:crypto';
import { asClearPan, panHint } from './card-number.rules';
import { PanTokeniserError, PanTokeniserErrorCode } from './pan-tokeniser.errors';

/** What normalisation needs from a tokeniser; tests may pass a stub. */
export interface CardTokeniser {
  tokenise(pan: string): string;
}

export interface PanTokeniserOptions {
  /** Short name of the key, written into every token so tokens from two keys never collide: `[a-z0-9]{1,16}`. */
  readonly keyId: string;
  /** HMAC-SHA256 secret, at least 32 bytes. Copied: later changes to the caller's buffer have no effect. */
  readonly key: Uint8Array;
}

const KEY_ID = /^[a-z0-9]{1,16}$/;
const DIGEST_BYTES = 18;

/**
 * Keyed, deterministic PAN tokens: `tok_<keyId>_<digest>`, the digest being the first 18 bytes of
 * HMAC-SHA256(key, PAN digits) in base64url (24 characters). Deterministic so that velocity features can
 * count a card by its token; keyed so that a token cannot be reversed by hashing every possible PAN.
 * Rotating the key changes every token (the key id makes that visible): per-card history starts afresh.
 */
export class PanTokeniser implements CardTokeniser {
  static readonly MIN_KEY_BYTES = 32;

  readonly keyId: string;
  readonly #key: Buffer;

  constructor(options: PanTokeniserOptions) {
    if (!KEY_ID.test(options.keyId)) {
      throw new PanTokeniserError(
        PanTokeniserErrorCode.INVALID_KEY_ID,
        'PAN tokeniser key id must be 1–16 lower-case letters or digits',
      );
    }
    if (options.key.length < PanTokeniser.MIN_KEY_BYTES) {
      throw new PanTokeniserError(
        PanTokeniserErrorCode.KEY_TOO_SHORT,
        `PAN tokeniser key must be at least ${PanTokeniser.MIN_KEY_BYTES} bytes, got ${options.key.length}`,
      );
    }
    this.keyId = options.keyId;
    this.#key = Buffer.from(options.key);
  }

  /** Builds a tokeniser from a base64 (or base64url) key, as secrets are usually stored. */
  static fromBase64(keyId: string, encodedKey: string): PanTokeniser {
    return new PanTokeniser({ keyId, key: Buffer.from(encodedKey, 'base64') });
  }

  /** Token of a card number given with or without single-space / dash grouping. */
  tokenise(pan: string): string {
    const digits = asClearPan(pan);
    if (digits === null) {
      throw new PanTokeniserError(PanTokeniserErrorCode.INVALID_PAN, `not a valid card number (${panHint(pan)})`);
    }
    const digest = createHmac('sha256', this.#key).update(digits, 'ascii').digest().subarray(0, DIGEST_BYTES);
    return `tok_${this.keyId}_${digest.toString('base64url')}`;
  }
}
