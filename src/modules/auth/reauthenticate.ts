import type { AppDeps } from '../../deps.js';
import type { AccountRow } from '../../db/schema.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import type { SessionContext } from '../request-context.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { clearFailures, takeAttempt } from './login-throttle.js';
import { verifyPassword } from './password.js';
import { findAccountById } from './account.repository.js';
import { assertRecentSecondFactor } from '../mfa/recent-second-factor.js';

/**
 * Asks for the password again before a credential changes (password, second factors, address,
 * linked identities): a session left open on a shared screen is not enough. Failures count
 * under the account's own re-authentication count: a stranger's guesses at the sign-in form
never stop its owner from changing a credential, and a stolen session gets no more guesses
than a login would. Once the account has a second factor, it must
 * also have been proven in the last 10 minutes (step-up): every credential change goes through
 * here, so none can forget it.
 */
export async function reauthenticate(
  deps: AppDeps,
  ctx: SessionContext,
  actor: Actor,
  account: AccountRow,
  password: string,
): Promise<void> {
  await takeAttempt(deps, reauthSubject(account.id));
  if (!(await verifyPassword(account.password_hash, password))) {
    await recordSecurityEvent(deps, ctx, {
      kind: 'login.failed',
      actor,
      detail: { reauth: true },
    });
    throw problems.badCredentials();
  }
  await clearFailures(deps, reauthSubject(account.id));
  assertRecentSecondFactor(deps, ctx, account);
}

function reauthSubject(accountId: string): string {
  return `reauth:${accountId}`;
}

/** The same for the signed-in actor: loads their account, checks the password, returns the row. */
export async function reauthenticateActor(
  deps: AppDeps,
  ctx: SessionContext,
  actor: Actor,
  currentPassword: string,
): Promise<AccountRow> {
  if (actor.kind === 'anonymous' || actor.kind === 'integration') throw problems.unauthenticated();
  const account = await findAccountById(deps.db, actor.accountId);
  if (!account) throw problems.unauthenticated();
  await reauthenticate(deps, ctx, actor, account, currentPassword);
  return account;
}
