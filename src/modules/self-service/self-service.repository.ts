import type { DbOrTx } from '../../db/database.js';

/** The tenant named by its code (the département number, "44") or its id. */
export function findTenantByCodeOrId(db: DbOrTx, codeOrId: string) {
  return db
    .selectFrom('tenants')
    .select(['id', 'code'])
    .where((eb) => eb.or([eb('code', '=', codeOrId), eb('id', '=', codeOrId)]))
    .executeTakeFirst();
}

/**
 * A usager account: its address not verified yet (a sign-up), or verified already by whoever
 * vouches for it (FranceConnect's identity provider).
 */
export async function insertUsagerAccount(
  db: DbOrTx,
  a: {
    id: string;
    tenantId: string;
    email: string;
    displayName: string;
    passwordHash: string;
    emailVerifiedAt: string | null;
  },
  at: string,
): Promise<void> {
  await db
    .insertInto('accounts')
    .values({
      id: a.id,
      tenant_id: a.tenantId,
      kind: 'usager',
      role: null,
      team: null,
      email: a.email,
      display_name: a.displayName,
      password_hash: a.passwordHash,
      status: 'active',
      created_at: at,
      last_login_at: null,
      email_verified_at: a.emailVerifiedAt,
    })
    .execute();
}

/** Records that an active account's address is verified; false when there is no such account. */
export async function markEmailVerified(db: DbOrTx, accountId: string, at: string) {
  const result = await db
    .updateTable('accounts')
    .set((eb) => ({ email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(at)) }))
    .where('id', '=', accountId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Replaces an active account's password hash; false when there is no such account. */
export async function replacePasswordHash(db: DbOrTx, accountId: string, hash: string) {
  const result = await db
    .updateTable('accounts')
    .set({ password_hash: hash })
    .where('id', '=', accountId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
