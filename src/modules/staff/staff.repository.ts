import type { DbOrTx } from '../../db/database.js';

/** An active staff account of the tenant holding the role, if any. */
export function findActiveStaff(db: DbOrTx, tenantId: string, accountId: string, role: string) {
  return db
    .selectFrom('accounts')
    .select(['id'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', accountId)
    .where('kind', '=', 'staff')
    .where('role', '=', role)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** Staff of one tenant, for assignment pickers and access reviews. */
export function listStaffOfTenant(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'display_name', 'role', 'team', 'status', 'disabled_reason'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'staff')
    .orderBy('display_name')
    .orderBy('id')
    .execute();
}

/** The approved grant behind the account's role (null for none); throws when no such account. */
export function findRoleGrantIdOf(db: DbOrTx, accountId: string) {
  return db
    .selectFrom('accounts')
    .select('role_grant_id')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
}

/** Sets the account's effective role: role, team, the grant behind it and when it stops. */
export async function setEffectiveRole(
  db: DbOrTx,
  accountId: string,
  role: {
    role: string | null;
    team: string | null;
    grantId: string | null;
    expiresAt: string | null;
  },
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({
      role: role.role,
      team: role.team,
      role_grant_id: role.grantId,
      role_expires_at: role.expiresAt,
    })
    .where('id', '=', accountId)
    .execute();
}

/** Sets when the account's role stops working (null: it does not end). */
export async function setRoleExpiry(
  db: DbOrTx,
  accountId: string,
  expiresAt: string | null,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ role_expires_at: expiresAt })
    .where('id', '=', accountId)
    .execute();
}

/** The account's status; throws when there is no such account. */
export function loadAccountStatus(db: DbOrTx, accountId: string) {
  return db
    .selectFrom('accounts')
    .select('status')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
}

/**
 * A staff account asked for by an admin: disabled, without a role, awaiting a second admin's
 * approval of its request.
 */
export async function insertAccountAwaitingApproval(
  db: DbOrTx,
  a: {
    id: string;
    tenantId: string;
    email: string;
    displayName: string;
    passwordHash: string;
    managerId: string | null;
  },
  at: string,
): Promise<void> {
  await db
    .insertInto('accounts')
    .values({
      id: a.id,
      tenant_id: a.tenantId,
      kind: 'staff',
      role: null,
      team: null,
      email: a.email,
      display_name: a.displayName,
      password_hash: a.passwordHash,
      status: 'disabled',
      created_at: at,
      last_login_at: null,
      disabled_at: at,
      disabled_reason: 'awaiting-approval',
      manager_id: a.managerId,
    })
    .execute();
}

/** Deletes the account if it is still awaiting approval (its creation was refused). */
export async function deleteAccountAwaitingApproval(db: DbOrTx, accountId: string): Promise<void> {
  await db
    .deleteFrom('accounts')
    .where('id', '=', accountId)
    .where('disabled_reason', '=', 'awaiting-approval')
    .execute();
}

/**
 * An approved account now awaits its holder's activation, on condition that it was still disabled
 * awaiting approval; true when this call moved it.
 */
export async function markAwaitingActivation(db: DbOrTx, accountId: string): Promise<boolean> {
  const pending = await db
    .updateTable('accounts')
    .set({ disabled_reason: 'awaiting-activation' })
    .where('id', '=', accountId)
    .where('status', '=', 'disabled')
    .where('disabled_reason', '=', 'awaiting-approval')
    .executeTakeFirst();
  return pending.numUpdatedRows === 1n;
}

/**
 * Activates an account awaiting activation with its first password, its address verified at
 * `at`; true when this call activated it.
 */
export async function activateAwaitingAccount(
  db: DbOrTx,
  accountId: string,
  passwordHash: string,
  at: string,
): Promise<boolean> {
  const done = await db
    .updateTable('accounts')
    .set({
      password_hash: passwordHash,
      status: 'active',
      disabled_at: null,
      disabled_reason: null,
      email_verified_at: at,
    })
    .where('id', '=', accountId)
    .where('status', '=', 'disabled')
    .where('disabled_reason', '=', 'awaiting-activation')
    .executeTakeFirst();
  return done.numUpdatedRows === 1n;
}
