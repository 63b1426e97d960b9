import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import { findAccountById } from '../auth/account.repository.js';
import { findRedeemableToken, redeemToken } from '../auth/one-time-tokens.js';
import { hashPassword } from '../auth/password.js';
import { passwordProblem } from '../auth/password-policy.js';
import { signIn, type SignInOutcome } from '../auth/sign-in.js';
import { recordSecurityEvent } from '../events/security-events.js';
import type { BrowserContext } from '../request-context.js';
import { staffProblems } from './staff-problems.js';
import { activateAwaitingAccount } from './staff.repository.js';

/**
 * The person behind an approved staff account (or the platform's first operator) proves they read the mailbox (the link) and chooses
 * a password under the staff policy; the account becomes active and signs in. A bad password
 * leaves the link usable; an unknown, used or expired link gets one answer.
 */
export async function activateAccount(
  deps: AppDeps,
  ctx: BrowserContext,
  token: string,
  password: string,
): Promise<SignInOutcome> {
  const accountId = await findRedeemableToken(deps, deps.db, token, 'activate');
  const account = accountId ? await findAccountById(deps.db, accountId) : undefined;
  if (
    !account ||
    (account.kind !== 'staff' && account.kind !== 'operateur') ||
    account.status !== 'disabled' ||
    account.disabled_reason !== 'awaiting-activation'
  ) {
    await recordSecurityEvent(deps, ctx, {
      kind: 'activation.failed',
      actor: { kind: 'anonymous' },
    });
    throw staffProblems.invalidToken();
  }
  const weak = passwordProblem(password, {
    kind: account.kind,
    email: account.email,
    displayName: account.display_name,
  });
  if (weak) throw problems.validation(weak);
  const hash = await hashPassword(password);
  const now = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    // Redeemed here, with the account change: a second use of the link, even concurrent, fails.
    if ((await redeemToken(deps, trx, token, 'activate')) !== account.id)
      throw staffProblems.invalidToken();
    if (!(await activateAwaitingAccount(trx, account.id, hash, now)))
      throw staffProblems.invalidToken();
  });
  const active = await findAccountById(deps.db, account.id);
  if (!active) throw staffProblems.invalidToken();
  await recordSecurityEvent(deps, ctx, {
    kind: 'account.activated',
    actor: { kind: 'anonymous' },
    objectType: 'account',
    objectId: account.id,
  });
  return signIn(deps, ctx, active, 'activation');
}
