import type { DbOrTx } from '../../db/database.js';
import type { AccountRow } from '../../db/schema.js';

/** The account with this (normalised) e-mail, if any. */
export function findAccountByEmail(db: DbOrTx, email: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
}

/** The account with this id, if any. */
export function findAccountById(db: DbOrTx, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records the time of a successful login (dormancy is computed from it). */
export async function touchLastLogin(db: DbOrTx, id: string, at: string): Promise<void> {
  await db.updateTable('accounts').set({ last_login_at: at }).where('id', '=', id).execute();
}
