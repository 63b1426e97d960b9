import type { ExpressionBuilder } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

/*
 * The SQL half of the CDAPH member's relation to a case (cdaph-session.policy.ts): the case is
 * on the agenda of a session of the tenant the member sits in, not closed, whose agenda has
 * opened (`today`: YYYY-MM-DD). The scope and the facts read the same three tables the same way.
 */

/** Ids of the cases a member reads today: a subquery for the cases' WHERE clause. */
export function cdaphAgendaCaseIds(
  eb: ExpressionBuilder<Database, 'cases'>,
  tenantId: string,
  accountId: string,
  today: string,
) {
  return eb
    .selectFrom('cdaph_agenda_items')
    .innerJoin('cdaph_sessions', 'cdaph_sessions.id', 'cdaph_agenda_items.session_id')
    .innerJoin(
      'cdaph_session_members',
      'cdaph_session_members.session_id',
      'cdaph_agenda_items.session_id',
    )
    .select('cdaph_agenda_items.case_id')
    .where('cdaph_session_members.account_id', '=', accountId)
    .where('cdaph_session_members.tenant_id', '=', tenantId)
    .where('cdaph_sessions.tenant_id', '=', tenantId)
    .where('cdaph_sessions.status', '<>', 'closed')
    .where('cdaph_sessions.agenda_opens_on', '<=', today);
}

/** The members who read this case today, through a session whose agenda holds it. */
export async function cdaphMembersReadingCase(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  today: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('cdaph_agenda_items')
    .innerJoin('cdaph_sessions', 'cdaph_sessions.id', 'cdaph_agenda_items.session_id')
    .innerJoin(
      'cdaph_session_members',
      'cdaph_session_members.session_id',
      'cdaph_agenda_items.session_id',
    )
    .select('cdaph_session_members.account_id')
    .distinct()
    .where('cdaph_agenda_items.case_id', '=', caseId)
    .where('cdaph_agenda_items.tenant_id', '=', tenantId)
    .where('cdaph_sessions.tenant_id', '=', tenantId)
    .where('cdaph_sessions.status', '<>', 'closed')
    .where('cdaph_sessions.agenda_opens_on', '<=', today)
    .execute();
  return rows.map((r) => r.account_id);
}
