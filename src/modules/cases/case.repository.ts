import { randomUUID } from 'node:crypto';
import { sql, type ExpressionBuilder, type Insertable, type SelectQueryBuilder } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { CaseRow, CaseTable, Database } from '../../db/schema.js';
import type { CaseFacts, CaseScope } from '../../policy/case.policy.js';
import type { CaseStatus } from '../../policy/case-workflow.js';
import { INSTRUCTION_RUNNING } from '../../policy/case-deadlines.js';
import { isNotDecoyCase } from '../decoys/decoy.repository.js';
import { unindexed } from '../../db/sqlite-dialect.js';
import {
  cdaphAgendaCaseIds,
  cdaphMembersReadingCase,
} from '../cdaph-sessions/cdaph-visibility.repository.js';

type CaseQuery<O> = SelectQueryBuilder<Database, 'cases', O>;

/** Accounts holding a verified mandate over the person, valid on `today` (YYYY-MM-DD). */
function validMandates(eb: ExpressionBuilder<Database, 'cases'>, today: string) {
  return eb
    .selectFrom('mandates')
    .select('mandates.person_id')
    .where('mandates.verified_at', 'is not', null)
    .where('mandates.starts_on', '<=', today)
    .where('mandates.ends_on', '>=', today);
}

/** Cases the account opened by break-glass, while the grant lasts (`now`: an ISO instant). */
function breakGlassCases(eb: ExpressionBuilder<Database, 'cases'>, accountId: string, now: string) {
  return eb
    .selectFrom('break_glass_grants')
    .select('break_glass_grants.case_id')
    .where('break_glass_grants.account_id', '=', accountId)
    .where('break_glass_grants.expires_at', '>', now);
}

/** Submitted cases, and the drafts `author` opened (none when null). */
function submittedOrDraftOf(eb: ExpressionBuilder<Database, 'cases'>, author: string | null) {
  const submitted = eb('cases.status', '<>', 'brouillon');
  return author === null
    ? submitted
    : eb.or([submitted, eb('cases.filed_by_account_id', '=', author)]);
}

/**
 * Restricts a cases query to the actor's scope, in SQL. This is the data-layer wall: a foreign
 * case is never loaded, whatever the service does next.
 */
export function whereInScope<O>(query: CaseQuery<O>, scope: CaseScope, now: string): CaseQuery<O> {
  if (scope.kind === 'none' || scope.kind === 'usager') return whereRelated(query, scope, now);
  const { draftsOf } = scope;
  return whereRelated(query, scope, now).where((eb) => submittedOrDraftOf(eb, draftsOf));
}

/** The relation part of the scope (tenant, person, assignment), drafts aside. */
function whereRelated<O>(query: CaseQuery<O>, scope: CaseScope, now: string): CaseQuery<O> {
  const today = now.slice(0, 10);
  switch (scope.kind) {
    case 'none':
      return query.where(sql<boolean>`1 = 0`);
    case 'tenant':
      return query.where('cases.tenant_id', '=', scope.tenantId);
    case 'usager':
      return query
        .where(unindexed('cases.tenant_id'), '=', scope.tenantId)
        .where((eb) =>
          eb.or([
            eb(
              'cases.person_id',
              'in',
              eb
                .selectFrom('persons')
                .select('persons.id')
                .where('persons.account_id', '=', scope.accountId),
            ),
            eb(
              'cases.person_id',
              'in',
              validMandates(eb, today).where(
                'mandates.representative_account_id',
                '=',
                scope.accountId,
              ),
            ),
          ]),
        );
    case 'instructeur':
      return query
        .where('cases.tenant_id', '=', scope.tenantId)
        .where((eb) =>
          eb.or([
            eb('cases.instructeur_id', '=', scope.accountId),
            ...(scope.team === null ? [] : [eb('cases.team', '=', scope.team)]),
            eb('cases.id', 'in', breakGlassCases(eb, scope.accountId, now)),
          ]),
        );
    case 'evaluateur':
      return query
        .where('cases.tenant_id', '=', scope.tenantId)
        .where((eb) =>
          eb.or([
            eb('cases.evaluateur_id', '=', scope.accountId),
            eb('cases.id', 'in', breakGlassCases(eb, scope.accountId, now)),
          ]),
        );
    case 'cdaph':
      return query
        .where('cases.tenant_id', '=', scope.tenantId)
        .where((eb) =>
          eb('cases.id', 'in', cdaphAgendaCaseIds(eb, scope.tenantId, scope.accountId, today)),
        );
  }
}

export interface ScopedCase {
  row: CaseRow;
  facts: CaseFacts;
}

/** Loads one case if it is in scope, with the facts the policy needs. */
export async function findCaseInScope(
  db: DbOrTx,
  scope: CaseScope,
  caseId: string,
  now: string,
): Promise<ScopedCase | undefined> {
  const row = await whereInScope(db.selectFrom('cases').selectAll('cases'), scope, now)
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  if (!row) return undefined;
  return { row, facts: await loadFacts(db, row, now) };
}

