import type { Insertable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { MandateProofTable } from '../../db/schema.js';

/** Records a stored proof of a mandate. */
export async function insertMandateProof(
  db: DbOrTx,
  row: Insertable<MandateProofTable>,
): Promise<void> {
  await db.insertInto('mandate_proofs').values(row).execute();
}

/** The latest proof of a mandate of the tenant: the one on file. */
export function findLatestProof(db: DbOrTx, tenantId: string, mandateId: string) {
  return db
    .selectFrom('mandate_proofs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('mandate_id', '=', mandateId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The latest proof (id, kind, date) of each of several mandates of a tenant, by mandate. */
export async function latestProofsOf(db: DbOrTx, tenantId: string, mandateIds: readonly string[]) {
  const latest = new Map<string, { id: string; kind: string; created_at: string }>();
  if (mandateIds.length === 0) return latest;
  const rows = await db
    .selectFrom('mandate_proofs')
    .select(['id', 'mandate_id', 'kind', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('mandate_id', 'in', [...mandateIds])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const r of rows) latest.set(r.mandate_id, r);
  return latest;
}

/**
 * A mandate of the tenant within the actor's reach: any of the tenant for its agents, only
 * their own for a representative (`representativeAccountId`).
 */
export function findMandateInReach(
  db: DbOrTx,
  reach: { tenantId: string; representativeAccountId?: string },
  mandateId: string,
) {
  let query = db
    .selectFrom('mandates')
    .selectAll()
    .where('tenant_id', '=', reach.tenantId)
    .where('id', '=', mandateId);
  if (reach.representativeAccountId !== undefined) {
    query = query.where('representative_account_id', '=', reach.representativeAccountId);
  }
  return query.executeTakeFirst();
}

/**
 * Ends a mandate early: `lastDay` becomes its last valid day. Only once, and only a mandate not
 * already past; answers whether it was ended.
 */
export async function endMandateRow(
  trx: DbOrTx,
  target: { tenantId: string; mandateId: string; today: string },
  end: { lastDay: string; by: string; at: string; reasonEnc: Buffer },
): Promise<boolean> {
  const updated = await trx
    .updateTable('mandates')
    .set({
      ends_on: end.lastDay,
      ended_at: end.at,
      ended_by: end.by,
      end_reason_enc: end.reasonEnc,
    })
    .where('id', '=', target.mandateId)
    .where('tenant_id', '=', target.tenantId)
    .where('ended_at', 'is', null)
    .where('ends_on', '>=', target.today)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
