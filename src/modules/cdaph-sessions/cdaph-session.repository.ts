import { sql, type Insertable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { CdaphSessionRow, CdaphSessionTable } from '../../db/schema.js';
import type { CdaphSessionScope } from '../../policy/cdaph-session.policy.js';

/** Records a planned session. */
export async function insertSession(db: DbOrTx, row: Insertable<CdaphSessionTable>) {
  await db.insertInto('cdaph_sessions').values(row).execute();
}

/** Replaces who sits in a session of the tenant (the accounts were checked by the caller). */
export async function replaceMembers(
  db: DbOrTx,
  tenantId: string,
  sessionId: string,
  accountIds: readonly string[],
): Promise<void> {
  await db
    .deleteFrom('cdaph_session_members')
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .execute();
  if (accountIds.length === 0) return;
  await db
    .insertInto('cdaph_session_members')
    .values(accountIds.map((a) => ({ session_id: sessionId, tenant_id: tenantId, account_id: a })))
    .execute();
}

/** The members of sessions of a tenant, with the names staff pickers show, by session. */
export async function listMembers(db: DbOrTx, tenantId: string, sessionIds: readonly string[]) {
  if (sessionIds.length === 0) return [];
  return db
    .selectFrom('cdaph_session_members')
    .innerJoin('accounts', 'accounts.id', 'cdaph_session_members.account_id')
    .select([
      'cdaph_session_members.session_id',
      'cdaph_session_members.account_id',
      'accounts.display_name',
    ])
    .where('cdaph_session_members.tenant_id', '=', tenantId)
    .where('accounts.tenant_id', '=', tenantId)
    .where('cdaph_session_members.session_id', 'in', [...sessionIds])
    .orderBy('accounts.display_name')
    .orderBy('accounts.id')
    .execute();
}

/** Sessions within the scope, in SQL: a member's query never reaches a session they do not sit in. */
function sessionsInScope(db: DbOrTx, scope: CdaphSessionScope) {
  const query = db.selectFrom('cdaph_sessions').selectAll('cdaph_sessions');
  switch (scope.kind) {
    case 'none':
      return query.where(sql<boolean>`1 = 0`);
    case 'tenant':
      return query.where('cdaph_sessions.tenant_id', '=', scope.tenantId);
    case 'member':
      return query
        .where('cdaph_sessions.tenant_id', '=', scope.tenantId)
        .where('cdaph_sessions.id', 'in', (eb) =>
          eb
            .selectFrom('cdaph_session_members')
            .select('cdaph_session_members.session_id')
            .where('cdaph_session_members.account_id', '=', scope.accountId)
            .where('cdaph_session_members.tenant_id', '=', scope.tenantId),
        );
  }
}

/** A session of the tenant by id, for the agenda's own checks (the caller is authorized). */
export function findSessionOfTenant(db: DbOrTx, tenantId: string, sessionId: string) {
  return db
    .selectFrom('cdaph_sessions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sessionId)
    .executeTakeFirst();
}

/** One session if it is in scope. */
export function findSessionInScope(
  db: DbOrTx,
  scope: CdaphSessionScope,
  sessionId: string,
): Promise<CdaphSessionRow | undefined> {
  return sessionsInScope(db, scope).where('cdaph_sessions.id', '=', sessionId).executeTakeFirst();
}

/** Sessions in scope, the most recent day first. */
export function listSessionsInScope(
  db: DbOrTx,
  scope: CdaphSessionScope,
  filter: { status?: CdaphSessionRow['status'] | undefined; limit: number; offset: number },
): Promise<CdaphSessionRow[]> {
  let query = sessionsInScope(db, scope);
  if (filter.status !== undefined) query = query.where('cdaph_sessions.status', '=', filter.status);
  return query
    .orderBy('cdaph_sessions.sits_on', 'desc')
    .orderBy('cdaph_sessions.starts_at', 'desc')
    .orderBy('cdaph_sessions.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

/** How many cases each session's agenda holds. */
export async function countAgenda(db: DbOrTx, tenantId: string, sessionIds: readonly string[]) {
  const counts = new Map<string, number>();
  if (sessionIds.length === 0) return counts;
  const rows = await db
    .selectFrom('cdaph_agenda_items')
    .select((eb) => ['session_id', eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .where('session_id', 'in', [...sessionIds])
    .groupBy('session_id')
    .execute();
  for (const r of rows) counts.set(r.session_id, Number(r.n));
  return counts;
}

/** The cases on a session's agenda, in the order they were put on it. */
export function listAgenda(db: DbOrTx, tenantId: string, sessionId: string) {
  return db
    .selectFrom('cdaph_agenda_items')
    .innerJoin('cases', 'cases.id', 'cdaph_agenda_items.case_id')
    .select([
      'cases.id',
      'cases.reference',
      'cases.status',
      'cases.person_id',
      'cdaph_agenda_items.added_at',
    ])
    .where('cdaph_agenda_items.tenant_id', '=', tenantId)
    .where('cases.tenant_id', '=', tenantId)
    .where('cdaph_agenda_items.session_id', '=', sessionId)
    .orderBy('cdaph_agenda_items.added_at')
    .orderBy('cases.id')
    .execute();
}

/** The rights of the cases on a session's agenda, with what was decided and where. */
export function listAgendaRights(db: DbOrTx, tenantId: string, sessionId: string) {
  return db
    .selectFrom('case_rights')
    .select([
      'case_rights.case_id',
      'case_rights.right_code',
      'case_rights.decision',
      'case_rights.valid_from',
      'case_rights.valid_until',
      'case_rights.session_id',
    ])
    .where('case_rights.tenant_id', '=', tenantId)
    .where('case_rights.case_id', 'in', (eb) =>
      eb
        .selectFrom('cdaph_agenda_items')
        .select('cdaph_agenda_items.case_id')
        .where('cdaph_agenda_items.session_id', '=', sessionId)
        .where('cdaph_agenda_items.tenant_id', '=', tenantId),
    )
    .orderBy('case_rights.right_code')
    .execute();
}

/** The session whose pending agenda holds the case, if any. */
export async function findPendingAgendaOf(db: DbOrTx, tenantId: string, caseId: string) {
  const row = await db
    .selectFrom('cdaph_agenda_items')
    .select('session_id')
    .where('tenant_id', '=', tenantId)
    .where('case_id', '=', caseId)
    .where('pending', '=', 1)
    .executeTakeFirst();
  return row?.session_id;
}

/** Puts a case on a session's agenda; the unique index refuses a second pending agenda. */
export async function insertAgendaItem(
  db: DbOrTx,
  item: { tenantId: string; sessionId: string; caseId: string; by: string; at: string },
): Promise<void> {
  await db
    .insertInto('cdaph_agenda_items')
    .values({
      session_id: item.sessionId,
      tenant_id: item.tenantId,
      case_id: item.caseId,
      pending: 1,
      added_by: item.by,
      added_at: item.at,
    })
    .execute();
}

/** Takes a case off a pending agenda; true when it was on it. */
export async function deleteAgendaItem(
  db: DbOrTx,
  tenantId: string,
  sessionId: string,
  caseId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('cdaph_agenda_items')
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .where('case_id', '=', caseId)
    .where('pending', '=', 1)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** How many rights of the case were decided in this session. */
export async function countDecidedInSession(
  db: DbOrTx,
  tenantId: string,
  sessionId: string,
  caseId: string,
): Promise<number> {
  const row = await db
    .selectFrom('case_rights')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('case_id', '=', caseId)
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Cases on the agenda with a right not decided in this session. */
export async function listAgendaCasesUndecided(
  db: DbOrTx,
  tenantId: string,
  sessionId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('cdaph_agenda_items')
    .innerJoin('case_rights', 'case_rights.case_id', 'cdaph_agenda_items.case_id')
    .select('cdaph_agenda_items.case_id')
    .distinct()
    .where('cdaph_agenda_items.tenant_id', '=', tenantId)
    .where('case_rights.tenant_id', '=', tenantId)
    .where('cdaph_agenda_items.session_id', '=', sessionId)
    .where((eb) =>
      eb.or([
        eb('case_rights.decision', 'is', null),
        eb('case_rights.session_id', 'is', null),
        eb('case_rights.session_id', '<>', sessionId),
      ]),
    )
    .execute();
  return rows.map((r) => r.case_id);
}

/**
 * Moves a session of the tenant out of `from`, on condition that it is still there (of two
 * requests, one wins). True when this call moved it.
 */
export async function moveSessionStatus(
  db: DbOrTx,
  s: { tenantId: string; id: string; from: CdaphSessionRow['status'] },
  changes: Pick<
    Insertable<CdaphSessionTable>,
    'status' | 'opened_at' | 'closed_at' | 'closed_by' | 'minutes_enc'
  >,
): Promise<boolean> {
  const result = await db
    .updateTable('cdaph_sessions')
    .set(changes)
    .where('tenant_id', '=', s.tenantId)
    .where('id', '=', s.id)
    .where('status', '=', s.from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends the agenda's pending state when its session closes: its cases may go on another one. */
export async function settleAgenda(db: DbOrTx, tenantId: string, sessionId: string) {
  await db
    .updateTable('cdaph_agenda_items')
    .set({ pending: 0 })
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .execute();
}
