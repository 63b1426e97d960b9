import type { Insertable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { PasskeyTable } from '../../db/schema.js';

/** Every passkey of the account, public keys included (for a WebAuthn ceremony). */
export function listPasskeysOf(db: DbOrTx, accountId: string) {
  return db.selectFrom('passkeys').selectAll().where('account_id', '=', accountId).execute();
}

/** The account's passkeys as its owner sees them, oldest first. */
export function listPasskeySummariesOf(db: DbOrTx, accountId: string) {
  return db
    .selectFrom('passkeys')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
}

/** How many passkeys the account holds. */
export async function countPasskeysOf(db: DbOrTx, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('passkeys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The passkey with this credential id when it is the account's, if any. */
export function findPasskeyOfAccount(db: DbOrTx, accountId: string, passkeyId: string) {
  return db
    .selectFrom('passkeys')
    .selectAll()
    .where('id', '=', passkeyId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

/** The id and owner of the passkey when it is the account's, if any (to authorize a removal). */
export function findPasskeyOwnership(db: DbOrTx, accountId: string, passkeyId: string) {
  return db
    .selectFrom('passkeys')
    .select(['id', 'account_id'])
    .where('id', '=', passkeyId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

/** True when a passkey with this credential id is registered, to any account. */
export async function isPasskeyRegistered(db: DbOrTx, passkeyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('passkeys')
    .select('id')
    .where('id', '=', passkeyId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Records a newly registered passkey. */
export async function insertPasskey(db: DbOrTx, row: Insertable<PasskeyTable>): Promise<void> {
  await db.insertInto('passkeys').values(row).execute();
}

/**
 * Moves the passkey's signature counter from the value read to the new one: conditional on the
 * value read, so of two racing uses of one assertion only one passes. True when this call did.
 */
export async function advancePasskeyCounter(
  db: DbOrTx,
  passkeyId: string,
  counter: { from: number; to: number },
  at: string,
): Promise<boolean> {
  const updated = await db
    .updateTable('passkeys')
    .set({ sign_count: counter.to, last_used_at: at })
    .where('id', '=', passkeyId)
    .where('sign_count', '=', counter.from)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Deletes one passkey. */
export async function deletePasskey(db: DbOrTx, passkeyId: string): Promise<void> {
  await db.deleteFrom('passkeys').where('id', '=', passkeyId).execute();
}

/** Deletes every passkey of the account. */
export async function deletePasskeysOf(db: DbOrTx, accountId: string): Promise<void> {
  await db.deleteFrom('passkeys').where('account_id', '=', accountId).execute();
}

/** Stores a WebAuthn challenge on the session, replacing any other ceremony's. */
export async function storeSessionChallenge(
  db: DbOrTx,
  sessionIdHash: string,
  challenge: { value: string; purpose: string; expiresAt: string },
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({
      challenge: challenge.value,
      challenge_purpose: challenge.purpose,
      challenge_expires_at: challenge.expiresAt,
    })
    .where('id_hash', '=', sessionIdHash)
    .execute();
}

/** The session's pending challenge for this ceremony and its expiry, if any. */
export function findSessionChallenge(db: DbOrTx, sessionIdHash: string, purpose: string) {
  return db
    .selectFrom('sessions')
    .select(['challenge', 'challenge_expires_at'])
    .where('id_hash', '=', sessionIdHash)
    .where('challenge_purpose', '=', purpose)
    .executeTakeFirst();
}

/**
 * Clears the session's challenge, on condition that it is still the one read: of two requests
 * racing for one challenge, only one clears it. True when this call did.
 */
export async function clearSessionChallenge(
  db: DbOrTx,
  sessionIdHash: string,
  challenge: string,
): Promise<boolean> {
  const taken = await db
    .updateTable('sessions')
    .set({ challenge: null, challenge_purpose: null, challenge_expires_at: null })
    .where('id_hash', '=', sessionIdHash)
    .where('challenge', '=', challenge)
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}
