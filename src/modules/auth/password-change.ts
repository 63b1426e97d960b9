import { endSessionsAndTokens } from '../accounts/account-credentials.js';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import type { BrowserContext } from '../request-context.js';
import type { Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { findAccountById, setPasswordHash } from './account.repository.js';
import { reauthenticate } from './reauthenticate.js';
import { hashPassword } from './password.js';
import { passwordProblem } from './password-policy.js';
import { openSession } from './sessions.js';
import { rememberThisBrowser } from './trusted-devices.js';

/**
 * Changes the signed-in account's password. The current password is asked again (a session
 * left open is not enough), the new one must pass the policy, and then every session of the
 * account ends and a new one opens for this browser: a new session id after the change.
 */
export async function changePassword(
  deps: AppDeps,
  ctx: BrowserContext,
  actor: Actor,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  if (actor.kind === 'anonymous' || actor.kind === 'integration') throw problems.unauthenticated();
  const account = await findAccountById(deps.db, actor.accountId);
  if (!account) throw problems.unauthenticated();
  await reauthenticate(deps, ctx, actor, account, currentPassword);
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
  await openSession(deps, ctx, account.id, {
    firstFactor: ctx.session?.firstFactor ?? 'password',
    mfaAt: ctx.session?.mfaAt ?? null,
  });
  // Every other browser is forgotten with the old password; this one has just proven it.
  await rememberThisBrowser(deps, ctx.cookies, account.id);
  await recordSecurityEvent(deps, ctx, { kind: 'account.password-changed', actor });
}
