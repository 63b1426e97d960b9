import type { DbOrTx } from '../../db/database.js';
import { auditEntryField } from '../../db/sqlite-dialect.js';
import type { CaseScope } from '../../policy/case.policy.js';
import { whereInScope } from '../cases/case.repository.js';

/** What "who consulted my file" reads: the usager's cases and the staff accesses to them. */

/** The id and reference of every case in the scope. */
export function listCaseReferencesInScope(db: DbOrTx, scope: CaseScope, now: string) {
  return whereInScope(
    db.selectFrom('cases').select(['cases.id', 'cases.reference']),
    scope,
    now,
  ).execute();
}

/** The documents of these cases of the tenant, with their case. */
export function listDocumentsOfCases(db: DbOrTx, tenantId: string, caseIds: readonly string[]) {
  return db
    .selectFrom('documents')
    .select(['id', 'case_id'])
    .where('tenant_id', '=', tenantId)
    .where('case_id', 'in', caseIds)
    .execute();
}

/** Allowed accesses by staff to these objects in the tenant's chain, newest first. */
export function listStaffAccessesTo(
  db: DbOrTx,
  tenantId: string,
  objectIds: readonly string[],
  limit: number,
) {
  return db
    .selectFrom('audit_events')
    .select(['at', 'entry'])
    .where('chain', '=', tenantId)
    .where(auditEntryField('actorKind'), '=', 'staff')
    .where(auditEntryField('outcome'), '=', 'allowed')
    .where(auditEntryField('objectId'), 'in', objectIds)
    .orderBy('at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

/** The display names of these accounts of the tenant. */
export function listDisplayNames(db: DbOrTx, tenantId: string, accountIds: readonly string[]) {
  return db
    .selectFrom('accounts')
    .select(['id', 'display_name'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', accountIds)
    .execute();
}

/** Whether the tenant chose to name the agents who consulted a file. */
export async function findShowsAgentNames(db: DbOrTx, tenantId: string): Promise<boolean> {
  const row = await db
    .selectFrom('tenants')
    .select('consultations_show_names')
    .where('id', '=', tenantId)
    .executeTakeFirst();
  return row?.consultations_show_names === 1;
}

/** Records the tenant's choice of naming the agents who consulted a file. */
export async function saveShowsAgentNames(
  db: DbOrTx,
  tenantId: string,
  showNames: boolean,
): Promise<void> {
  await db
    .updateTable('tenants')
    .set({ consultations_show_names: showNames ? 1 : 0 })
    .where('id', '=', tenantId)
    .execute();
}
