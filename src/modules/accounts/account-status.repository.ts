import type { DbOrTx } from '../../db/database.js';
import type { SupportActionTable } from '../../db/schema.js';
import type { DisableReason } from './account-lifecycle.js';

/** An account of the tenant (staff or usager, never another tenant's), with what its rules read. */
export function findAccountOfTenant(db: DbOrTx, tenantId: string, accountId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'tenant_id', 'kind', 'role', 'status', 'disabled_reason'])
    .where('id', '=', accountId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

/**
 * The tenant's admins who can act now: active, holding the admin role, and that role not past
 * its end (the session check refuses such a role already, whether or not the job has run).
 */
export async function listActiveAdminIds(
  db: DbOrTx,
  tenantId: string,
  now: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('accounts')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'staff')
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('role_expires_at', 'is', null), eb('role_expires_at', '>', now)]))
    .execute();
  return rows.map((r) => r.id);
}

/** True when the account already has a disable or re-enable request waiting. */
export async function hasPendingAccountRequest(db: DbOrTx, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('account_status_requests')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row !== undefined;
}

/** A request waiting for a second admin. */
export async function insertAccountRequest(
  db: DbOrTx,
  request: {
    id: string;
    tenantId: string;
    accountId: string;
    purpose: 'disable' | 'enable';
    requestedBy: string;
    requestedAt: string;
  },
): Promise<void> {
  await db
    .insertInto('account_status_requests')
    .values({
      id: request.id,
      tenant_id: request.tenantId,
      account_id: request.accountId,
      purpose: request.purpose,
      status: 'pending',
      requested_by: request.requestedBy,
      requested_at: request.requestedAt,
    })
    .execute();
}

/** A request of the tenant with the account it is about, if any. */
export function findAccountRequest(db: DbOrTx, tenantId: string, requestId: string) {
  return db
    .selectFrom('account_status_requests as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .select([
      'r.id',
      'r.tenant_id',
      'r.account_id',
      'r.purpose',
      'r.status',
      'r.requested_by',
      'a.role as current_role',
    ])
    .where('r.id', '=', requestId)
    .where('r.tenant_id', '=', tenantId)
    .executeTakeFirst();
}

/** The tenant's requests waiting for a second admin, oldest first. */
export function listPendingAccountRequests(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('account_status_requests as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .select([
      'r.id',
      'r.purpose',
      'r.account_id',
      'r.requested_by',
      'r.requested_at',
      'a.email',
      'a.display_name',
      'a.role as current_role',
      'a.team',
    ])
    .where('r.tenant_id', '=', tenantId)
    .where('r.status', '=', 'pending')
    .orderBy('r.requested_at')
    .orderBy('r.id')
    .execute();
}

/**
 * Records the decision, on condition that it is still pending: two admins deciding at once
 * cannot both win. Returns whether this call decided it.
 */
export async function decideAccountRequestRow(
  db: DbOrTx,
  requestId: string,
  decision: { status: 'approved' | 'refused'; by: string; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('account_status_requests')
    .set({ status: decision.status, decided_by: decision.by, decided_at: decision.at })
    .where('id', '=', requestId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Disables the accounts for the reason given, those active and those still awaiting approval or
 * activation alike (the caller skips an empty list).
 */
export async function disableAccountsFor(
  db: DbOrTx,
  accountIds: readonly string[],
  reason: DisableReason,
  at: string,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ status: 'disabled', disabled_at: at, disabled_reason: reason })
    .where('id', 'in', [...accountIds])
    // An account still awaiting approval or activation is offboarded too: it must never start.
    .where((eb) =>
      eb.or([
        eb('status', '=', 'active'),
        eb('disabled_reason', 'in', ['awaiting-approval', 'awaiting-activation']),
      ]),
    )
    .execute();
}

/** Requests for accounts that were just disabled have nothing left to decide. */
export async function cancelPendingAccountRequests(
  db: DbOrTx,
  accountIds: readonly string[],
  at: string,
): Promise<void> {
  if (accountIds.length === 0) return;
  await db
    .updateTable('account_status_requests')
    .set({ status: 'cancelled', decided_at: at, reason: 'account-disabled' })
    .where('account_id', 'in', [...accountIds])
    .where('status', '=', 'pending')
    .execute();
}

/** The account's status as it stands inside the caller's transaction. */
export function findAccountStatus(db: DbOrTx, accountId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'kind', 'role', 'status', 'disabled_reason'])
    .where('id', '=', accountId)
    .executeTakeFirst();
}

/**
 * Active again, the disabled fields cleared and the dormancy clock restarted, on condition that
 * it is still disabled for the reason the caller checked. Sessions and tokens ended at disabling
 * stay ended. Returns whether this call re-enabled it.
 */
export async function reenableAccount(
  db: DbOrTx,
  accountId: string,
  disabledReason: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('accounts')
    .set({ status: 'active', disabled_at: null, disabled_reason: null, reenabled_at: at })
    .where('id', '=', accountId)
    .where('status', '=', 'disabled')
    .where('disabled_reason', '=', disabledReason)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Active staff accounts neither used, created nor re-enabled since the cutoff. A re-enabled
 * account's clock starts at its re-enabling, without making up a login it never had.
 */
export async function findDormantStaffIds(db: DbOrTx, cutoff: string): Promise<string[]> {
  const rows = await db
    .selectFrom('accounts')
    .select('id')
    .where('kind', '=', 'staff')
    .where('status', '=', 'active')
    .where((eb) => eb(eb.fn.coalesce('last_login_at', 'created_at'), '<', cutoff))
    .where((eb) => eb.or([eb('reenabled_at', 'is', null), eb('reenabled_at', '<', cutoff)]))
    .execute();
  return rows.map((r) => r.id);
}

/** Records a support action (its reason already sealed). */
export async function insertSupportAction(db: DbOrTx, row: SupportActionTable): Promise<void> {
  await db.insertInto('support_actions').values(row).execute();
}
