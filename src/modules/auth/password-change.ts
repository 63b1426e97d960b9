import { endSessionsAndTokens } from '../accounts/account-credentials.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import { openSession } from '../../http/session.js';
import type { Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { findAccountById, setPasswordHash } from './account.repository.js';
import { reauthenticate } from './reauthenticate.js';
import { hashPassword } from './password.js';
import { passwordProblem } from './password-policy.js';
import { rememberThisBrowser } from '../../http/device-cookie.js';

/**
 * Changes the signed-in account's password. The current password is asked again (a session
 * left open is not enough), the new one must pass the policy, and then every session of the
 * account ends and a new one opens for this browser: a new session id after the change.
 */
export async function changePassword(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  if (actor.kind === 'anonymous' || actor.kind === 'integration') throw problems.unauthenticated();
  const account = await findAccountById(deps.db, actor.accountId);
  if (!account) throw problems.unauthenticated();
  await reauthenticate(deps, request, actor, account, currentPassword);
  const problem = passwordProblem(newPassword, {
    kind: account.kind,
    email: account.email,
    displayName: account.display_name,
  });
  if (problem) throw problems.validation(problem);
  const hash = await hashPassword(newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, account.id, hash);
    await endSessionsAndTokens(trx, [account.id], deps.clock.now().toISOString());
  });
  // Same proof as the session it replaces (the password was just re-typed, the second factor
  // stands); a new id all the same.
  await openSession(deps, request, reply, account.id, {
    firstFactor: request.session?.firstFactor ?? 'password',
    mfaAt: request.session?.mfaAt ?? null,
  });
  // Every other browser is forgotten with the old password; this one has just proven it.
  await rememberThisBrowser(deps, request, reply, account.id);
  await recordSecurityEvent(deps, request, { kind: 'account.password-changed', actor });
}
