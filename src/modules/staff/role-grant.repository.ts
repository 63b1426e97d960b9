import type { DbOrTx } from '../../db/database.js';
import type { RoleGrantStatus } from '../../db/schema.js';

/** A staff account of the tenant (never a usager's or another tenant's), if any. */
export function findStaffAccount(db: DbOrTx, tenantId: string, accountId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'tenant_id', 'status', 'role', 'role_grant_id'])
    .where('id', '=', accountId)
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'staff')
    .executeTakeFirst();
}

/** A role grant of the tenant with the account it is for, if any. */
export function findGrant(db: DbOrTx, tenantId: string, grantId: string) {
  return db
    .selectFrom('role_grants')
    .leftJoin('accounts', 'accounts.id', 'role_grants.account_id')
    .select([
      'role_grants.id',
      'role_grants.tenant_id',
      'role_grants.account_id',
      'role_grants.purpose',
      'role_grants.role',
      'role_grants.team',
      'role_grants.expires_at',
      'role_grants.status',
      'role_grants.requested_by',
      'accounts.email',
      'accounts.display_name',
      'accounts.role as current_role',
    ])
    .where('role_grants.id', '=', grantId)
    .where('role_grants.tenant_id', '=', tenantId)
    .executeTakeFirst();
}

/** Requests of the tenant waiting for a second admin, oldest first. */
export function listPendingGrants(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('role_grants')
    .innerJoin('accounts', 'accounts.id', 'role_grants.account_id')
    .select([
      'role_grants.id',
      'role_grants.purpose',
      'role_grants.account_id',
      'role_grants.role',
      'role_grants.team',
      'role_grants.expires_at',
      'role_grants.requested_by',
      'role_grants.requested_at',
      'accounts.email',
      'accounts.display_name',
      'accounts.role as current_role',
    ])
    .where('role_grants.tenant_id', '=', tenantId)
    .where('role_grants.status', '=', 'pending')
    .orderBy('role_grants.requested_at')
    .orderBy('role_grants.id')
    .execute();
}

/** A request waiting for a second admin: creation of an account, or a change of its role. */
export async function insertPendingGrant(
  db: DbOrTx,
  grant: {
    id: string;
    tenantId: string;
    accountId: string;
    purpose: 'create' | 'change';
    role: string;
    team: string | null;
    expiresAt: string | null;
    requestedBy: string;
    requestedAt: string;
  },
): Promise<void> {
  await db
    .insertInto('role_grants')
    .values({
      id: grant.id,
      tenant_id: grant.tenantId,
      account_id: grant.accountId,
      purpose: grant.purpose,
      role: grant.role,
      team: grant.team,
      expires_at: grant.expiresAt,
      status: 'pending',
      requested_by: grant.requestedBy,
      requested_at: grant.requestedAt,
    })
    .execute();
}

/** True when the account already has a request waiting for a decision. */
export async function hasPendingGrant(db: DbOrTx, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('role_grants')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records the decision on a pending grant. Conditional on it still being pending, so two admins
 * deciding at once cannot both win; returns whether this call decided it.
 */
export async function decideGrant(
  db: DbOrTx,
  grantId: string,
  decision: { status: 'approved' | 'refused'; by: string; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('role_grants')
    .set({ status: decision.status, decided_by: decision.by, decided_at: decision.at })
    .where('id', '=', grantId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Refuses every request still pending for the accounts: they were just disabled. */
export async function refusePendingGrantsOf(
  db: DbOrTx,
  accountIds: readonly string[],
  at: string,
): Promise<void> {
  await db
    .updateTable('role_grants')
    .set({ status: 'refused', decided_at: at, reason: 'account-disabled' })
    .where('account_id', 'in', [...accountIds])
    .where('status', '=', 'pending')
    .execute();
}

/** Ends an approved grant (superseded, revoked, expired, lapsed). */
export async function endGrant(
  db: DbOrTx,
  grantId: string,
  status: Exclude<RoleGrantStatus, 'pending' | 'approved' | 'refused'>,
  at: string,
  reason: string,
): Promise<void> {
  await db
    .updateTable('role_grants')
    .set({ status, ended_at: at, reason })
    .where('id', '=', grantId)
    .where('status', '=', 'approved')
    .execute();
}

/** When the grant stops working (null: it does not end), if there is such a grant. */
export function findGrantExpiry(db: DbOrTx, grantId: string) {
  return db
    .selectFrom('role_grants')
    .select('expires_at')
    .where('id', '=', grantId)
    .executeTakeFirst();
}

/** An active responsable of the tenant, if this id is one. */
export function findActiveResponsable(db: DbOrTx, tenantId: string, accountId: string) {
  return db
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', accountId)
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'staff')
    .where('role', '=', 'responsable')
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** The default manager of a new agent: a responsable of the same team, else the longest-serving. */
export async function defaultManager(
  db: DbOrTx,
  tenantId: string,
  team: string | null,
): Promise<string | null> {
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'team'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'staff')
    .where('role', '=', 'responsable')
    .where('status', '=', 'active')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return (rows.find((r) => team !== null && r.team === team) ?? rows[0])?.id ?? null;
}

/**
 * The grant of a département's first two admins, approved when the département is created (or of
 * an admin the operator restores when fewer than two are left): no second admin exists to decide it, so it says who created the département (the operator's account,
 * or null for the command line) and `reason` says how it was decided.
 */
export async function insertFoundingGrant(
  db: DbOrTx,
  grant: {
    id: string;
    tenantId: string;
    accountId: string;
    requestedBy: string | null;
    at: string;
    /** tenant-creation, or admin-recovery when a département had fewer than two admins left. */
    reason: 'tenant-creation' | 'admin-recovery';
  },
): Promise<void> {
  await db
    .insertInto('role_grants')
    .values({
      id: grant.id,
      tenant_id: grant.tenantId,
      account_id: grant.accountId,
      purpose: 'create',
      role: 'admin',
      team: null,
      expires_at: null,
      status: 'approved',
      requested_by: grant.requestedBy,
      requested_at: grant.at,
      decided_by: null,
      decided_at: grant.at,
      reason: grant.reason,
    })
    .execute();
}
