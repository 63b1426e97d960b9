import { accountOf, type Actor } from './actor.js';
import type { Action } from './actions.js';
import {
  TRANSITIONS,
  findTransition,
  type CaseRelation,
  type CaseStatus,
  type Transition,
} from './case-workflow.js';

/** What the policy needs to know about a case. Loaded by the repository, never by the client. */
export interface CaseFacts {
  readonly id: string;
  readonly tenantId: string;
  /** The person the case is about. */
  readonly personId: string;
  readonly status: CaseStatus;
  /** The usager account of the person the case is about, if that person has an account. */
  readonly subjectAccountId: string | null;
  /** Accounts holding a verified mandate over the subject that is valid today. */
  readonly representativeAccountIds: readonly string[];
  readonly instructeurId: string | null;
  readonly evaluateurId: string | null;
  readonly team: string | null;
  /** Staff accounts holding a live break-glass grant on the case. */
  readonly breakGlassAccountIds: readonly string[];
  /** The account that opened the case (its draft is theirs until it is submitted). */
  readonly filedByAccountId: string;
  /**
   * CDAPH members sitting in a session that has the case on its agenda and whose window covers
   * now (cdaph-session.policy.ts: from the day its agenda opens until it is closed).
   */
  readonly cdaphMemberAccountIds: readonly string[];
}

const ABILITIES: Record<CaseRelation, ReadonlySet<Action>> = {
  usager: new Set<Action>([
    'case.read',
    'case.transition',
    'case.editDraft',
    'case.renew',
    'document.list',
    'document.upload',
    'document.read',
    'message.list',
    'message.create',
  ]),
  accueil: new Set<Action>([
    'case.read',
    'case.transition',
    'case.editDraft',
    'case.renew',
    'document.list',
    'document.upload',
    'document.read',
    'document.review',
    'message.list',
    'message.create',
    'note.list',
    'note.create',
  ]),
  // Decisions are the commission's, recorded in session by its secretariat (the responsable):
  // the instructeur who prepared the case does not also write down its outcome.
  instructeur: new Set<Action>([
    'case.read',
    'case.transition',
    'document.list',
    'document.upload',
    'document.read',
    'document.review',
    'message.list',
    'message.create',
    'note.list',
    'note.create',
  ]),
  evaluateur: new Set<Action>([
    'case.read',
    'case.transition',
    'document.list',
    'document.upload',
    'document.read',
    'document.review',
    'message.list',
    'note.list',
    'note.create',
  ]),
  responsable: new Set<Action>([
    'case.read',
    'case.transition',
    'case.assign',
    'case.decide',
    'document.list',
    'document.upload',
    'document.read',
    'document.review',
    'message.list',
    'message.create',
    'note.list',
    'note.create',
  ]),
  // The CDAPH member reads the synthesis of the cases on the agenda of a session they sit in,
  // inside its window (caseRelation), nothing more.
  cdaph: new Set<Action>(['case.read']),
  // Statuses and decisions for the département's own systems; the token narrows it further.
  integration: new Set<Action>(['case.read']),
};

/**
 * True when the case is a draft that someone other than the actor opened. What a person is still
 * preparing is not yet a request to the département: no agent and no département system sees it
 * before it is submitted. A paper draft stays with the agent d'accueil who keyed it in.
 */
export function isDraftOfAnother(actor: Actor, c: CaseFacts): boolean {
  return c.status === 'brouillon' && accountOf(actor) !== c.filedByAccountId;
}

/** How the actor relates to the case, or null when it has no business with it. */
export function caseRelation(actor: Actor, c: CaseFacts): CaseRelation | null {
  switch (actor.kind) {
    case 'anonymous':
    case 'operateur':
      return null;
    case 'usager':
      if (actor.tenantId !== c.tenantId) return null;
      // The person a draft is about, and whoever represents them, may see their own file (it is
      // their data, in their export too); only the author edits it (canOnCase).
      if (c.subjectAccountId === actor.accountId) return 'usager';
      return c.representativeAccountIds.includes(actor.accountId) ? 'usager' : null;
    case 'integration':
      // A recipient's token reaches its export, never a case, whatever it holds.
      if (actor.exportInstructionId !== null) return null;
      if (actor.tenantId !== c.tenantId || isDraftOfAnother(actor, c)) return null;
      return 'integration';
    case 'staff':
      // Before role, assignment or break-glass: being named on a draft does not open it.
      if (actor.tenantId !== c.tenantId || isDraftOfAnother(actor, c)) return null;
      switch (actor.role) {
        case 'accueil':
          return 'accueil';
        case 'responsable':
          return 'responsable';
        case 'instructeur':
          if (c.instructeurId === actor.accountId) return 'instructeur';
          if (actor.team !== null && c.team === actor.team) return 'instructeur';
          return c.breakGlassAccountIds.includes(actor.accountId) ? 'instructeur' : null;
        case 'evaluateur':
          if (c.evaluateurId === actor.accountId) return 'evaluateur';
          return c.breakGlassAccountIds.includes(actor.accountId) ? 'evaluateur' : null;
        case 'cdaph':
          return c.cdaphMemberAccountIds.includes(actor.accountId) ? 'cdaph' : null;
        case 'dpo':
        case 'admin':
          // They answer for the platform, they do not read case content.
          return null;
      }
  }
}

