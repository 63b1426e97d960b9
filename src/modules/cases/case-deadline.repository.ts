import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
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

/** No document reached the case since its pieces were last asked for. */
function noDocumentSincePiecesAsked(eb: ExpressionBuilder<Database, 'cases'>) {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('documents')
        .select('documents.id')
        .whereRef('documents.case_id', '=', 'cases.id')
        .where(
          'documents.created_at',
          '>=',
          sql<string>`(select max(t.at) from case_transitions t
            where t.case_id = cases.id and t.to_status = 'attente_pieces')`,
        ),
    ),
  );
}

/** Cases still awaiting pieces after their deadline day, none added since they were asked for. */
export function listCasesPastPiecesDeadline(db: DbOrTx, today: string) {
  return db
    .selectFrom('cases')
    .select(['id', 'tenant_id'])
    .where('status', '=', 'attente_pieces')
    .where('pieces_deadline', '<', today)
    .where(noDocumentSincePiecesAsked)
    .where(isNotDecoyCase)
    .limit(500)
    .execute();
}

/**
 * Moves a case to caduc if, in this very statement, it still awaits its pieces past its
 * deadline and no document was added to it since they were asked for (the latest move into
 * attente_pieces); false otherwise.
 */
export async function lapseIfStillDue(
  db: DbOrTx,
  c: { id: string; tenantId: string },
  today: string,
  now: Date,
): Promise<boolean> {
  const moved = await db
    .updateTable('cases')
    .set({ status: 'caduc', updated_at: now.toISOString() })
    .where('id', '=', c.id)
    .where('tenant_id', '=', c.tenantId)
    .where('status', '=', 'attente_pieces')
    .where('pieces_deadline', '<', today)
    .where(noDocumentSincePiecesAsked)
    .executeTakeFirst();
  return Number(moved.numUpdatedRows) === 1;
}
