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

/** The département code whose audit chain signs with this raw Ed25519 key, or null. */
export async function tenantCodeOfLogKey(db: DbOrTx, publicKey: Buffer): Promise<string | null> {
  const row = await db
    .selectFrom('audit_log_keys')
    .innerJoin('tenants', 'tenants.id', 'audit_log_keys.chain')
    .select('tenants.code')
    .where('audit_log_keys.public_key', '=', publicKey)
    .executeTakeFirst();
  return row?.code ?? null;
}
