import type { DbOrTx } from '../../db/database.js';
import { isNotDecoyCase } from '../decoys/decoy.repository.js';

/** Cases awaiting pieces whose deadline falls between the two days (inclusive), not reminded yet. */
export function listCasesToRemindOfPieces(db: DbOrTx, from: string, until: string) {
  return db
    .selectFrom('cases')
    .select(['id', 'tenant_id', 'pieces_deadline'])
    .where('status', '=', 'attente_pieces')
    .where('pieces_deadline', '>=', from)
    .where('pieces_deadline', '<=', until)
    .where('pieces_reminded_on', 'is', null)
    .where(isNotDecoyCase)
    .limit(500)
    .execute();
}

/** Records the reminder once; false when another run did it in between. */
export async function markPiecesReminded(
  db: DbOrTx,
  c: { id: string; tenantId: string; deadline: string },
  today: string,
): Promise<boolean> {
  const done = await db
    .updateTable('cases')
    .set({ pieces_reminded_on: today })
    .where('id', '=', c.id)
    .where('tenant_id', '=', c.tenantId)
    .where('status', '=', 'attente_pieces')
    .where('pieces_deadline', '=', c.deadline)
    .where('pieces_reminded_on', 'is', null)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/** Cases still awaiting pieces after their deadline day. */
export function listCasesPastPiecesDeadline(db: DbOrTx, today: string) {
  return db
    .selectFrom('cases')
    .select(['id', 'tenant_id'])
    .where('status', '=', 'attente_pieces')
    .where('pieces_deadline', '<', today)
    .where(isNotDecoyCase)
    .limit(500)
    .execute();
}
