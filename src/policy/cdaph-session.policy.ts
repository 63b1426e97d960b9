import type { Actor } from './actor.js';
import type { Action } from './actions.js';
import type { CdaphSessionStatus } from './vocabulary.js';

/*
 * CDAPH sessions. The responsable (the commission's secretariat) plans them, names who sits,
 * sets the agenda, opens the session on its day, records the decisions in it and closes it with
 * its minutes. A CDAPH member reads only the sessions they sit in, and the cases on one's agenda
 * only inside its window: from `agendaOpensOn` (the session's day minus
 * CLOISON_CDAPH_AGENDA_DAYS, fixed when it is planned) until it is closed. No grace after the
 * closing: the minutes are written by then, and a member who must check something asks the
 * secretariat, who keeps reading the case as ever.
 */

/** What the policy needs to know about a session. Loaded by the repository. */
export interface CdaphSessionFacts {
  readonly id: string;
  readonly tenantId: string;
  readonly status: CdaphSessionStatus;
  readonly sitsOn: string;
  readonly agendaOpensOn: string;
  readonly memberAccountIds: readonly string[];
}

/** Whether the actor may perform a session action on this session. Default deny. */
export function canOnCdaphSession(actor: Actor, action: Action, s: CdaphSessionFacts): boolean {
  if (actor.kind !== 'staff' || actor.tenantId !== s.tenantId) return false;
  switch (actor.role) {
    case 'responsable':
      return (
        action === 'cdaphSession.read' ||
        action === 'cdaphSession.list' ||
        action === 'cdaphSession.manage'
      );
    case 'cdaph':
      return (
        (action === 'cdaphSession.read' || action === 'cdaphSession.list') &&
        s.memberAccountIds.includes(actor.accountId)
      );
    default:
      return false;
  }
}

/** The SQL-side mirror of canOnCdaphSession: which sessions a listing or a lookup considers. */
export type CdaphSessionScope =
  | { readonly kind: 'none' }
  | { readonly kind: 'tenant'; readonly tenantId: string }
  | { readonly kind: 'member'; readonly tenantId: string; readonly accountId: string };

/** The sessions the actor may list or load. */
export function cdaphSessionScope(actor: Actor): CdaphSessionScope {
  if (actor.kind !== 'staff') return { kind: 'none' };
  if (actor.role === 'responsable') return { kind: 'tenant', tenantId: actor.tenantId };
  if (actor.role === 'cdaph') {
    return { kind: 'member', tenantId: actor.tenantId, accountId: actor.accountId };
  }
  return { kind: 'none' };
}

/** Whether the members read the agenda's cases on `today` (YYYY-MM-DD). */
export function agendaWindowCovers(s: CdaphSessionFacts, today: string): boolean {
  return s.status !== 'closed' && s.agendaOpensOn <= today;
}

/** The day the agenda opens to the members, for a session sitting on `sitsOn`. */
export function agendaOpensOn(sitsOn: string, days: number): string {
  const d = new Date(`${sitsOn}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** A session is opened on its own day only, from planned. */
export function mayOpenSession(s: CdaphSessionFacts, today: string): boolean {
  return s.status === 'planned' && s.sitsOn === today;
}

/** Decisions are taken in a session in progress on its own day, nowhere else. */
export function sessionTakesDecisions(s: CdaphSessionFacts, today: string): boolean {
  return s.status === 'in_progress' && s.sitsOn === today;
}
