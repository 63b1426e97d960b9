import { createHash } from 'node:crypto';

/**
 * How bearer secrets are stored (sessions, integration tokens, e-mailed links, OpenID Connect
 * state): SHA-256, no stretching — with 256 random bits there is nothing to guess, so a copy of
 * the database lets nobody in, and each request stays cheap.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
