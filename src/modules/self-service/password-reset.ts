import type { RequestContext } from '../request-context.js';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import { ANONYMOUS } from '../../policy/actor.js';
import { endSessionsAndTokens } from '../accounts/account-credentials.js';
import { dormancyCutoff, isDormant } from '../accounts/account-lifecycle.js';
import { findAccountByEmail, findAccountById } from '../auth/account.repository.js';
import { clearFailures } from '../auth/login-throttle.js';
import { findRedeemableToken, issueToken, redeemToken } from '../auth/one-time-tokens.js';
import { hashPassword } from '../auth/password.js';
import { passwordProblem } from '../auth/password-policy.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { passwordChangedMail, queueAccountMail, resetMail } from './account-mails.js';
import { normaliseEmail } from './email-address.js';
import { rejectToken } from './email-verification.js';
import { takeMailAllowance } from './mail-throttle.js';
import { markEmailVerified, replacePasswordHash } from './self-service.repository.js';

/**
 * Someone asks for a reset link. Known, unknown, disabled and throttled addresses all get the
 * same answer after the same work (a lookup, one transaction counting the request); only an
 * active account under its hourly mail allowance is mailed. Staff accounts may reset too: the
 * new password is a first factor only, their second factor is still asked at login.
 */
export async function requestPasswordReset(
  deps: AppDeps,
  origin: RequestContext,
  typedEmail: string,
): Promise<{ next: 'check-your-email' }> {
  const email = normaliseEmail(typedEmail);
  if (!deps.mailer.available) {
    await findAccountByEmail(deps.db, email);
    throw problems.mailUnavailable();
  }
  const now = deps.clock.now();
  const cutoff = dormancyCutoff(deps);
  const site = deps.publicOrigin();
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const account = await findAccountByEmail(trx, email);
    const allowed = await takeMailAllowance(trx, email, now);
    // A dormant account is one the job has not disabled yet: no more a reset than a login.
    const usable = account && account.status === 'active' && !isDormant(account, cutoff);
    const token =
      usable && allowed ? await issueToken(deps, trx, account.id, 'reset-password') : null;
    if (token && account)
      await queueAccountMail(trx, deps, account, 'reset-password', resetMail(site, token));
    return { accountId: account?.id ?? null, token };
  });
  await recordSecurityEvent(deps, origin, {
    kind: 'password-reset.requested',
    actor: ANONYMOUS,
    // The account when there is one, never the address typed: events must not collect them.
    detail:
      outcome.accountId === null
        ? { unknownAccount: true }
        : { accountId: outcome.accountId, mailed: outcome.token !== null },
  });
  return { next: 'check-your-email' };
}

/**
 * Sets a new password with a reset token. The token is checked and the policy applied before
 * anything is spent (a refused password leaves the link usable); then, in one transaction, the
 * token is spent, the password replaced and every session and token of the account ended. No
 * session is opened: the user logs in, with their second factor if they have one.
 */
export async function confirmPasswordReset(
  deps: AppDeps,
  origin: RequestContext,
  token: string,
  newPassword: string,
): Promise<void> {
  const accountId = await findRedeemableToken(deps, deps.db, token, 'reset-password');
  const account = accountId === null ? undefined : await findAccountById(deps.db, accountId);
  if (!account || account.status !== 'active') {
    throw await rejectToken(deps, origin, 'reset-password');
  }
  const reason = passwordProblem(newPassword, {
    kind: account.kind,
    email: account.email,
    displayName: account.display_name,
  });
  if (reason) throw problems.validation(reason);
  const hash = await hashPassword(newPassword);
  const at = deps.clock.now().toISOString();
  const done = await deps.db.transaction().execute(async (trx) => {
    // Spent meanwhile by a concurrent request, or the account disabled: nothing changes.
    if ((await redeemToken(deps, trx, token, 'reset-password')) !== account.id) return false;
    if (!(await replacePasswordHash(trx, account.id, hash))) return false;
    // The link reached the mailbox: for a usager that is what verification proves. (An unverified
    // account squatted by someone else is taken back this way, with a password they do not know.)
    if (account.kind === 'usager') await markEmailVerified(trx, account.id, at);
    await endSessionsAndTokens(trx, [account.id], at);
    await queueAccountMail(trx, deps, account, 'password-changed', passwordChangedMail());
    return true;
  });
  if (!done) throw await rejectToken(deps, origin, 'reset-password');
  // The lock-out of failed logins is over: the owner proved themself another way.
  await clearFailures(deps, account.email);
  await recordSecurityEvent(deps, origin, {
    kind: 'password-reset.completed',
    actor: ANONYMOUS,
    objectType: 'account',
    objectId: account.id,
  });
}
