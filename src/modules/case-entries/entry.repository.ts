import type { DbOrTx } from '../../db/database.js';

/** Messages (usager <-> agents) and internal notes share one shape but never one table. */
export type EntryTable = 'messages' | 'notes';

/** Entries of one case, oldest first, with their author's display name. */
export function listEntries(db: DbOrTx, table: EntryTable, tenantId: string, caseId: string) {
  return db
    .selectFrom(table)
    .innerJoin('accounts', 'accounts.id', `${table}.author_account_id`)
    .select([
      `${table}.id as id`,
      `${table}.body_enc as body_enc`,
      `${table}.created_at as created_at`,
      'accounts.display_name as author_name',
      'accounts.kind as author_kind',
    ])
    .where(`${table}.tenant_id`, '=', tenantId)
    .where(`${table}.case_id`, '=', caseId)
    .orderBy(`${table}.created_at`)
    .orderBy(`${table}.id`)
    .execute();
}

/** Appends one entry to a case. */
export async function insertEntry(
  db: DbOrTx,
  table: EntryTable,
  entry: {
    id: string;
    tenantId: string;
    caseId: string;
    authorId: string;
    bodyEnc: Buffer;
    at: string;
  },
): Promise<void> {
  await db
    .insertInto(table)
    .values({
      id: entry.id,
      tenant_id: entry.tenantId,
      case_id: entry.caseId,
      author_account_id: entry.authorId,
      body_enc: entry.bodyEnc,
      created_at: entry.at,
    })
    .execute();
}
