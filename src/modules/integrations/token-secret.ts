import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { hashToken } from '../../crypto/token-hash.js';

/**
 * `clo_<token id>_<secret>`: the prefix lets secret scanners and people recognise a leaked
 * token; the id lets the server find the row without searching by secret; the secret is 256
 * random bits (43 base64url characters).
 */
const TOKEN_FORMAT =
  /^clo_([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

/** The longest Authorization value worth parsing; anything longer is not a token of ours. */
const MAX_TOKEN_LENGTH = 100;

/** A new token: its id, the token to show once, and the hash to store. */
export function mintIntegrationToken(): { id: string; token: string; hash: string } {
  const id = randomUUID();
  const token = `clo_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, token, hash: hashToken(token) };
}

/** The token id, when the string has the shape of a token; null otherwise. */
export function tokenIdOf(token: string): string | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  return TOKEN_FORMAT.exec(token)?.[1] ?? null;
}

/** Compares a presented token with a stored hash in constant time. */
export function matchesHash(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