/**
 * The accounts that speak for a person on `today` (an ISO day): the person's own account, if
 * any, and every representative under a verified mandate valid that day. The relation facts of
 * a case and the recipients of its notices both come from here.
 */
export async function findPersonParties(
  db: DbOrTx,
  tenantId: string,
  personId: string,
  today: string,
): Promise<{ subjectAccountId: string | null; representativeAccountIds: string[] }> {
  const subject = await db
    .selectFrom('persons')
    .select('account_id')
    .where('id', '=', personId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  const representatives = await db
    .selectFrom('mandates')
    .select('representative_account_id')
    .where('person_id', '=', personId)
    .where('tenant_id', '=', tenantId)
    .where('verified_at', 'is not', null)
    .where('starts_on', '<=', today)
    .where('ends_on', '>=', today)
    .execute();
  return {
    subjectAccountId: subject?.account_id ?? null,
    representativeAccountIds: representatives.map((r) => r.representative_account_id),
  };
}

/**
 * The relation facts of a loaded case: subject's account, valid representatives, live
 * break-glass grants, CDAPH members reading it (`now`: an ISO instant).
 */
export async function loadFacts(db: DbOrTx, row: CaseRow, now: string): Promise<CaseFacts> {
  const today = now.slice(0, 10);
  const parties = await findPersonParties(db, row.tenant_id, row.person_id, today);
  const breakGlass = await db
    .selectFrom('break_glass_grants')
    .select('account_id')
    .where('case_id', '=', row.id)
    .where('tenant_id', '=', row.tenant_id)
    .where('expires_at', '>', now)
    .execute();
  const cdaphMembers = await cdaphMembersReadingCase(db, row.tenant_id, row.id, today);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    personId: row.person_id,
    breakGlassAccountIds: breakGlass.map((g) => g.account_id),
    status: row.status as CaseStatus,
    subjectAccountId: parties.subjectAccountId,
    representativeAccountIds: parties.representativeAccountIds,
    instructeurId: row.instructeur_id,
    evaluateurId: row.evaluateur_id,
    team: row.team,
    filedByAccountId: row.filed_by_account_id,
    cdaphMemberAccountIds: cdaphMembers,
  };
}

/** Records a new case. */
export async function insertCase(db: DbOrTx, row: Insertable<CaseTable>): Promise<void> {
  await db.insertInto('cases').values(row).execute();
}

/** Records the rights a case asks for, none decided yet. */
export async function insertRequestedRights(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  rightCodes: readonly string[],
): Promise<void> {
  await db
    .insertInto('case_rights')
    .values(
      rightCodes.map((code) => ({
        id: randomUUID(),
        tenant_id: tenantId,
        case_id: caseId,
        right_code: code,
        decision: null,
        decision_reason_enc: null,
        decided_by: null,
        decided_at: null,
      })),
    )
    .execute();
}

/** Narrowings of a listing; none of them can widen the actor's scope (they are ANDed to it). */
export interface CaseListFilter {
  status?: string;
  /** Cases assigned by name to this account (as instructeur or évaluateur). */
  assignedTo?: string;
  /** Cases with neither an instructeur nor an évaluateur named. */
  unassigned?: boolean;
  team?: string;
  /**
   * Cases past a deadline on this day (YYYY-MM-DD): awaiting pieces past theirs, or complete
   * and still undecided past the CDAPH's 4 months.
   */
  overdueOn?: string;
  sort?: 'updated' | 'deadline';
  limit: number;
  offset: number;
}

/** Cases in scope, filtered and sorted (newest activity first by default); never the decoy. */
export function listCasesInScope(
  db: DbOrTx,
  scope: CaseScope,
  now: string,
  filter: CaseListFilter,
): Promise<CaseRow[]> {
  return caseListQuery(db, scope, now, filter).execute();
}

