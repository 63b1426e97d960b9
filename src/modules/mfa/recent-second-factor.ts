import type { AppDeps } from '../../deps.js';
import type { AccountRow } from '../../db/schema.js';
import { problems } from '../../errors.js';
import type { SessionContext } from '../request-context.js';

/** How long a proven second factor vouches for changing credentials. */
export const RECENT_SECOND_FACTOR_MS = 10 * 60_000;

/** True when the session proved a second factor less than 10 minutes ago. */
export function hasRecentSecondFactor(deps: AppDeps, ctx: SessionContext): boolean {
  const at = ctx.session?.mfaAt;
  return !!at && deps.clock.now().getTime() - Date.parse(at) <= RECENT_SECOND_FACTOR_MS;
}

/**
 * Changing credentials (factors, recovery codes, password, address, linked identities) takes the
 * password AND, once the account has a second factor, a recent proof of it: a hijacked session
 * plus a phished password must not be enough to swap the owner's factors for the attacker's.
 * The client proves it again through the second-factor routes (step-up), which accept a session
 * whose proof is older than the window.
 */
export function assertRecentSecondFactor(
  deps: AppDeps,
  ctx: SessionContext,
  account: AccountRow,
): void {
  if (account.mfa_enrolled_at === null) return;
  if (!hasRecentSecondFactor(deps, ctx)) throw problems.recentSecondFactorRequired();
}
