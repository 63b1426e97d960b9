import type { AppDeps } from '../../deps.js';
import type { DbOrTx } from '../../db/database.js';
import { endSessionsAndTokens } from './account-credentials.js';
import {
  cancelPendingAccountRequests,
  disableAccountsFor,
  findDormantStaffIds,
} from './account-status.repository.js';
import { refusePendingGrantsOf } from '../staff/role-grant.repository.js';

export type DisableReason = 'dormant' | 'offboarded';

/**
 * Disables accounts and ends their sessions in the same transaction: the next request of a
 * live session already finds no session (THREATS.md T5).
 */
export async function disableAccounts(
  db: DbOrTx,
  accountIds: readonly string[],
  reason: DisableReason,
  at: string,
): Promise<void> {
  if (accountIds.length === 0) return;
  await disableAccountsFor(db, accountIds, reason, at);
  // Requests for a disabled account have nothing left to decide.
  await refusePendingGrantsOf(db, accountIds, at);
  await cancelPendingAccountRequests(db, accountIds, at);
  await endSessionsAndTokens(db, accountIds, at);
}

/** The instant before which an unused staff account counts as dormant. */
export function dormancyCutoff(deps: Pick<AppDeps, 'clock' | 'config'>): string {
  return new Date(deps.clock.now().getTime() - deps.config.dormantDays * 86_400_000).toISOString();
}

/**
 * True for a staff account not used (nor created, nor re-enabled) since the cutoff: two admins
 * who just brought an account back do not see it disabled again before its holder could sign in.
 */
export function isDormant(
  account: {
    kind: string;
    status: string;
    last_login_at: string | null;
    created_at: string;
    reenabled_at: string | null;
  },
  cutoff: string,
): boolean {
  return (
    account.kind === 'staff' &&
    account.status === 'active' &&
    (account.last_login_at ?? account.created_at) < cutoff &&
    (account.reenabled_at === null || account.reenabled_at < cutoff)
  );
}

/**
 * The scheduled job: disables every staff account unused for CLOISON_DORMANT_DAYS (default 90).
 * Returns the ids it disabled, for the security events.
 */
export async function disableDormantStaff(deps: AppDeps): Promise<string[]> {
  const cutoff = dormancyCutoff(deps);
  const now = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const ids = await findDormantStaffIds(trx, cutoff);
    await disableAccounts(trx, ids, 'dormant', now);
    return ids;
  });
}
