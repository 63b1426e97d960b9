import type { DbOrTx } from '../../db/database.js';
import type { BreakGlassGrantTable } from '../../db/schema.js';

/** Records a grant. */
export async function insertGrant(db: DbOrTx, row: BreakGlassGrantTable): Promise<void> {
  await db.insertInto('break_glass_grants').values(row).execute();
}

/** The tenant's grants, newest first, with who opened them; unreviewed only if asked. */
export function listGrantsOfTenant(db: DbOrTx, tenantId: string, pendingOnly: boolean) {
  let query = db
    .selectFrom('break_glass_grants as g')
    .innerJoin('accounts as a', 'a.id', 'g.account_id')
    .innerJoin('cases as c', 'c.id', 'g.case_id')
    .select([
      'g.id',
      'g.case_id',
      'g.person_id',
      'g.account_id',
      'g.reason_enc',
      'g.opened_at',
      'g.expires_at',
      'g.verdict',
      'g.reviewed_by',
      'g.reviewed_at',
      'a.role',
      'c.reference',
    ])
    .where('g.tenant_id', '=', tenantId);
  if (pendingOnly) query = query.where('g.verdict', 'is', null);
  return query.orderBy('g.opened_at', 'desc').limit(500).execute();
}

/** One grant of the tenant, or undefined. */
export function findGrantOfTenant(db: DbOrTx, tenantId: string, grantId: string) {
  return db
    .selectFrom('break_glass_grants')
    .select(['id', 'tenant_id', 'account_id', 'verdict'])
    .where('id', '=', grantId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

/** Records the DPO's verdict once; false when it was already reviewed. */
export async function reviewGrant(
  db: DbOrTx,
  grantId: string,
  review: { verdict: 'justified' | 'unjustified'; reviewedBy: string; at: string },
): Promise<boolean> {
  const res = await db
    .updateTable('break_glass_grants')
    .set({ verdict: review.verdict, reviewed_by: review.reviewedBy, reviewed_at: review.at })
    .where('id', '=', grantId)
    .where('verdict', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
