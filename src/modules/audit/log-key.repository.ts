import type { Selectable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { AuditLogKeyTable } from '../../db/schema.js';

export type LogKeyRow = Selectable<AuditLogKeyTable>;

/** The key that signs a chain's checkpoints, if made yet. */
export function findLogKey(db: DbOrTx, chain: string): Promise<LogKeyRow | undefined> {
  return db.selectFrom('audit_log_keys').selectAll().where('chain', '=', chain).executeTakeFirst();
}

/**
 * Records a chain's key unless it has one already (another process made it first), and
 * returns the one stored: the chain is signed by a single key.
 */
export async function insertLogKeyIfAbsent(db: DbOrTx, row: LogKeyRow): Promise<LogKeyRow> {
  await db
    .insertInto('audit_log_keys')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
  return db
    .selectFrom('audit_log_keys')
    .selectAll()
    .where('chain', '=', row.chain)
    .executeTakeFirstOrThrow();
}

/** Whether this raw Ed25519 public key is one of the platform's audit signing keys. */
export async function isLogPublicKey(db: DbOrTx, publicKey: Buffer): Promise<boolean> {
  const row = await db
    .selectFrom('audit_log_keys')
    .select('chain')
    .where('public_key', '=', publicKey)
    .executeTakeFirst();
  return row !== undefined;
}
