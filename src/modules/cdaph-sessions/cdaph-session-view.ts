import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { isoDay } from '../../clock.js';
import type { CdaphSessionRow } from '../../db/schema.js';
import type { Actor } from '../../policy/actor.js';
import {
  agendaWindowCovers,
  canOnCdaphSession,
  mayOpenSession,
  sessionTakesDecisions,
} from '../../policy/cdaph-session.policy.js';
import { openName } from '../persons/person-fields.js';
import { listSubjectNames } from '../cases/case.repository.js';
import type { ScopedSession } from './cdaph-session-access.js';
import { listAgenda, listAgendaRights } from './cdaph-session.repository.js';
import type { SessionDetail, SessionSummary } from './cdaph-session.schemas.js';

type Summary = Static<typeof SessionSummary>;
type Detail = Static<typeof SessionDetail>;

/** Where a session's minutes are bound: a sealed value cannot move to another session. */
export const minutesRef = (sessionId: string) => ({
  table: 'cdaph_sessions',
  column: 'minutes',
  rowId: sessionId,
});

/** A line of the sessions list. */
export function summaryOf(row: CdaphSessionRow, memberCount: number, agendaCount: number): Summary {
  return {
    id: row.id,
    sitsOn: row.sits_on,
    startsAt: row.starts_at,
    formation: row.formation as Summary['formation'],
    status: row.status,
    agendaOpensOn: row.agenda_opens_on,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    memberCount,
    agendaCount,
  };
}

/**
 * The detail of a session the actor was just authorized to read. A member sees the agenda's
 * cases only inside the window, the very rule that opens the cases themselves to them.
 */
export async function toSessionDetail(
  deps: AppDeps,
  actor: Actor,
  found: ScopedSession,
): Promise<Detail> {
  const { row, facts } = found;
  const today = isoDay(deps.clock.now());
  const secretariat = canOnCdaphSession(actor, 'cdaphSession.manage', facts);
  const agendaVisible = secretariat || agendaWindowCovers(facts, today);
  const items = agendaVisible ? await listAgenda(deps.db, row.tenant_id, row.id) : [];
  const rights = agendaVisible ? await listAgendaRights(deps.db, row.tenant_id, row.id) : [];
  const personIds = [...new Set(items.map((i) => i.person_id))];
  const names = new Map(
    personIds.length === 0
      ? []
      : (await listSubjectNames(deps.db, row.tenant_id, personIds)).map((n) => [n.id, n]),
  );
  const ciphers = await deps.vault.forPersons(deps.db, row.tenant_id, personIds);
  const agenda: Detail['agenda'] = items.map((item) => {
    const name = names.get(item.person_id);
    return {
      caseId: item.id,
      reference: item.reference,
      status: item.status as Detail['agenda'][number]['status'],
      subject: name
        ? openName(ciphers.get(item.person_id)!, name)
        : { firstName: '', lastName: '' },
      rights: rights
        .filter((r) => r.case_id === item.id)
        .map((r) => ({
          code: r.right_code as Detail['agenda'][number]['rights'][number]['code'],
          decision: r.decision as Detail['agenda'][number]['rights'][number]['decision'],
          validFrom: r.valid_from,
          validUntil: r.valid_until,
          decidedInSession: r.session_id === row.id,
        })),
    };
  });
  const minutes =
    secretariat && row.minutes_enc
      ? (
          await deps.vault.openCredential(
            deps.db,
            row.tenant_id,
            minutesRef(row.id),
            row.minutes_enc,
          )
        ).toString('utf8')
      : null;
  return {
    ...summaryOf(row, found.members.length, agenda.length),
    members: found.members.map((m) => ({ accountId: m.account_id, displayName: m.display_name })),
    agendaVisible,
    agenda,
    minutes,
    abilities: secretariat ? abilitiesOf(row, facts, today) : [],
  };
}

/** What the secretariat may do with the session now: the page shows only these. */
function abilitiesOf(row: CdaphSessionRow, facts: ScopedSession['facts'], today: string): string[] {
  if (row.status === 'closed') return [];
  const abilities = ['members', 'agenda'];
  if (mayOpenSession(facts, today)) abilities.push('open');
  if (sessionTakesDecisions(facts, today)) abilities.push('decide');
  if (row.status === 'in_progress') abilities.push('close');
  return abilities;
}