/** What a break-glass grant allows: reading the case, its documents, messages and notes. */
const BREAK_GLASS_READS = new Set<Action>([
  'case.read',
  'document.list',
  'document.read',
  'message.list',
  'note.list',
]);

/** True when the actor reaches the case only through a break-glass grant. */
export function onlyThroughBreakGlass(actor: Actor, c: CaseFacts): boolean {
  if (actor.kind !== 'staff' || !c.breakGlassAccountIds.includes(actor.accountId)) return false;
  return caseRelation(actor, { ...c, breakGlassAccountIds: [] }) === null;
}

/** True when the case is still a draft and the actor opened it. */
function isDraftOf(actor: Actor, c: CaseFacts): boolean {
  return c.status === 'brouillon' && accountOf(actor) === c.filedByAccountId;
}

/** Whether the actor may perform a case-scoped action on this case. */
export function canOnCase(actor: Actor, action: Action, c: CaseFacts): boolean {
  const relation = caseRelation(actor, c);
  if (relation === null || !ABILITIES[relation].has(action)) return false;
  // Break-glass opens a case to read it: deciding, moving or writing stays with its assignees.
  if (onlyThroughBreakGlass(actor, c) && !BREAK_GLASS_READS.has(action)) return false;
  // A draft is its author's until it is submitted: neither the person it is about nor another
  // representative rewrites what the author is still preparing (agents do not even reach it).
  if (action === 'case.editDraft' && !isDraftOf(actor, c)) return false;
  // A token holds only what it was granted, whatever its relation would allow.
  return actor.kind !== 'integration' || actor.permissions.includes(action);
}

/**
 * Whether the actor reads the free text written about the person (case summary, reasons of
 * decisions). An integration reads statuses and decisions only: a département's payment or
 * information system needs to know what was decided, not why.
 */
export function readsCaseNarrative(actor: Actor): boolean {
  return actor.kind !== 'integration';
}

/**
 * The SQL-side mirror of caseRelation: which cases a listing may even consider. Repositories
 * translate it into a WHERE clause so nothing foreign is loaded and then filtered.
 *
 * Every scope but the usager's carries `draftsOf`: the one account whose drafts it holds (null:
 * none), the mirror of isDraftOfAnother.
 */
export type CaseScope =
  | { readonly kind: 'none' }
  | { readonly kind: 'usager'; readonly tenantId: string; readonly accountId: string }
  | { readonly kind: 'tenant'; readonly tenantId: string; readonly draftsOf: string | null }
  | {
      readonly kind: 'instructeur';
      readonly tenantId: string;
      readonly accountId: string;
      readonly team: string | null;
      readonly draftsOf: string | null;
    }
  | {
      readonly kind: 'evaluateur';
      readonly tenantId: string;
      readonly accountId: string;
      readonly draftsOf: string | null;
    }
  /** Cases on the agenda of a session the member sits in, inside its window. */
  | {
      readonly kind: 'cdaph';
      readonly tenantId: string;
      readonly accountId: string;
      readonly draftsOf: string | null;
    };

/** The scope of cases the actor may list or load. Deny unless a rule below says otherwise. */
export function caseScope(actor: Actor): CaseScope {
  switch (actor.kind) {
    case 'usager':
      return { kind: 'usager', tenantId: actor.tenantId, accountId: actor.accountId };
    case 'staff':
      switch (actor.role) {
        case 'accueil':
        case 'responsable':
          return { kind: 'tenant', tenantId: actor.tenantId, draftsOf: actor.accountId };
        case 'instructeur':
          return {
            kind: 'instructeur',
            tenantId: actor.tenantId,
            accountId: actor.accountId,
            team: actor.team,
            draftsOf: actor.accountId,
          };
        case 'evaluateur':
          return {
            kind: 'evaluateur',
            tenantId: actor.tenantId,
            accountId: actor.accountId,
            draftsOf: actor.accountId,
          };
        case 'cdaph':
          return {
            kind: 'cdaph',
            tenantId: actor.tenantId,
            accountId: actor.accountId,
            draftsOf: actor.accountId,
          };
        default:
          return { kind: 'none' };
      }
    case 'integration':
      // Every submitted case of its tenant; what it may do with them is the token's permissions.
      // A recipient's token: none (it reaches its export only).
      if (actor.exportInstructionId !== null) return { kind: 'none' };
      return { kind: 'tenant', tenantId: actor.tenantId, draftsOf: null };
    default:
      return { kind: 'none' };
  }
}

/**
 * The transition to `to` that the actor's relation to the case may make from its status, or
 * undefined (the workflow table says who moves a case where).
 */
export function transitionFor(actor: Actor, c: CaseFacts, to: string): Transition | undefined {
  const relation = caseRelation(actor, c);
  const transition = findTransition(c.status, to);
  if (!transition || relation === null || !transition.by.includes(relation)) return undefined;
  return transition;
}

/** The statuses the actor may move the case to next, for the abilities shown with it. */
export function nextStatusesFor(actor: Actor, c: CaseFacts): CaseStatus[] {
  const relation = caseRelation(actor, c);
  if (relation === null) return [];
  return TRANSITIONS.filter((t) => t.from === c.status && t.by.includes(relation)).map((t) => t.to);
}
