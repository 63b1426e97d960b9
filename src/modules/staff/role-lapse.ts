import type { AppDeps } from '../../deps.js';
import type { AccountRow } from '../../db/schema.js';
import { findAccountById } from '../auth/account.repository.js';
import { recordSecurityEvent, type EventOrigin } from '../events/security-events.js';
import type { RequestContext } from '../request-context.js';
import { removeRole } from './effective-role.js';
import {
  closeReviews,
  findUnreviewedItemPastDeadline,
  listAccountsOfPendingItems,
  listAccountsWithRoleDue,
  listOpenReviewIdsPastDeadline,
  markItemLapsed,
  markPendingItemsLapsed,
} from './role-lapse.repository.js';

/**
 * Roles that stop working on time: a temporary grant past its expiry, or a role left unreviewed
 * at its campaign's deadline. The session check (src/http/session.ts) already refuses such a role
 * on the very next request through accounts.role_expires_at; this module writes it down: the
 * grant is marked expired or lapsed, the role removed, sessions ended, an event recorded. The
 * hourly job runs it for everybody, a login for the one account.
 */

interface Ended {
  accountId: string;
  tenantId: string | null;
  role: string | null;
  how: 'expired' | 'lapsed';
}

/** Ends every role due at `now` (or only this account's); one transaction. */
async function endDueRoles(deps: AppDeps, onlyAccountId?: string): Promise<Ended[]> {
  const now = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const due = await listAccountsWithRoleDue(trx, now, onlyAccountId);
    const ended: Ended[] = [];
    for (const account of due) {
      // Unreviewed at a deadline that has passed: lapsed. Otherwise the grant's own expiry.
      const unreviewed = await findUnreviewedItemPastDeadline(trx, account.id, now);
      const how = unreviewed ? 'lapsed' : 'expired';
      if (unreviewed) await markItemLapsed(trx, unreviewed.id, now);
      await removeRole(trx, account.id, how, now);
      ended.push({ accountId: account.id, tenantId: account.tenant_id, role: account.role, how });
    }
    return ended;
  });
}

/**
 * Closes campaigns past their deadline; items still pending there lapse. Their roles were already
 * due through role_expires_at; should one still hold the reviewed grant, it is removed here too.
 */
async function closeDueReviews(deps: AppDeps): Promise<{ closed: number; ended: Ended[] }> {
  const now = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const ids = await listOpenReviewIdsPastDeadline(trx, now);
    if (ids.length === 0) return { closed: 0, ended: [] };
    const pending = await listAccountsOfPendingItems(trx, ids);
    const ended: Ended[] = [];
    for (const p of pending) {
      if (p.role === null || p.role_grant_id !== p.grant_id) continue;
      await removeRole(trx, p.id, 'lapsed', now);
      ended.push({ accountId: p.id, tenantId: p.tenant_id, role: p.role, how: 'lapsed' });
    }
    await markPendingItemsLapsed(trx, ids, now);
    await closeReviews(trx, ids, now);
    return { closed: ids.length, ended };
  });
}

async function recordEnded(deps: AppDeps, origin: EventOrigin, ended: Ended[]) {
  for (const e of ended) {
    await recordSecurityEvent(deps, origin, {
      kind: e.how === 'lapsed' ? 'review.lapsed' : 'role.expired',
      // The system acts; the event belongs to the account's tenant through its object.
      actor: { kind: 'anonymous' },
      objectType: 'account',
      objectId: e.accountId,
      detail: { role: e.role ?? 'none', tenantId: e.tenantId ?? 'none' },
    });
  }
}

/** The scheduled job: every due role ended, then every campaign past its deadline closed. */
export async function endDueRolesJob(deps: AppDeps): Promise<{ ended: number; closed: number }> {
  const ended = await endDueRoles(deps);
  await recordEnded(deps, null, ended);
  const closing = await closeDueReviews(deps);
  await recordEnded(deps, null, closing.ended);
  return { ended: ended.length + closing.ended.length, closed: closing.closed };
}

/**
 * At login, as for dormancy: a role already due is ended now rather than at the job's next run,
 * so the login fails like a wrong password. Returns the account as it now stands.
 */
export async function endDueRoleAtLogin(
  deps: AppDeps,
  origin: RequestContext,
  account: AccountRow | undefined,
): Promise<AccountRow | undefined> {
  if (!account?.role_expires_at || account.role_expires_at > deps.clock.now().toISOString())
    return account;
  await recordEnded(deps, origin, await endDueRoles(deps, account.id));
  return findAccountById(deps.db, account.id);
}
