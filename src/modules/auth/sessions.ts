import { createHash, randomBytes } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { hashToken } from '../../crypto/token-hash.js';
import type { BrowserContext, CurrentSession } from '../request-context.js';
import { deleteSession, insertSession } from './session.repository.js';

/** How a session came to be, as stored with it. */
export type SessionFacts = Pick<CurrentSession, 'firstFactor' | 'mfaAt'>;

/** SHA-256 of the user agent and address: "another device" for the concurrent-session signal. */
export function deviceHash(ctx: Pick<BrowserContext, 'userAgent' | 'ip'>): string {
  return createHash('sha256').update(`${ctx.userAgent}|${ctx.ip}`).digest('hex');
}

/**
 * Creates a server-side session and sets its cookie: a fresh 256-bit id every time (login,
 * second factor, password change), so an id planted or seen before a privilege change is
 * worth nothing after it. The request's previous session, if any, is deleted.
 */
export async function openSession(
  deps: AppDeps,
  ctx: BrowserContext,
  accountId: string,
  facts: SessionFacts,
): Promise<void> {
  const previous = ctx.cookies.get('session');
  if (previous) await deleteSession(deps.db, hashToken(previous));
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const expires = new Date(now.getTime() + deps.config.sessionAbsoluteHours * 3600_000);
  await insertSession(deps.db, {
    id_hash: hashToken(token),
    account_id: accountId,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expires.toISOString(),
    first_factor: facts.firstFactor,
    mfa_at: facts.mfaAt,
    device_hash: deviceHash(ctx),
  });
  ctx.cookies.set('session', token, deps.config.sessionAbsoluteHours * 3600);
}

/** Deletes the request's session, if any, and clears the cookie. */
export async function closeSession(deps: AppDeps, ctx: BrowserContext): Promise<void> {
  const token = ctx.cookies.get('session');
  if (token) await deleteSession(deps.db, hashToken(token));
  ctx.cookies.clear('session');
}
