import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import type { AccountRow } from '../../db/schema.js';
import { actorFromAccount, openSession, type SessionFacts } from '../../http/session.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { touchLastLogin } from './account.repository.js';

/** What the client must do after the first factor. */
export interface SignInOutcome {
  readonly next: 'done' | 'second-factor' | 'enroll';
}

/**
 * The one place a first factor (password, OpenID Connect, account activation) turns into a
 * session. Every sign-in path calls it once the account is known to be active and the factor
 * verified, so the rules applied after it (second factor, dormancy clock, signals) hold for all.
 */
export async function signIn(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  account: AccountRow,
  firstFactor: SessionFacts['firstFactor'],
): Promise<SignInOutcome> {
  await openSession(deps, request, reply, account.id, { firstFactor, mfaAt: null });
  await touchLastLogin(deps.db, account.id, deps.clock.now().toISOString());
  await recordSecurityEvent(deps, request, {
    kind: 'login.succeeded',
    actor: actorFromAccount(account),
    detail: { firstFactor },
  });
  return { next: 'done' };
}
