import { compiledOnce, firstRow } from '../../db/compiled-once.js';
import type { DbOrTx } from '../../db/database.js';
import type { AccountRow } from '../../db/schema.js';

/** The account with this (normalised) e-mail, if any. */
export function findAccountByEmail(db: DbOrTx, email: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
}

const accountById = compiledOnce((db, id: string) =>
  db.selectFrom('accounts').selectAll().where('id', '=', id),
);

/** The account with this id, if any. */
export function findAccountById(db: DbOrTx, id: string): Promise<AccountRow | undefined> {
  return firstRow<AccountRow>(db, accountById(db, id));
}

/** Records the time of a successful login (dormancy is computed from it). */
export async function touchLastLogin(db: DbOrTx, id: string, at: string): Promise<void> {
  await db.updateTable('accounts').set({ last_login_at: at }).where('id', '=', id).execute();
}

/** The id of the account with this (normalised) e-mail, if any. */
export function findAccountIdByEmail(db: DbOrTx, email: string) {
  return db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirst();
}

/** Replaces the account's password hash, whatever its status. */
export async function setPasswordHash(db: DbOrTx, id: string, hash: string): Promise<void> {
  await db.updateTable('accounts').set({ password_hash: hash }).where('id', '=', id).execute();
}

/** Records that the account holds a second factor, from `at`, unless it already did. */
export async function markSecondFactorEnrolled(db: DbOrTx, id: string, at: string): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ mfa_enrolled_at: at })
    .where('id', '=', id)
    .where('mfa_enrolled_at', 'is', null)
    .execute();
}

/** Records that the account holds no second factor any more. */
export async function clearSecondFactorEnrolment(db: DbOrTx, id: string): Promise<void> {
  await db.updateTable('accounts').set({ mfa_enrolled_at: null }).where('id', '=', id).execute();
}
