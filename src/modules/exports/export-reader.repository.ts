import type { DbOrTx } from '../../db/database.js';
import { unindexed } from '../../db/sqlite-dialect.js';
import { filterCondition, type ScopeFilter } from './export-instruction.repository.js';

/**
 * What an export run reads, a page at a time: the memory a run holds does not grow with the
 * département. Every query names the tenant; the scope is the instruction's.
 */

/**
 * Each page's rows are found by the page's ids (`unindexed` tenant: the tenant's own index
 * would walk the whole département).
 */

/** How many cases a run reads at once. */
export const EXPORT_PAGE = 200;

/**
 * The next page of the scope's cases (by id, after `afterId`), and where the next page starts
 * (null: none). An explicit list pages through the list itself, so cases of it that are gone
 * never end the run early.
 */
export async function nextCasesInScope(
  db: DbOrTx,
  tenantId: string,
  scope: ScopeFilter,
  afterId: string,
) {
  let query = db
    .selectFrom('cases')
    .selectAll()
    // Walked in id order by the primary key: without statistics SQLite would take the tenant's
    // (or the status') index and sort the whole département for each page.
    .where(unindexed('cases.tenant_id'), '=', tenantId)
    .where('cases.id', '>', afterId);
  if ('caseIds' in scope) {
    const ids = [...scope.caseIds]
      .filter((id) => id > afterId)
      .sort()
      .slice(0, EXPORT_PAGE);
    if (ids.length === 0) return { cases: [], next: null };
    const cases = await query.where('cases.id', 'in', ids).orderBy('cases.id').execute();
    return { cases, next: ids.at(-1)! };
  }
  if (!('all' in scope)) query = query.where((eb) => filterCondition(eb, scope, { scan: true }));
  const cases = await query.orderBy('cases.id').limit(EXPORT_PAGE).execute();
  return { cases, next: cases.at(-1)?.id ?? null };
}

export function personsByIds(db: DbOrTx, tenantId: string, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('persons')
    .selectAll()
    .where(unindexed('tenant_id'), '=', tenantId)
    .where('id', 'in', [...ids])
    .execute();
}

export function rightsOfCases(db: DbOrTx, tenantId: string, caseIds: readonly string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('case_rights')
    .selectAll()
    .where(unindexed('tenant_id'), '=', tenantId)
    .where('case_id', 'in', [...caseIds])
    .orderBy('case_id')
    .orderBy('right_code')
    .execute();
}

export function transitionsOfCases(db: DbOrTx, tenantId: string, caseIds: readonly string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('case_transitions')
    .selectAll()
    .where(unindexed('tenant_id'), '=', tenantId)
    .where('case_id', 'in', [...caseIds])
    .orderBy('case_id')
    .orderBy('id')
    .execute();
}

export function entriesOfCases(
  db: DbOrTx,
  table: 'messages' | 'notes',
  tenantId: string,
  caseIds: readonly string[],
) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom(table)
    .selectAll()
    .where(unindexed('tenant_id'), '=', tenantId)
    .where('case_id', 'in', [...caseIds])
    .orderBy('case_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The current documents (not superseded) of the cases, in the instructed categories only. */
export function documentsOfCases(
  db: DbOrTx,
  tenantId: string,
  caseIds: readonly string[],
  categories: readonly string[],
) {
  if (caseIds.length === 0 || categories.length === 0) return Promise.resolve([]);
  return (
    db
      .selectFrom('documents')
      .selectAll()
      .where(unindexed('tenant_id'), '=', tenantId)
      .where('case_id', 'in', [...caseIds])
      .where('category', 'in', [...categories])
      .where('superseded_by', 'is', null)
      // A rejected piece may not even be the person's: it does not leave.
      .where('review_status', '!=', 'rejected')
      .orderBy('case_id')
      .orderBy('id')
      .execute()
  );
}
