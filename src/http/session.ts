import { createHash, randomBytes } from 'node:crypto';
import { hashToken } from '../crypto/token-hash.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { ANONYMOUS, STAFF_ROLES, type Actor, type StaffRole } from '../policy/actor.js';
import type { AccountRow } from '../db/schema.js';
import { secondFactorState, type SecondFactorState } from '../modules/mfa/second-factor-state.js';
import { resolveBearer } from '../modules/integrations/bearer.js';
import {
  deleteSession,
  findSessionWithAccount,
  insertSession,
  touchSession,
} from '../modules/auth/session.repository.js';

/**
 * `__Host-` binds the cookie to this exact origin (Secure, Path=/, no Domain): no sibling
 * subdomain can set or shadow it. Only a deployment that opts out of Secure (plain HTTP on a
 * LAN address) falls back to the bare name, since browsers refuse `__Host-` without Secure.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-cloison_session' : 'cloison_session';
}

/** The request's live session, as the second-factor steps and re-authentication need it. */
export interface CurrentSession {
  readonly idHash: string;
  readonly firstFactor: SessionFacts['firstFactor'];
  readonly mfaAt: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    session: CurrentSession | null;
    /** Where the session stands with the second factor; `done` for anonymous requests. */
    secondFactor: SecondFactorState;
  }
}

/** Builds the actor from an account row; an inconsistent row yields no actor at all. */
export function actorFromAccount(account: AccountRow): Actor {
  if (account.status !== 'active') return ANONYMOUS;
  if (account.kind === 'operateur') return { kind: 'operateur', accountId: account.id };
  if (account.tenant_id === null) return ANONYMOUS;
  if (account.kind === 'usager') {
    return { kind: 'usager', accountId: account.id, tenantId: account.tenant_id };
  }
  if (!(STAFF_ROLES as readonly string[]).includes(account.role ?? '')) return ANONYMOUS;
  return {
    kind: 'staff',
    accountId: account.id,
    tenantId: account.tenant_id,
    role: account.role as StaffRole,
    team: account.team,
  };
}

/** How a session came to be, as stored with it. */
export interface SessionFacts {
  readonly firstFactor: 'password' | 'oidc' | 'activation';
  /** When a second factor was verified; null when none was (yet). */
  readonly mfaAt: string | null;
}

/** SHA-256 of the user agent and address: "another device" for the concurrent-session signal. */
export function deviceHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.headers['user-agent'] ?? ''}|${request.ip}`)
    .digest('hex');
}

/**
 * Creates a server-side session and sets its cookie: a fresh 256-bit id every time (login,
 * second factor, password change), so an id planted or seen before a privilege change is
 * worth nothing after it. The request's previous session, if any, is deleted.
 */
export async function openSession(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  accountId: string,
  facts: SessionFacts,
): Promise<void> {
  const previous = request.cookies[sessionCookieName(deps.config.cookieSecure)];
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
    device_hash: deviceHash(request),
  });
  reply.setCookie(sessionCookieName(deps.config.cookieSecure), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: deps.config.cookieSecure,
    maxAge: deps.config.sessionAbsoluteHours * 3600,
  });
}

/** Deletes the request's session, if any, and clears the cookie. */
export async function closeSession(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  const token = request.cookies[sessionCookieName(deps.config.cookieSecure)];
  if (token) await deleteSession(deps.db, hashToken(token));
  reply.clearCookie(sessionCookieName(deps.config.cookieSecure), {
    path: '/',
    secure: deps.config.cookieSecure,
  });
}

/**
 * Resolves the actor of every request from its session cookie. The account is re-read on each
 * request, so disabling it or changing its role takes effect on the very next request.
 */
export function installSessions(app: FastifyInstance, deps: AppDeps): void {
  // Fastify 5 refuses reference-typed defaults; the onRequest hook below always sets it.
  app.decorateRequest('actor', null as never);
  app.decorateRequest('session', null);
  app.decorateRequest('secondFactor', 'done');
  app.addHook('onRequest', async (request) => {
    request.actor = ANONYMOUS;
    request.session = null;
    request.secondFactor = 'done';
    const token = request.cookies[sessionCookieName(deps.config.cookieSecure)];
    // Integration tokens resolve on their own, and never together with a session cookie.
    if (request.headers.authorization !== undefined)
      return resolveBearer(deps, request, token !== undefined);
    if (!token || token.length > 128) return;
    const idHash = hashToken(token);
    const row = await findSessionWithAccount(deps.db, idHash);
    if (!row) return;
    const now = deps.clock.now();
    const idleLimit =
      new Date(row.last_seen_at).getTime() + deps.config.sessionIdleMinutes * 60_000;
    if (
      now.toISOString() >= row.expires_at ||
      now.getTime() > idleLimit ||
      row.status !== 'active' ||
      // A temporary grant past its expiry, or a role unreviewed at its campaign's deadline, stops
      // working now, whether or not the job has written it down yet (staff/role-lapse.ts).
      (row.role_expires_at !== null && now.toISOString() >= row.role_expires_at)
    ) {
      await deleteSession(deps.db, idHash);
      return;
    }
    request.actor = actorFromAccount(row);
    request.session = {
      idHash,
      firstFactor: row.first_factor as SessionFacts['firstFactor'],
      mfaAt: row.mfa_at,
    };
    request.secondFactor = secondFactorState(row, { mfaAt: row.mfa_at });
    // Touch at most once a minute: sliding idle expiry without a write per request. With a short
    // idle timeout, touch by half of it, or the window would never slide.
    const touchEvery = Math.min(60_000, (deps.config.sessionIdleMinutes * 60_000) / 2);
    if (now.getTime() - new Date(row.last_seen_at).getTime() > touchEvery) {
      await touchSession(deps.db, idHash, now.toISOString());
    }
  });
}
