import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken } from '../crypto/token-hash.js';
import type { AppDeps } from '../deps.js';
import { ANONYMOUS, type Actor } from '../policy/actor.js';
import type { CurrentSession } from '../modules/request-context.js';
import { secondFactorState, type SecondFactorState } from '../modules/mfa/second-factor-state.js';
import { actorFromAccount } from '../modules/auth/account-actor.js';
import { resolveBearer } from '../modules/integrations/bearer.js';
import {
  deleteSession,
  findSessionWithAccount,
  touchSession,
} from '../modules/auth/session.repository.js';
import { sentCookiesOf } from './browser-context.js';
import { contextOf } from './request-context.js';
import { inUnitOf } from './unit-of-work.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    session: CurrentSession | null;
    /** Where the session stands with the second factor; `done` for anonymous requests. */
    secondFactor: SecondFactorState;
  }
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
  app.addHook('onRequest', (request) => inUnitOf(request, () => resolveActor(request, deps)));
}

/** The actor behind the request's session cookie or bearer token (anonymous if none holds). */
async function resolveActor(request: FastifyRequest, deps: AppDeps): Promise<void> {
  request.actor = ANONYMOUS;
  request.session = null;
  request.secondFactor = 'done';
  const token = sentCookiesOf(request, deps.config).get('session');
  // Integration tokens resolve on their own, and never together with a session cookie.
  if (request.headers.authorization !== undefined) {
    const integration = await resolveBearer(deps, contextOf(request), request.actor, {
      authorization: request.headers.authorization,
      withSessionCookie: token !== undefined,
    });
    if (integration) request.actor = integration;
    return;
  }
  if (!token || token.length > 128) return;
  const idHash = hashToken(token);
  const row = await findSessionWithAccount(deps.db, idHash);
  if (!row) return;
  const now = deps.clock.now();
  const idleLimit = new Date(row.last_seen_at).getTime() + deps.config.sessionIdleMinutes * 60_000;
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
    firstFactor: row.first_factor as CurrentSession['firstFactor'],
    mfaAt: row.mfa_at,
  };
  request.secondFactor = secondFactorState(row, { mfaAt: row.mfa_at });
  // Touch at most once a minute: sliding idle expiry without a write per request. With a short
  // idle timeout, touch by half of it, or the window would never slide.
  const touchEvery = Math.min(60_000, (deps.config.sessionIdleMinutes * 60_000) / 2);
  if (now.getTime() - new Date(row.last_seen_at).getTime() > touchEvery) {
    await touchSession(deps.db, idHash, now.toISOString());
  }
}
