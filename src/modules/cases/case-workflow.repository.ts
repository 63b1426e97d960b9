import type { Updateable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { CaseTable } from '../../db/schema.js';

/** What a workflow transition changes on the case row. */
export type StatusChange = Pick<
  Updateable<CaseTable>,
  'status' | 'updated_at' | 'pieces_deadline' | 'submitted_at'
>;

/** What an assignment changes on the case row. */
export type AssignmentChange = Pick<
  Updateable<CaseTable>,
  'instructeur_id' | 'evaluateur_id' | 'team' | 'updated_at'
>;

/**
 * Moves a case of the tenant out of `fromStatus`, on condition that it is still there: of two
 * agents moving the same case at once, only one wins. True when this call moved it.
 */
export async function moveCaseStatus(
  db: DbOrTx,
  c: { id: string; tenantId: string; fromStatus: string },
  changes: StatusChange,
): Promise<boolean> {
  const updated = await db
    .updateTable('cases')
    .set(changes)
    .where('id', '=', c.id)
    .where('tenant_id', '=', c.tenantId)
    .where('status', '=', c.fromStatus)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Records a transition in the case's history, its comment not sealed yet; returns its id. */
export async function insertTransition(
  db: DbOrTx,
  t: {
    tenantId: string;
    caseId: string;
    fromStatus: string;
    toStatus: string;
    /** Null with `byJob` when the server itself moves the case (a deadline passed). */
    actorAccountId: string | null;
    byJob?: string;
    at: string;
  },
): Promise<number> {
  const inserted = await db
    .insertInto('case_transitions')
    .values({
      tenant_id: t.tenantId,
      case_id: t.caseId,
      from_status: t.fromStatus,
      to_status: t.toStatus,
      actor_account_id: t.actorAccountId,
      by_job: t.byJob ?? null,
      comment_enc: null,
      at: t.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** Stores the sealed comment of a recorded transition. */
export async function setTransitionComment(
  db: DbOrTx,
  transitionId: number,
  commentEnc: Buffer,
): Promise<void> {
  await db
    .updateTable('case_transitions')
    .set({ comment_enc: commentEnc })
    .where('id', '=', transitionId)
    .execute();
}

/** Changes who a case of the tenant is assigned to. */
export async function assignCaseTo(
  db: DbOrTx,
  c: { id: string; tenantId: string },
  changes: AssignmentChange,
): Promise<void> {
  await db
    .updateTable('cases')
    .set(changes)
    .where('id', '=', c.id)
    .where('tenant_id', '=', c.tenantId)
    .execute();
}

/** The case's requested right with this code, if it is requested. */
export function findRequestedRight(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  rightCode: string,
) {
  return db
    .selectFrom('case_rights')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('case_id', '=', caseId)
    .where('right_code', '=', rightCode)
    .executeTakeFirst();
}

/**
 * Records the decision on one right of a case of the tenant (its reason already sealed), with
 * its validity and the session it was taken in; true when the right was there to decide.
 */
export async function recordRightDecision(
  db: DbOrTx,
  right: { tenantId: string; caseId: string; id: string },
  decision: {
    decision: string;
    reasonEnc: Buffer | null;
    by: string;
    at: string;
    validFrom: string | null;
    validUntil: string | null;
    sessionId: string;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('case_rights')
    .set({
      decision: decision.decision,
      decision_reason_enc: decision.reasonEnc,
      decided_by: decision.by,
      decided_at: decision.at,
      valid_from: decision.validFrom,
      valid_until: decision.validUntil,
      session_id: decision.sessionId,
    })
    .where('tenant_id', '=', right.tenantId)
    .where('case_id', '=', right.caseId)
    .where('id', '=', right.id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
