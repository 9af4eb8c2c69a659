import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiClient } from './api-clients.parser';

type HeaderValue = string | string[] | undefined;

/**
 * The API key a request presents: `Authorization: Bearer <key>`, or `X-Api-Key: <key>` for clients that
 * cannot set Authorization. Null when neither is there (or Authorization uses another scheme).
 */
export function presentedKey(headers: Readonly<Record<string, HeaderValue>>): string | null {
  const authorization = first(headers['authorization']);
  if (authorization !== undefined) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    return match ? match[1]! : null;
  }
  const apiKey = first(headers['x-api-key'])?.trim();
  return apiKey ? apiKey : null;
}

/**
 * The client whose key this is, or null. The presented key is hashed and compared with every client's hash
 * in constant time, and every client is compared (no early exit), so the answer time tells nothing about
 * which client or how many bytes matched.
 */
export function authenticate(clients: readonly ApiClient[], key: string): ApiClient | null {
  const digest = createHash('sha256').update(key, 'utf8').digest();
  let found: ApiClient | null = null;
  for (const client of clients) {
    if (client.keySha256.length === digest.length && timingSafeEqual(client.keySha256, digest) && found === null) {
      found = client;
    }
  }
  return found;
}

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
