import type { RequestContext } from '../request-context.js';
import type { AppDeps } from '../../deps.js';
import { problems, type Problem } from '../../errors.js';
import { ANONYMOUS } from '../../policy/actor.js';
import { redeemToken, type TokenPurpose } from '../auth/one-time-tokens.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { markEmailVerified } from './self-service.repository.js';

/** Records a refused token (a guessing run shows up as a burst of these) and returns the answer. */
export async function rejectToken(
  deps: AppDeps,
  origin: RequestContext,
  purpose: TokenPurpose,
): Promise<Problem> {
  await recordSecurityEvent(deps, origin, {
    kind: 'token.rejected',
    actor: ANONYMOUS,
    detail: { purpose },
  });
  return problems.invalidToken();
}

/**
 * Opens the link mailed at sign-up: the token is spent and the account may log in from now on.
 * No session is opened here: whoever holds the link still has to know the password.
 */
export async function verifyEmail(
  deps: AppDeps,
  origin: RequestContext,
  token: string,
): Promise<void> {
  const at = deps.clock.now().toISOString();
  const accountId = await deps.db.transaction().execute(async (trx) => {
    const id = await redeemToken(deps, trx, token, 'verify-email');
    return id !== null && (await markEmailVerified(trx, id, at)) ? id : null;
  });
  if (accountId === null) throw await rejectToken(deps, origin, 'verify-email');
  await recordSecurityEvent(deps, origin, {
    kind: 'account.email-verified',
    actor: ANONYMOUS,
    objectType: 'account',
    objectId: accountId,
  });
}
