import type { DbOrTx } from '../../db/database.js';

/** Whether any account exists: a platform that has one was initialised (or seeded) already. */
export async function hasAnyAccount(db: DbOrTx): Promise<boolean> {
  const rows = await db.selectFrom('accounts').select('id').limit(1).execute();
  return rows.length > 0;
}

/**
 * The platform's first operator: belongs to no tenant, holds no role, and is disabled until its
 * holder opens the activation link and chooses a password (then enrols a second factor).
 */
export async function insertOperatorAwaitingActivation(
  db: DbOrTx,
  a: { id: string; email: string; displayName: string; passwordHash: string },
  at: string,
): Promise<void> {
  await db
    .insertInto('accounts')
    .values({
      id: a.id,
      tenant_id: null,
      kind: 'operateur',
      role: null,
      team: null,
      email: a.email,
      display_name: a.displayName,
      password_hash: a.passwordHash,
      status: 'disabled',
      created_at: at,
      last_login_at: null,
      disabled_at: at,
      disabled_reason: 'awaiting-activation',
      manager_id: null,
    })
    .execute();
}
