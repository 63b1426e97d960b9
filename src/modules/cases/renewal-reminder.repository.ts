import type { DbOrTx } from '../../db/database.js';
import { GRANTING_DECISIONS } from '../../policy/case-workflow.js';
import { isNotDecoyCase } from '../decoys/decoy.repository.js';

/**
 * Granted rights still valid today whose end falls on or before `endsBy`, not reminded yet, of
 * a case no renewal of which is in progress.
 */
export function listRightsToRemindOfRenewal(db: DbOrTx, today: string, endsBy: string) {
  return db
    .selectFrom('case_rights')
    .innerJoin('cases', 'cases.id', 'case_rights.case_id')
    .select([
      'case_rights.id',
      'case_rights.tenant_id',
      'case_rights.case_id',
      'case_rights.valid_until',
    ])
    .whereRef('cases.tenant_id', '=', 'case_rights.tenant_id')
    .where('case_rights.decision', 'in', GRANTING_DECISIONS)
    .where('case_rights.valid_until', '>=', today)
    .where('case_rights.valid_until', '<=', endsBy)
    .where('case_rights.renewal_reminded_on', 'is', null)
    .where('cases.status', 'in', ['notifie', 'cloture'])
    .where(isNotDecoyCase)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('cases as renewal')
            .select('renewal.id')
            .whereRef('renewal.renews_case_id', '=', 'cases.id')
            .where('renewal.status', 'not in', ['retire', 'caduc']),
        ),
      ),
    )
    .orderBy('case_rights.valid_until')
    .limit(500)
    .execute();
}

/** Records the reminder of these rights of a case once; the ids already reminded are skipped. */
export async function markRenewalReminded(
  db: DbOrTx,
  c: { tenantId: string; rightIds: readonly string[] },
  today: string,
): Promise<number> {
  const done = await db
    .updateTable('case_rights')
    .set({ renewal_reminded_on: today })
    .where('tenant_id', '=', c.tenantId)
    .where('id', 'in', c.rightIds)
    .where('renewal_reminded_on', 'is', null)
    .executeTakeFirst();
  return Number(done.numUpdatedRows);
}