/** The statement behind listCasesInScope, unexecuted: what test/query-plans.test.ts explains. */
export function caseListQuery(
  db: DbOrTx,
  scope: CaseScope,
  now: string,
  filter: CaseListFilter,
): CaseQuery<CaseRow> {
  let query = whereInScope(db.selectFrom('cases').selectAll('cases'), scope, now).where(
    isNotDecoyCase,
  );
  if (filter.status) query = query.where('cases.status', '=', filter.status);
  if (filter.assignedTo !== undefined) {
    const accountId = filter.assignedTo;
    query = query.where((eb) =>
      eb.or([
        eb('cases.instructeur_id', '=', accountId),
        eb('cases.evaluateur_id', '=', accountId),
      ]),
    );
  }
  if (filter.unassigned) {
    query = query
      .where('cases.instructeur_id', 'is', null)
      .where('cases.evaluateur_id', 'is', null);
  }
  if (filter.team !== undefined) query = query.where('cases.team', '=', filter.team);
  if (filter.overdueOn !== undefined) {
    const day = filter.overdueOn;
    query = query.where((eb) =>
      eb.or([
        eb.and([
          eb('cases.status', '=', 'attente_pieces'),
          eb('cases.pieces_deadline', 'is not', null),
          eb('cases.pieces_deadline', '<', day),
        ]),
        eb.and([
          eb('cases.status', 'in', INSTRUCTION_RUNNING),
          eb('cases.instruction_due_on', 'is not', null),
          eb('cases.instruction_due_on', '<', day),
        ]),
      ]),
    );
  }
  if (filter.sort === 'deadline') {
    // Cases without a deadline last, in both dialects (no NULLS LAST in SQLite before 3.30).
    query = query
      .orderBy(sql`case when cases.pieces_deadline is null then 1 else 0 end`)
      .orderBy('cases.pieces_deadline', 'asc');
  }
  return query
    .orderBy('cases.updated_at', 'desc')
    .orderBy('cases.id')
    .limit(filter.limit)
    .offset(filter.offset);
}

/** The requested right codes of several cases of a tenant, by case id. */
export async function listRightCodes(
  db: DbOrTx,
  tenantId: string,
  caseIds: readonly string[],
): Promise<Map<string, string[]>> {
  const byCase = new Map<string, string[]>();
  if (caseIds.length === 0) return byCase;
  const rows = await db
    .selectFrom('case_rights')
    .select(['case_id', 'right_code'])
    .where('tenant_id', '=', tenantId)
    .where('case_id', 'in', [...caseIds])
    .orderBy('right_code')
    .execute();
  for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r.right_code]);
  return byCase;
}

/** Requested rights of a case, in a stable order. */
export function listRights(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .selectFrom('case_rights')
    .leftJoin('cdaph_sessions', 'cdaph_sessions.id', 'case_rights.session_id')
    .select([
      'case_rights.id',
      'case_rights.right_code',
      'case_rights.decision',
      'case_rights.decision_reason_enc',
      'case_rights.decided_at',
      'case_rights.valid_from',
      'case_rights.valid_until',
      'case_rights.session_id',
      'cdaph_sessions.sits_on as session_sits_on',
    ])
    .where('case_rights.tenant_id', '=', tenantId)
    .where('case_rights.case_id', '=', caseId)
    .orderBy('case_rights.right_code')
    .execute();
}

/** The subject person's sealed name. */
export function findSubjectName(db: DbOrTx, tenantId: string, personId: string) {
  return db
    .selectFrom('persons')
    .select(['id', 'first_name_enc', 'last_name_enc'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', personId)
    .executeTakeFirst();
}

/** The sealed names of several persons of a tenant (a page of a list). */
export function listSubjectNames(db: DbOrTx, tenantId: string, personIds: readonly string[]) {
  return (
    db
      .selectFrom('persons')
      .select(['id', 'first_name_enc', 'last_name_enc'])
      // Found by their ids: without statistics SQLite would walk the tenant's index instead.
      .where(unindexed('persons.tenant_id'), '=', tenantId)
      .where('id', 'in', [...personIds])
      .execute()
  );
}

/** The next case reference of a tenant for a year, e.g. MDPH44-2026-000012. */
export async function nextReference(
  db: DbOrTx,
  tenantId: string,
  tenantCode: string,
  year: number,
) {
  const prefix = `MDPH${tenantCode}-${year}-`;
  const row = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('reference', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow();
  return `${prefix}${String(Number(row.n) + 1).padStart(6, '0')}`;
}

/**
 * Rewrites a draft: its sealed situation and its requested rights, in the caller's transaction.
 * Only while the case is still a draft (checked in the WHERE clause, so a submission that raced
 * this edit wins); answers whether the draft was changed.
 */
export async function updateDraft(
  trx: DbOrTx,
  tenantId: string,
  caseId: string,
  changes: { summaryEnc: Buffer | null; rights: readonly string[]; at: string },
): Promise<boolean> {
  const updated = await trx
    .updateTable('cases')
    .set({ summary_enc: changes.summaryEnc, updated_at: changes.at })
    .where('id', '=', caseId)
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'brouillon')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return false;
  await trx
    .deleteFrom('case_rights')
    .where('case_id', '=', caseId)
    .where('tenant_id', '=', tenantId)
    .execute();
  await insertRequestedRights(trx, tenantId, caseId, changes.rights);
  return true;
}

/** A renewal of the case still in progress (neither withdrawn nor lapsed), if any. */
export function findOpenRenewalOf(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .selectFrom('cases')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('renews_case_id', '=', caseId)
    .where('status', 'not in', ['retire', 'caduc'])
    .executeTakeFirst();
}
