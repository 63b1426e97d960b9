/**
 * Unit tests of the policy module, table-driven: roles x actions x relations. Every expected
 * value is written here from PRODUCT.md ("People and roles") and THREATS.md T1, never copied
 * from the code's own tables, so a drift in ROLE_GATES or ABILITIES fails a named row.
 */
import fc from 'fast-check';
import type { FastifyReply } from 'fastify';
import { describe, expect, it } from 'vitest';
import { NotFound, type Problem } from '../src/errors.js';
import { sendProblem } from '../src/http/error-handler.js';
import {
  ALL_ACTIONS,
  INTEGRATION_ACTIONS,
  passesRoleGate,
  type Action,
} from '../src/policy/actions.js';
import {
  STAFF_ROLES,
  accountOf,
  tenantOf,
  type Actor,
  type StaffRole,
} from '../src/policy/actor.js';
import { authorize, can, type Resource } from '../src/policy/authorize.js';
import { isSecondPerson } from '../src/policy/staff.policy.js';
import {
  MIN_ACTIVE_ADMINS,
  canBeReenabled,
  disableNeedsSecondAdmin,
  keepsEnoughAdmins,
  type AccountFacts,
} from '../src/policy/account.policy.js';
import {
  canOnCase,
  caseRelation,
  caseScope,
  onlyThroughBreakGlass,
  readsCaseNarrative,
  type CaseFacts,
} from '../src/policy/case.policy.js';
import { CASE_STATUSES, type CaseRelation } from '../src/policy/case-workflow.js';
import {
  agendaOpensOn,
  agendaWindowCovers,
  canOnCdaphSession,
  cdaphSessionScope,
  mayOpenSession,
  sessionTakesDecisions,
  type CdaphSessionFacts,
} from '../src/policy/cdaph-session.policy.js';
import {
  DOCUMENT_CATEGORIES,
  canReadDocument,
  canReviewDocument,
  canUploadDocument,
  mayReadMedical,
} from '../src/policy/document.policy.js';

// ---- Hand-built actors and cases -----------------------------------------------------------

const HOME = 'tenant-44';
const OTHER = 'tenant-85';
const ASSIGNED_INSTRUCTEUR = 'acc-instructeur-assigned';
const ASSIGNED_EVALUATEUR = 'acc-evaluateur-assigned';
const SUBJECT = 'acc-subject';
const REPRESENTATIVE = 'acc-representative';

type Subject =
  'anonymous' | 'usager' | 'operateur' | 'integration' | 'export-recipient' | StaffRole;
type StaffOverrides = Partial<{ accountId: string; tenantId: string; team: string | null }>;

const staff = (role: StaffRole, over: StaffOverrides = {}): Actor => ({
  kind: 'staff',
  role,
  accountId: `acc-${role}`,
  tenantId: HOME,
  team: null,
  ...over,
});
const usager = (accountId: string, tenantId = HOME): Actor => ({
  kind: 'usager',
  accountId,
  tenantId,
});
const OPERATEUR: Actor = { kind: 'operateur', accountId: 'acc-operateur' };
const ANON: Actor = { kind: 'anonymous' };
const integration = (permissions: readonly Action[], tenantId = HOME): Actor => ({
  kind: 'integration',
  tokenId: 'token-1',
  tenantId,
  permissions,
  exportInstructionId: null,
});
/**
 * A token granted every action there is, which the API never allows: the gate must still admit
 * only what an integration may ever hold.
 */
const OMNIPOTENT_TOKEN = integration(ALL_ACTIONS);

function actorFor(subject: Subject): Actor {
  if (subject === 'anonymous') return ANON;
  if (subject === 'operateur') return OPERATEUR;
  if (subject === 'integration') return OMNIPOTENT_TOKEN;
  // A recipient's token granted (wrongly) every action: only what the recipient does passes.
  if (subject === 'export-recipient') {
    return { ...integration(ALL_ACTIONS), exportInstructionId: 'ei-1' } as Actor;
  }
  if (subject === 'usager') return usager(SUBJECT);
  return staff(subject);
}

/** A case of HOME in evaluation, assigned, of team equipe-nord, with one valid representative. */
const aCase = (over: Partial<CaseFacts> = {}): CaseFacts => ({
  id: 'case-1',
  tenantId: HOME,
  personId: 'person-1',
  breakGlassAccountIds: [],
  status: 'evaluation',
  subjectAccountId: SUBJECT,
  representativeAccountIds: [REPRESENTATIVE],
  instructeurId: ASSIGNED_INSTRUCTEUR,
  evaluateurId: ASSIGNED_EVALUATEUR,
  team: 'equipe-nord',
  filedByAccountId: REPRESENTATIVE,
  cdaphMemberAccountIds: [],
  ...over,
});

// ---- Role gates ----------------------------------------------------------------------------

const WORKERS = ['accueil', 'instructeur', 'evaluateur', 'responsable'] as const;

/** Who may ever attempt each action, whatever the object. */
const EXPECTED_GATES: Record<Action, readonly Subject[]> = {
  'me.read': ['usager', 'operateur', ...STAFF_ROLES],
  // Everyone signed in changes their own password, and only their own.
  'me.changePassword': ['usager', 'operateur', ...STAFF_ROLES],
  'me.consultations': ['usager'],
  'me.export': ['usager'],
  'consultations.configure': ['dpo'],
  'audit.read': ['dpo'],
  'alert.read': ['dpo', 'admin'],
  'alert.manage': ['dpo', 'admin'],
  'alertChannel.manage': ['admin'],
  'alertChannel.list': ['dpo', 'admin'],
  'alertSettings.manage': ['dpo', 'admin'],
  'me.changeEmail': ['usager', 'operateur', ...STAFF_ROLES],
  // Everyone proves and manages their own second factor; staff must have one.
  'mfa.verify': ['usager', 'operateur', ...STAFF_ROLES],
  'mfa.manage': ['usager', 'operateur', ...STAFF_ROLES],
  // Usagers link FranceConnect, staff ProConnect (issue 4 item 7); the operator signs in with a
  // password only.
  'me.linkIdentity': ['usager', ...STAFF_ROLES],
  'me.unlinkIdentity': ['usager', ...STAFF_ROLES],
  // The usager declares whom they represent; an agent who handles files verifies it.
  'person.list': ['usager'],
  'person.declareRepresented': ['usager'],
  // Only a usager has a self to declare (once: the service refuses a second one).
  'person.declareSelf': ['usager'],
  // Agents who register and instruct files find a person by NIR; nobody else searches.
  'person.search': ['accueil', 'instructeur', 'responsable'],
  // Erasing a person is the DPO's decision and act, nobody else's.
  'person.erase': ['dpo'],
  'erasure.readCertificates': ['dpo'],
  'case.renew': ['usager', 'accueil'],
  'person.register': ['accueil'],
  'person.invite': ['accueil'],
  'invitation.claim': ['usager'],
  'mandate.list': ['accueil', 'instructeur', 'responsable'],
  'mandate.verify': ['accueil', 'instructeur', 'responsable'],
  // The responsable picks assignees; the tenant admin manages staff accounts.
  'staff.list': ['responsable', 'admin'],
  // Offboarding, re-enabling and ending sessions are the tenant admin's acts (THREATS.md T5);
  // a usager's sessions end as a support action, with a reason, an admin's too.
  'account.disable': ['admin'],
  'account.enable': ['admin'],
  'account.endSessions': ['admin'],
  'account.supportEndSessions': ['admin'],
  // Staff accounts and roles: the tenant admin asks, another admin of the tenant decides.
  'staff.request': ['admin'],
  'staff.listRequests': ['admin'],
  'staff.decide': ['admin'],
  'role.request': ['admin'],
  // Access reviews (PRODUCT.md: the DPO's too); responsables review their agents, admins the rest.
  'review.open': ['admin', 'dpo'],
  'review.listItems': ['responsable', 'admin', 'dpo'],
  'review.decide': ['responsable', 'admin', 'dpo'],
  // Integration tokens are the tenant admin's to issue and revoke, a second admin's to approve.
  'token.manage': ['admin'],
  'token.approve': ['admin'],
  // The CDAPH reads cases on its agenda; DPO, admin and operator read no case content. A
  // département's system follows statuses and decisions (issue 4, item 8), nothing more.
  'case.list': ['usager', ...WORKERS, 'cdaph', 'integration'],
  'case.read': ['usager', ...WORKERS, 'cdaph', 'integration'],
  // The usager files for themself; the accueil registers paper requests.
  'case.create': ['usager', 'accueil'],
  'case.editDraft': ['usager', 'accueil'],
  'case.transition': ['usager', ...WORKERS],
  'case.assign': ['responsable'],
  'case.breakGlass': ['instructeur', 'evaluateur'],
  'breakGlass.review': ['dpo'],
  // Decisions are recorded in the CDAPH session by its secretariat, the responsable.
  'case.decide': ['responsable'],
  'document.list': ['usager', ...WORKERS],
  'document.upload': ['usager', ...WORKERS],
  'document.read': ['usager', ...WORKERS],
  // The évaluateur médical reads the thread with the usager but does not write in it.
  'message.list': ['usager', ...WORKERS],
  'message.create': ['usager', 'accueil', 'instructeur', 'responsable'],
  // Internal notes are never shown to the usager.
  'note.list': [...WORKERS],
  'note.create': [...WORKERS],
  // The operator creates and lists départements, and does nothing inside one.
  'tenant.create': ['operateur'],
  'tenant.list': ['operateur'],
  'backup.read': ['operateur'],
  'me.notificationPreferences': ['usager'],
  // Reviewing pieces: the staff who handle cases (which piece, by whom: document.policy.ts).
  'document.review': ['accueil', 'instructeur', 'evaluateur', 'responsable'],
  // A mandate's proof: uploaded by its representative, read by them and by who verifies.
  'mandate.uploadProof': ['usager'],
  'mandate.readProof': ['usager', 'accueil', 'instructeur', 'responsable'],
  'mandate.end': ['usager', 'accueil', 'instructeur', 'responsable'],
  // CDAPH sessions: the responsable (the commission's secretariat) manages them; a member
  // lists and reads those they sit in (the object rule, below).
  'cdaphSession.list': ['responsable', 'cdaph'],
  'cdaphSession.read': ['responsable', 'cdaph'],
  'cdaphSession.manage': ['responsable'],
  'retention.read': ['dpo', 'admin', 'responsable'],
  'retention.configure': ['dpo'],
  'export.catalogue': ['responsable', 'admin', 'dpo'],
  'export.order': ['responsable', 'admin'],
  'export.list': ['responsable', 'admin', 'dpo'],
  'export.read': ['responsable', 'admin', 'dpo'],
  'export.approve': ['dpo'],
  // The orderer, or the recipient's system with the token bound to that export.
  'export.download': ['responsable', 'admin', 'export-recipient'],
  'export.mintRecipientToken': ['responsable', 'admin'],
  'export.acknowledge': ['dpo', 'export-recipient'],
  'export.cancelErasure': ['dpo'],
};

const SUBJECTS: readonly Subject[] = [
  'anonymous',
  'usager',
  'operateur',
  'integration',
  'export-recipient',
  ...STAFF_ROLES,
];

describe('role gates', () => {
  it('the expected table has a row for exactly every declared action', () => {
    expect(Object.keys(EXPECTED_GATES).sort()).toEqual([...ALL_ACTIONS].sort());
  });

  const rows = ALL_ACTIONS.flatMap((action) =>
    SUBJECTS.map((who) => [who, action, EXPECTED_GATES[action].includes(who)] as const),
  );
  it.each(rows)('%s on %s -> %s', (who, action, expected) => {
    expect(passesRoleGate(actorFor(who), action)).toBe(expected);
  });

  it('an integration passes only for the actions its own token holds', () => {
    const listOnly = integration(['case.list']);
    expect(passesRoleGate(listOnly, 'case.list')).toBe(true);
    expect(passesRoleGate(listOnly, 'case.read')).toBe(false);
    for (const action of ALL_ACTIONS) expect(passesRoleGate(integration([]), action)).toBe(false);
  });

  it('the actions an integration may hold never reach documents, messages or notes', () => {
    expect([...INTEGRATION_ACTIONS].sort()).toEqual(['case.list', 'case.read']);
  });
});

// ---- Relations to a case -------------------------------------------------------------------

const c = aCase();
const other = { tenantId: OTHER };
type RelationRow = readonly [string, Actor, CaseRelation | null, CaseFacts?];
const RELATIONS: readonly RelationRow[] = [
  ['accueil, same tenant', staff('accueil'), 'accueil'],
  ['accueil, other tenant', staff('accueil', other), null],
  ['responsable, same tenant', staff('responsable'), 'responsable'],
  ['responsable, other tenant', staff('responsable', other), null],
  [
    'instructeur assigned, of another team',
    staff('instructeur', { accountId: ASSIGNED_INSTRUCTEUR, team: 'equipe-sud' }),
    'instructeur',
  ],
  ['instructeur of the case team', staff('instructeur', { team: 'equipe-nord' }), 'instructeur'],
  ['instructeur neither assigned nor of the team', staff('instructeur', { team: 'sud' }), null],
  [
    'instructeur without team, case without team',
    staff('instructeur'),
    null,
    aCase({ team: null, instructeurId: null }),
  ],
  [
    'instructeur assigned, other tenant',
    staff('instructeur', { ...other, accountId: ASSIGNED_INSTRUCTEUR }),
    null,
  ],
  [
    'instructeur of a same-named team, other tenant',
    staff('instructeur', { ...other, team: 'equipe-nord' }),
    null,
  ],
  ['evaluateur assigned', staff('evaluateur', { accountId: ASSIGNED_EVALUATEUR }), 'evaluateur'],
  ['evaluateur not assigned', staff('evaluateur'), null],
  ['evaluateur of the case team only', staff('evaluateur', { team: 'equipe-nord' }), null],
  [
    'evaluateur assigned, other tenant',
    staff('evaluateur', { ...other, accountId: ASSIGNED_EVALUATEUR }),
    null,
  ],
  [
    'cdaph, other tenant, sitting in a session with the case on its agenda',
    staff('cdaph', other),
    null,
    aCase({ status: 'attente_cdaph', cdaphMemberAccountIds: ['acc-cdaph'] }),
  ],
  [
    'cdaph sitting in a session with the case on its agenda',
    staff('cdaph'),
    'cdaph',
    aCase({ status: 'attente_cdaph', cdaphMemberAccountIds: ['acc-cdaph'] }),
  ],
  [
    'cdaph, case on the agenda of a session another member sits in',
    staff('cdaph'),
    null,
    aCase({ status: 'attente_cdaph', cdaphMemberAccountIds: ['acc-cdaph-other'] }),
  ],
  ['dpo, same tenant', staff('dpo'), null],
  ['admin, same tenant', staff('admin'), null],
  [
    'dpo holding the assigned id and the team',
    staff('dpo', { accountId: ASSIGNED_INSTRUCTEUR, team: 'equipe-nord' }),
    null,
  ],
  ['operateur', OPERATEUR, null],
  ['anonymous', ANON, null],
  ['usager, subject of the case', usager(SUBJECT), 'usager'],
  ['usager, representative with a valid verified mandate', usager(REPRESENTATIVE), 'usager'],
  ['usager, mandate not listed (expired or unverified)', usager('acc-lapsed'), null],
  ['usager, another person', usager('acc-stranger'), null],
  ['usager, subject id but other tenant', usager(SUBJECT, OTHER), null],
  ['usager, representative id but other tenant', usager(REPRESENTATIVE, OTHER), null],
  ['usager, subject without account', usager('acc-x'), null, aCase({ subjectAccountId: null })],
  ['integration, same tenant', integration(['case.read']), 'integration'],
  ['integration, other tenant', integration(['case.read'], OTHER), null],
];
const RELATION_ROWS = RELATIONS.map(([name, actor, expected, facts = c]) => ({
  name,
  actor,
  expected,
  facts,
}));
const UNRELATED = RELATION_ROWS.filter((row) => row.expected === null);

describe('caseRelation', () => {
  it.each(RELATION_ROWS)('$name -> $expected', ({ actor, expected, facts }) => {
    expect(caseRelation(actor, facts)).toBe(expected);
  });

  // PRODUCT.md: the CDAPH member "reads the synthesis of cases on a commission agenda": the
  // agenda of a session they sit in (the repository lists them only inside its window), not
  // every case awaiting the commission.
  it.each(CASE_STATUSES)('cdaph of the same tenant and a case in %s', (status) => {
    expect(caseRelation(staff('cdaph'), aCase({ status }))).toBeNull();
    const sitting = aCase({ status, cdaphMemberAccountIds: ['acc-cdaph'] });
    expect(caseRelation(staff('cdaph'), sitting)).toBe(status === 'brouillon' ? null : 'cdaph');
  });
});

// ---- What each relation may do on a case ---------------------------------------------------

const DOCS: readonly Action[] = ['document.list', 'document.upload', 'document.read'];
const TALK: readonly Action[] = ['message.list', 'message.create'];
const NOTES: readonly Action[] = ['note.list', 'note.create'];

/** From PRODUCT.md "People and roles", per relation to the case. */
const EXPECTED_ON_CASE: Record<CaseRelation, readonly Action[]> = {
  // case.editDraft: only the author of a draft (tested below); this case is long submitted.
  // case.renew: whoever files for the person asks again (the service says when a case can be).
  usager: ['case.read', 'case.transition', 'case.renew', ...DOCS, ...TALK],
  accueil: [
    'case.read',
    'case.transition',
    'case.renew',
    ...DOCS,
    'document.review',
    ...TALK,
    ...NOTES,
  ],
  // The instructeur prepares the decision; the secretariat records it in the session.
  instructeur: ['case.read', 'case.transition', ...DOCS, 'document.review', ...TALK, ...NOTES],
  evaluateur: [
    'case.read',
    'case.transition',
    ...DOCS,
    'document.review',
    'message.list',
    ...NOTES,
  ],
  responsable: [
    'case.read',
    'case.transition',
    'case.assign',
    'case.decide',
    ...DOCS,
    'document.review',
    ...TALK,
    ...NOTES,
  ],
  cdaph: ['case.read'],
  integration: ['case.read'],
};

// On the CDAPH agenda, so that every relation, cdaph included, exists for this one case.
const agenda = aCase({ status: 'attente_cdaph', cdaphMemberAccountIds: ['acc-cdaph'] });
const WITH: Record<CaseRelation, Actor> = {
  usager: usager(REPRESENTATIVE),
  accueil: staff('accueil'),
  instructeur: staff('instructeur', { team: 'equipe-nord' }),
  evaluateur: staff('evaluateur', { accountId: ASSIGNED_EVALUATEUR }),
  responsable: staff('responsable'),
  cdaph: staff('cdaph'),
  integration: OMNIPOTENT_TOKEN,
};
const RELATION_NAMES = Object.keys(WITH) as CaseRelation[];

describe('canOnCase and can() on a case', () => {
  const rows = RELATION_NAMES.flatMap((relation) =>
    ALL_ACTIONS.map((a) => [relation, a, EXPECTED_ON_CASE[relation].includes(a)] as const),
  );
  it.each(rows)('%s on %s -> %s', (relation, action, expected) => {
    const actor = WITH[relation];
    expect(caseRelation(actor, agenda)).toBe(relation);
    expect(canOnCase(actor, action, agenda)).toBe(expected);
    expect(can(actor, action, { type: 'case', id: agenda.id, case: agenda })).toBe(expected);
  });

  it('a draft is edited by the account that opened it, and only while it is a draft', () => {
    const draft = aCase({ status: 'brouillon', filedByAccountId: REPRESENTATIVE });
    const edits = (actor: Actor, facts: CaseFacts) => canOnCase(actor, 'case.editDraft', facts);
    expect(edits(usager(REPRESENTATIVE), draft)).toBe(true);
    // The person it is about reads it but does not rewrite it; an agent does not even reach it.
    expect(canOnCase(usager(SUBJECT), 'case.read', draft)).toBe(true);
    expect(edits(usager(SUBJECT), draft)).toBe(false);
    expect(edits(staff('accueil'), draft)).toBe(false);
    expect(canOnCase(staff('accueil'), 'case.read', draft)).toBe(false);
    expect(edits(usager(REPRESENTATIVE), { ...draft, status: 'depose' })).toBe(false);
    // A paper request the accueil registered is that agent's draft.
    const paper = aCase({ status: 'brouillon', filedByAccountId: 'acc-accueil' });
    expect(edits(staff('accueil'), paper)).toBe(true);
    expect(edits(staff('accueil', { accountId: 'acc-other-accueil' }), paper)).toBe(false);
  });

  it.each(UNRELATED)('nothing at all without a relation: $name', ({ actor, facts }) => {
    for (const action of ALL_ACTIONS) expect(canOnCase(actor, action, facts), action).toBe(false);
  });

  it('an integration of the tenant does only what its token holds', () => {
    const listOnly = integration(['case.list']);
    expect(caseRelation(listOnly, agenda)).toBe('integration');
    for (const action of ALL_ACTIONS) {
      expect(canOnCase(listOnly, action, agenda), action).toBe(false);
      expect(can(listOnly, action, { type: 'case', id: agenda.id, case: agenda }), action).toBe(
        false,
      );
    }
  });

  it('a recipient’s token reaches no case, whatever its permissions say', () => {
    const bound = { ...integration(ALL_ACTIONS), exportInstructionId: 'ei-1' } as Actor;
    expect(caseRelation(bound, agenda)).toBeNull();
    expect(caseScope(bound)).toEqual({ kind: 'none' });
    for (const action of ALL_ACTIONS) expect(canOnCase(bound, action, agenda), action).toBe(false);
  });

  it('only an integration is kept from the free text about the person', () => {
    expect(readsCaseNarrative(OMNIPOTENT_TOKEN)).toBe(false);
    for (const actor of Object.values(WITH).filter((a) => a.kind !== 'integration')) {
      expect(readsCaseNarrative(actor)).toBe(true);
    }
  });
});

// ---- Drafts --------------------------------------------------------------------------------

/**
 * README: a draft is its author's until it is submitted. Every agent who would reach the same
 * case once submitted, and the département's integration, has no relation to a draft someone
 * else opened; the accueil who keyed in a paper draft keeps it.
 */
describe('drafts reach no agent until submitted', () => {
  const STAFF_WITH_A_RELATION: ReadonlyArray<readonly [string, Actor]> = [
    ['accueil', staff('accueil')],
    ['responsable', staff('responsable')],
    ['instructeur assigned', staff('instructeur', { accountId: ASSIGNED_INSTRUCTEUR })],
    ['instructeur of the team', staff('instructeur', { team: 'equipe-nord' })],
    ['evaluateur assigned', staff('evaluateur', { accountId: ASSIGNED_EVALUATEUR })],
    ['instructeur holding a grant', staff('instructeur', { accountId: 'acc-granted' })],
    ['integration holding every action', OMNIPOTENT_TOKEN],
  ];
  const rows = STAFF_WITH_A_RELATION.map(([name, actor]) => ({ name, actor }));
  // Assigned, of a team, with a live grant: whatever would open it once submitted.
  const draft = aCase({
    status: 'brouillon',
    filedByAccountId: REPRESENTATIVE,
    breakGlassAccountIds: ['acc-granted'],
  });

  it.each(rows)('$name: no relation to a draft, one once it is submitted', ({ actor }) => {
    expect(caseRelation(actor, { ...draft, status: 'depose' })).not.toBeNull();
    expect(caseRelation(actor, draft)).toBeNull();
    for (const action of ALL_ACTIONS) {
      expect(canOnCase(actor, action, draft), action).toBe(false);
      expect(can(actor, action, { type: 'case', id: draft.id, case: draft }), action).toBe(false);
    }
    for (const category of DOCUMENT_CATEGORIES) {
      expect(canReadDocument(actor, category, draft), category).toBe(false);
      expect(canUploadDocument(actor, category, draft), category).toBe(false);
    }
  });

  it('no instructeur or évaluateur opens a draft by break-glass', () => {
    for (const actor of [staff('instructeur'), staff('evaluateur')]) {
      const resource: Resource = { type: 'case', id: draft.id, case: draft };
      expect(can(actor, 'case.breakGlass', resource)).toBe(false);
      expect(
        can(actor, 'case.breakGlass', { ...resource, case: { ...draft, status: 'depose' } }),
      ).toBe(true);
    }
  });

  it('a paper draft is the accueil’s who opened it, and no other agent’s', () => {
    const paper = aCase({ status: 'brouillon', filedByAccountId: 'acc-accueil' });
    expect(caseRelation(staff('accueil'), paper)).toBe('accueil');
    for (const action of [...EXPECTED_ON_CASE.accueil, 'case.editDraft'] as const) {
      expect(canOnCase(staff('accueil'), action, paper), action).toBe(true);
    }
    expect(caseRelation(staff('accueil', { accountId: 'acc-other-accueil' }), paper)).toBeNull();
    expect(caseRelation(staff('responsable'), paper)).toBeNull();
    expect(caseRelation(staff('accueil', { tenantId: OTHER }), paper)).toBeNull();
  });

  it('the person it is about and their representatives see it; only the author edits it', () => {
    for (const who of [SUBJECT, REPRESENTATIVE]) {
      expect(caseRelation(usager(who), draft), who).toBe('usager');
      expect(canOnCase(usager(who), 'case.read', draft), who).toBe(true);
    }
    expect(canOnCase(usager(SUBJECT), 'case.editDraft', draft)).toBe(false);
    expect(canOnCase(usager(REPRESENTATIVE), 'case.editDraft', draft)).toBe(true);
  });

  it('the SQL scope of every agent and integration holds only its own drafts', () => {
    for (const role of STAFF_ROLES) {
      const scope = caseScope(staff(role));
      if (scope.kind === 'none') continue;
      expect(scope, role).toMatchObject({ draftsOf: `acc-${role}` });
    }
    expect(caseScope(OMNIPOTENT_TOKEN)).toMatchObject({ kind: 'tenant', draftsOf: null });
    expect(caseScope(usager(SUBJECT))).not.toHaveProperty('draftsOf');
  });
});

// ---- Documents -----------------------------------------------------------------------------

const MEDICAL_READERS: ReadonlyArray<readonly [string, Actor, boolean]> = [
  ['evaluateur assigned', WITH.evaluateur, true],
  ['usager, subject', usager(SUBJECT), true],
  ['usager, representative', WITH.usager, true],
  ['instructeur assigned', staff('instructeur', { accountId: ASSIGNED_INSTRUCTEUR }), false],
  ['instructeur of the team', WITH.instructeur, false],
  ['responsable', WITH.responsable, false],
  ['accueil', WITH.accueil, false],
  ['cdaph', WITH.cdaph, false],
  ['evaluateur not assigned', staff('evaluateur'), false],
  [
    'evaluateur assigned, other tenant',
    staff('evaluateur', { ...other, accountId: ASSIGNED_EVALUATEUR }),
    false,
  ],
  ['dpo', staff('dpo'), false],
  ['integration holding every action', OMNIPOTENT_TOKEN, false],
];

describe('documents', () => {
  const readers = MEDICAL_READERS.map(([name, actor, expected]) => ({ name, actor, expected }));
  // The CDAPH reads a synthesis; an integration reads statuses and decisions.
  const NO_DOCUMENTS: readonly CaseRelation[] = ['cdaph', 'integration'];
  it.each(readers)('$name may read medical documents: $expected', ({ actor, expected }) => {
    const doc: Resource = { type: 'document', id: 'd-1', category: 'medical', case: agenda };
    expect(mayReadMedical(actor, agenda)).toBe(expected);
    expect(canReadDocument(actor, 'medical', agenda)).toBe(expected);
    expect(can(actor, 'document.read', doc)).toBe(expected);
  });

  it.each([
    'instructeur',
    'responsable',
    'accueil',
    'evaluateur',
    'usager',
    'cdaph',
    'integration',
  ] as const)('%s reads the categories its relation allows', (relation) => {
    for (const category of DOCUMENT_CATEGORIES) {
      const expected =
        !NO_DOCUMENTS.includes(relation) &&
        (category !== 'medical' || relation === 'evaluateur' || relation === 'usager');
      expect(canReadDocument(WITH[relation], category, agenda), category).toBe(expected);
    }
  });

  // Decisions and letters are issued by the instruction; the cdaph uploads nothing.
  const uploads = RELATION_NAMES.flatMap((relation) =>
    DOCUMENT_CATEGORIES.map((category) => {
      const issuer = relation === 'instructeur' || relation === 'responsable';
      const expected = !NO_DOCUMENTS.includes(relation) && (category !== 'decision' || issuer);
      return [relation, category, expected] as const;
    }),
  );
  it.each(uploads)('%s uploads a %s document -> %s', (relation, category, expected) => {
    const target: Resource = { type: 'new-document', id: agenda.id, category, case: agenda };
    expect(canUploadDocument(WITH[relation], category, agenda)).toBe(expected);
    expect(can(WITH[relation], 'document.upload', target)).toBe(expected);
  });

  it('a document resource answers to read and review only, a new one to upload only', () => {
    const doc: Resource = { type: 'document', id: 'd-1', category: 'identity', case: agenda };
    const fresh: Resource = { ...doc, type: 'new-document' };
    for (const action of ALL_ACTIONS) {
      expect(can(WITH.responsable, action, doc), action).toBe(
        action === 'document.read' || action === 'document.review',
      );
      expect(can(WITH.responsable, action, fresh), action).toBe(action === 'document.upload');
    }
  });

  it.each(UNRELATED)('no document in or out without a relation: $name', ({ actor, facts: f }) => {
    for (const category of DOCUMENT_CATEGORIES) {
      expect(canReadDocument(actor, category, f), category).toBe(false);
      expect(canUploadDocument(actor, category, f), category).toBe(false);
    }
  });
});

// ---- authorize(): refused and missing look alike -------------------------------------------

/** The status and bytes the one error handler sends for a problem. */
function rendered(problem: Problem): { status: number; body: string } {
  const sent = { status: 0, body: '' };
  const reply = {
    code: (s: number) => ((sent.status = s), reply),
    type: () => reply,
    header: () => reply,
    send: (b: string) => ((sent.body = b), reply),
  };
  sendProblem(reply as unknown as FastifyReply, problem);
  return sent;
}

function thrownBy(fn: () => void): NotFound {
  try {
    fn();
  } catch (error) {
    if (error instanceof NotFound) return error;
    throw error;
  }
  throw new Error('authorize did not throw');
}

describe('authorize', () => {
  const id = 'case-secret-id';
  const resource = { type: 'case' as const, id, case: aCase() };
  const foreign = staff('accueil', other);
  // Built inside each test, so that an authorize() that stops throwing fails a named test.
  const missing = () =>
    thrownBy(() => authorize(staff('accueil'), 'case.read', null, { type: 'case', id }));
  const refused = () =>
    thrownBy(() => authorize(foreign, 'case.read', resource, { type: 'case', id }));
  const outOfScope = () =>
    thrownBy(() =>
      authorize(foreign, 'case.read', undefined, { type: 'case', id, existsOutOfScope: true }),
    );

  it('lets an allowed actor through', () => {
    expect(() =>
      authorize(staff('accueil'), 'case.read', resource, { type: 'case', id }),
    ).not.toThrow();
  });

  it.each([
    ['refused', refused],
    ['out of scope', outOfScope],
  ])('a %s object throws the same public problem as a missing one', (_name, make) => {
    const error = make();
    const absent = missing();
    expect(error.status).toBe(404);
    expect([error.type, error.title, error.detail, error.message]).toEqual([
      absent.type,
      absent.title,
      absent.detail,
      absent.message,
    ]);
    expect(rendered(error)).toEqual(rendered(absent));
  });

  it('keeps the reason server-side, for the security event only', () => {
    const errors = [missing(), refused(), outOfScope()];
    expect(errors.map((e) => e.refusal?.reason)).toEqual(['missing', 'refused', 'refused']);
    for (const error of errors) {
      const { body } = rendered(error);
      expect(JSON.parse(body)).toEqual({
        type: 'urn:cloison:problem:not-found',
        title: 'Ressource introuvable',
        status: 404,
      });
      for (const secret of ['refused', 'missing', id, 'case.read', HOME, OTHER]) {
        expect(body + error.message).not.toContain(secret);
      }
    }
  });
});

// ---- Persons (who may open a case for whom) and mandates (who may verify them) -------------

const PERSON: Resource = {
  type: 'person',
  id: 'person-1',
  tenantId: HOME,
  accountId: SUBJECT,
  representativeAccountIds: [REPRESENTATIVE],
};
const CHILD: Resource = { ...PERSON, accountId: null };

describe('can() on persons: case.create', () => {
  const rows: ReadonlyArray<readonly [string, Actor, Resource, boolean]> = [
    ['usager for their own person', usager(SUBJECT), PERSON, true],
    ['usager for a represented adult', usager(REPRESENTATIVE), PERSON, true],
    ['usager for a represented minor (no account)', usager(REPRESENTATIVE), CHILD, true],
    ['usager whose mandate is not listed', usager('acc-lapsed'), PERSON, false],
    ['usager, own id, person of another tenant', usager(SUBJECT, OTHER), PERSON, false],
    ['accueil of the same tenant (paper request)', staff('accueil'), PERSON, true],
    ['accueil of another tenant', staff('accueil', other), PERSON, false],
    ...(['instructeur', 'evaluateur', 'responsable', 'cdaph', 'dpo', 'admin'] as const).map(
      (role) => [`${role} of the same tenant`, staff(role), PERSON, false] as const,
    ),
    ['operateur', OPERATEUR, PERSON, false],
    ['anonymous', ANON, CHILD, false],
  ];
  const named = rows.map(([name, actor, person, expected]) => ({ name, actor, person, expected }));
  it.each(named)('$name -> $expected', ({ actor, person, expected }) => {
    expect(can(actor, 'case.create', person)).toBe(expected);
  });

  it('a person answers to no other action, even for its owner', () => {
    for (const action of ALL_ACTIONS.filter((a) => a !== 'case.create')) {
      expect(can(usager(SUBJECT), action, PERSON), action).toBe(false);
      expect(can(staff('accueil'), action, PERSON), action).toBe(false);
    }
  });
});

describe('can() on mandates: mandate.verify', () => {
  const mandate: Resource = {
    type: 'mandate',
    id: 'mandate-1',
    tenantId: HOME,
    representativeAccountId: REPRESENTATIVE,
  };
  const verifiers: readonly StaffRole[] = ['accueil', 'instructeur', 'responsable'];
  const rows: ReadonlyArray<readonly [string, Actor, boolean]> = [
    ...STAFF_ROLES.map(
      (r) => [`${r} of the same tenant`, staff(r), verifiers.includes(r)] as const,
    ),
    ...verifiers.map((r) => [`${r} of another tenant`, staff(r, other), false] as const),
    ['the representative themself', usager(REPRESENTATIVE), false],
    ['operateur', OPERATEUR, false],
    ['anonymous', ANON, false],
  ];
  const named = rows.map(([name, actor, expected]) => ({ name, actor, expected }));
  it.each(named)('$name -> $expected', ({ actor, expected }) => {
    expect(can(actor, 'mandate.verify', mandate)).toBe(expected);
  });

  it('a mandate answers to no other action than verifying, reading its proof, ending it', () => {
    const agentActions: readonly Action[] = ['mandate.verify', 'mandate.readProof', 'mandate.end'];
    for (const action of ALL_ACTIONS.filter((a) => !agentActions.includes(a))) {
      expect(can(staff('responsable'), action, mandate), action).toBe(false);
    }
  });
});

describe('can() on mandates: proofs and ending', () => {
  const mandate: Resource = {
    type: 'mandate',
    id: 'mandate-1',
    tenantId: HOME,
    representativeAccountId: REPRESENTATIVE,
  };
  const rows: ReadonlyArray<readonly [string, Actor, Action, boolean]> = [
    ['the representative uploads the proof', usager(REPRESENTATIVE), 'mandate.uploadProof', true],
    ['the representative reads it', usager(REPRESENTATIVE), 'mandate.readProof', true],
    ['the representative ends it', usager(REPRESENTATIVE), 'mandate.end', true],
    ['the representative does not verify it', usager(REPRESENTATIVE), 'mandate.verify', false],
    ['the person represented uploads nothing', usager(SUBJECT), 'mandate.uploadProof', false],
    ['another usager reads nothing', usager(SUBJECT), 'mandate.readProof', false],
    ['another usager ends nothing', usager(SUBJECT), 'mandate.end', false],
    ['own id, other tenant', usager(REPRESENTATIVE, OTHER), 'mandate.readProof', false],
    ['an agent reads the proof', staff('accueil'), 'mandate.readProof', true],
    ['an agent ends it', staff('instructeur'), 'mandate.end', true],
    ['an agent uploads no proof', staff('accueil'), 'mandate.uploadProof', false],
    [
      'an agent of another tenant reads nothing',
      staff('accueil', other),
      'mandate.readProof',
      false,
    ],
    ['an évaluateur reads no proof', staff('evaluateur'), 'mandate.readProof', false],
    ['a dpo ends nothing', staff('dpo'), 'mandate.end', false],
    ['operateur', OPERATEUR, 'mandate.readProof', false],
  ];
  const named = rows.map(([name, actor, action, expected]) => ({ name, actor, action, expected }));
  it.each(named)('$name -> $expected', ({ actor, action, expected }) => {
    expect(can(actor, action, mandate)).toBe(expected);
  });
});

describe('can() on documents: document.review', () => {
  // document.policy.ts: medical pieces only by the évaluateur of the case; the others by the
  // accueil and the instruction; never the usager, the cdaph or a token.
  const rows = RELATION_NAMES.flatMap((relation) =>
    (['medical', 'identity'] as const).map((category) => {
      const expected =
        category === 'medical'
          ? relation === 'evaluateur'
          : ['accueil', 'instructeur', 'responsable'].includes(relation);
      return [relation, category, expected] as const;
    }),
  );
  it.each(rows)('%s reviews a %s piece -> %s', (relation, category, expected) => {
    const doc: Resource = { type: 'document', id: 'd-1', category, case: agenda };
    expect(canReviewDocument(WITH[relation], category, agenda)).toBe(expected);
    expect(can(WITH[relation], 'document.review', doc)).toBe(expected);
  });

  it('an évaluateur not assigned, or there by break-glass only, reviews nothing', () => {
    const doc: Resource = { type: 'document', id: 'd-1', category: 'medical', case: agenda };
    expect(
      can(staff('evaluateur', { accountId: 'acc-other-evaluateur' }), 'document.review', doc),
    ).toBe(false);
    const glass = { ...agenda, evaluateurId: null, breakGlassAccountIds: [ASSIGNED_EVALUATEUR] };
    const glassDoc: Resource = { ...doc, case: glass };
    expect(can(WITH.evaluateur, 'document.read', glassDoc)).toBe(true);
    expect(can(WITH.evaluateur, 'document.review', glassDoc)).toBe(false);
  });
});

describe('can() on integration tokens: token.manage and token.approve', () => {
  const CREATOR = 'acc-admin';
  const token: Resource = {
    type: 'integration-token',
    id: 'token-1',
    tenantId: HOME,
    createdBy: CREATOR,
  };
  const secondAdmin = staff('admin', { accountId: 'acc-admin-2' });
  const rows: ReadonlyArray<readonly [string, Actor, boolean, boolean]> = [
    // [who, actor, may manage (list, revoke), may approve]
    ['the admin who created it', staff('admin', { accountId: CREATOR }), true, false],
    ['another admin of the tenant', secondAdmin, true, true],
    [
      'an admin of another tenant',
      staff('admin', { ...other, accountId: 'acc-admin-85' }),
      false,
      false,
    ],
    ...STAFF_ROLES.filter((r) => r !== 'admin').map(
      (r) => [`${r} of the same tenant`, staff(r), false, false] as const,
    ),
    ['the token itself', OMNIPOTENT_TOKEN, false, false],
    ['usager', usager(SUBJECT), false, false],
    ['operateur', OPERATEUR, false, false],
    ['anonymous', ANON, false, false],
  ];
  const named = rows.map(([name, actor, manage, approve]) => ({ name, actor, manage, approve }));
  it.each(named)('$name: manage $manage, approve $approve', ({ actor, manage, approve }) => {
    expect(can(actor, 'token.manage', token)).toBe(manage);
    expect(can(actor, 'token.approve', token)).toBe(approve);
  });

  it('a token answers to no other action', () => {
    for (const action of ALL_ACTIONS.filter((a) => !a.startsWith('token.'))) {
      expect(can(secondAdmin, action, token), action).toBe(false);
    }
  });
});

describe('can() on passkeys and alerts', () => {
  const key: Resource = { type: 'passkey', id: 'pk-1', accountId: 'acc-owner' };
  it('a passkey is managed by its own account only', () => {
    expect(can(usager('acc-owner'), 'mfa.manage', key)).toBe(true);
    expect(can(staff('admin', { accountId: 'acc-owner' }), 'mfa.manage', key)).toBe(true);
    for (const actor of [usager('acc-other'), staff('admin'), staff('dpo'), OPERATEUR, ANON]) {
      expect(can(actor, 'mfa.manage', key)).toBe(false);
    }
    expect(can(usager('acc-owner'), 'mfa.verify', key)).toBe(false);
    expect(can(OMNIPOTENT_TOKEN, 'mfa.manage', key)).toBe(false);
  });

  it('an alert is closed by the DPO or admin of its own département only', () => {
    const alert: Resource = { type: 'alert', id: 'al-1', tenantId: HOME, subject: 'acc-usager-x' };
    expect(can(staff('dpo'), 'alert.manage', alert)).toBe(true);
    expect(can(staff('admin'), 'alert.manage', alert)).toBe(true);
    expect(can(staff('dpo', other), 'alert.manage', alert)).toBe(false);
    for (const role of STAFF_ROLES.filter((r) => r !== 'dpo' && r !== 'admin')) {
      expect(can(staff(role), 'alert.manage', alert), role).toBe(false);
    }
    expect(can(staff('dpo'), 'alert.read', alert)).toBe(false);
    const platform: Resource = { type: 'alert', id: 'al-2', tenantId: null, subject: 'acc-x' };
    expect(can(staff('dpo'), 'alert.manage', platform)).toBe(false);
    expect(can(OPERATEUR, 'alert.manage', platform)).toBe(false);
    // Whoever an alert watches does not close it.
    const aboutAdmin: Resource = {
      type: 'alert',
      id: 'al-3',
      tenantId: HOME,
      subject: 'acc-admin',
    };
    expect(can(staff('admin'), 'alert.manage', aboutAdmin)).toBe(false);
    expect(can(staff('dpo'), 'alert.manage', aboutAdmin)).toBe(true);
    const qualified: Resource = { ...aboutAdmin, subject: 'acc-admin:case-1' };
    expect(can(staff('admin'), 'alert.manage', qualified)).toBe(false);
  });

  it('an alert channel is changed by an admin of its own département only', () => {
    const channel: Resource = { type: 'alert-channel', id: 'ch-1', tenantId: HOME };
    expect(can(staff('admin'), 'alertChannel.manage', channel)).toBe(true);
    expect(can(staff('admin', other), 'alertChannel.manage', channel)).toBe(false);
    for (const role of STAFF_ROLES.filter((r) => r !== 'admin')) {
      expect(can(staff(role), 'alertChannel.manage', channel), role).toBe(false);
    }
    // Listing is a route-level read of one's own tenant, never an action on one channel.
    expect(can(staff('admin'), 'alertChannel.list', channel)).toBe(false);
    expect(can(staff('admin'), 'alert.manage', channel)).toBe(false);
    for (const actor of [usager(SUBJECT), OPERATEUR, ANON, OMNIPOTENT_TOKEN]) {
      expect(can(actor, 'alertChannel.manage', channel)).toBe(false);
    }
  });
});

describe('break-glass', () => {
  const stranger = staff('instructeur', { accountId: 'acc-instructeur-stranger' });
  const strangerEvaluateur = staff('evaluateur', { accountId: 'acc-evaluateur-stranger' });
  const caseOf = (over: Partial<CaseFacts> = {}): Resource => ({
    type: 'case',
    id: 'case-1',
    case: aCase(over),
  });

  it('only an instructeur or évaluateur of the département who does not reach the case may break the glass', () => {
    expect(can(stranger, 'case.breakGlass', caseOf())).toBe(true);
    expect(can(strangerEvaluateur, 'case.breakGlass', caseOf())).toBe(true);
    // Already reaching it: a grant would widen nothing it needs.
    expect(
      can(staff('instructeur', { accountId: ASSIGNED_INSTRUCTEUR }), 'case.breakGlass', caseOf()),
    ).toBe(false);
    expect(can(staff('instructeur', { team: 'equipe-nord' }), 'case.breakGlass', caseOf())).toBe(
      false,
    );
    expect(
      can(
        staff('instructeur', { accountId: 'acc-x', tenantId: OTHER }),
        'case.breakGlass',
        caseOf(),
      ),
    ).toBe(false);
    for (const role of STAFF_ROLES.filter((r) => r !== 'instructeur' && r !== 'evaluateur')) {
      expect(can(staff(role), 'case.breakGlass', caseOf()), role).toBe(false);
    }
    expect(can(usager(SUBJECT), 'case.breakGlass', caseOf())).toBe(false);
    expect(can(OMNIPOTENT_TOKEN, 'case.breakGlass', caseOf())).toBe(false);
  });

  it('a live grant gives its holder the relation of their role, and nobody else anything', () => {
    const granted = aCase({ breakGlassAccountIds: ['acc-instructeur-stranger'] });
    expect(caseRelation(stranger, granted)).toBe('instructeur');
    expect(canOnCase(stranger, 'case.read', granted)).toBe(true);
    // Reading only: deciding, moving, writing stay with the case's assignees.
    for (const action of [
      'case.transition',
      'case.decide',
      'document.upload',
      'message.create',
      'note.create',
    ] as const) {
      expect(canOnCase(stranger, action, granted), action).toBe(false);
    }
    expect(canUploadDocument(stranger, 'decision', granted)).toBe(false);
    expect(onlyThroughBreakGlass(stranger, granted)).toBe(true);
    expect(caseRelation(strangerEvaluateur, granted)).toBeNull();
    expect(
      onlyThroughBreakGlass(staff('instructeur', { accountId: ASSIGNED_INSTRUCTEUR }), {
        ...granted,
        breakGlassAccountIds: [ASSIGNED_INSTRUCTEUR],
      }),
    ).toBe(false);
    // A grant never reaches a role that has no case relation (the DPO, the admin).
    const dpoGrant = aCase({ breakGlassAccountIds: ['acc-dpo'] });
    expect(caseRelation(staff('dpo'), dpoGrant)).toBeNull();
    // Nor crosses départements.
    const foreign = staff('instructeur', { accountId: 'acc-far', tenantId: OTHER });
    expect(caseRelation(foreign, aCase({ breakGlassAccountIds: ['acc-far'] }))).toBeNull();
  });

  it('a grant is reviewed by the DPO of its département, never by its holder', () => {
    const grant: Resource = {
      type: 'break-glass-grant',
      id: 'bg-1',
      tenantId: HOME,
      accountId: 'acc-instructeur-stranger',
    };
    expect(can(staff('dpo'), 'breakGlass.review', grant)).toBe(true);
    expect(can(staff('dpo', other), 'breakGlass.review', grant)).toBe(false);
    expect(
      can(staff('dpo', { accountId: 'acc-instructeur-stranger' }), 'breakGlass.review', grant),
    ).toBe(false);
    expect(can(staff('admin'), 'breakGlass.review', grant)).toBe(false);
  });
});

describe('can() on the staff lifecycle', () => {
  it('the two-person rule: neither the requester nor the person a grant is for decides it', () => {
    const grant = { requestedBy: 'acc-admin-1', accountId: 'acc-new' };
    expect(isSecondPerson(staff('admin', { accountId: 'acc-admin-2' }), grant)).toBe(true);
    expect(isSecondPerson(staff('admin', { accountId: 'acc-admin-1' }), grant)).toBe(false);
    expect(isSecondPerson(staff('admin', { accountId: 'acc-new' }), grant)).toBe(false);
    expect(isSecondPerson(usager('acc-admin-2'), grant)).toBe(false);
  });

  const account: Resource = { type: 'staff-account', id: 'acc-x', tenantId: HOME };
  const grant: Resource = { type: 'role-grant', id: 'grant-1', tenantId: HOME };
  const item: Resource = {
    type: 'review-item',
    id: 'item-1',
    tenantId: HOME,
    accountId: 'acc-reviewed',
    reviewerId: 'acc-reviewer',
  };
  const rows: ReadonlyArray<readonly [string, Actor, Action, Resource, boolean]> = [
    ...STAFF_ROLES.map(
      (r) => [`${r} asks for a role`, staff(r), 'role.request', account, r === 'admin'] as const,
    ),
    [
      'admin of another tenant asks for a role',
      staff('admin', other),
      'role.request',
      account,
      false,
    ],
    ...STAFF_ROLES.map(
      (r) => [`${r} decides a request`, staff(r), 'staff.decide', grant, r === 'admin'] as const,
    ),
    ['admin of another tenant decides', staff('admin', other), 'staff.decide', grant, false],
    [
      'the reviewer (responsable)',
      staff('responsable', { accountId: 'acc-reviewer' }),
      'review.decide',
      item,
      true,
    ],
    [
      'the reviewer (admin)',
      staff('admin', { accountId: 'acc-reviewer' }),
      'review.decide',
      item,
      true,
    ],
    ['another responsable', staff('responsable'), 'review.decide', item, false],
    ['an admin not assigned', staff('admin'), 'review.decide', item, false],
    [
      'the reviewer, of another tenant',
      staff('responsable', { ...other, accountId: 'acc-reviewer' }),
      'review.decide',
      item,
      false,
    ],
    [
      'the reviewer as an agent (role changed since)',
      staff('instructeur', { accountId: 'acc-reviewer' }),
      'review.decide',
      item,
      false,
    ],
    [
      'the reviewed person themself',
      staff('admin', { accountId: 'acc-reviewed' }),
      'review.decide',
      { ...item, reviewerId: 'acc-reviewed' },
      false,
    ],
    ['operateur', OPERATEUR, 'staff.decide', grant, false],
    ['anonymous', ANON, 'review.decide', item, false],
  ];
  const named = rows.map(([name, actor, action, resource, expected]) => ({
    name,
    actor,
    action,
    resource,
    expected,
  }));
  it.each(named)('$name -> $expected', ({ actor, action, resource, expected }) => {
    expect(can(actor, action, resource)).toBe(expected);
  });

  it('each answers to no other action', () => {
    const admin = staff('admin', { accountId: 'acc-reviewer' });
    for (const action of ALL_ACTIONS) {
      if (action !== 'role.request') expect(can(admin, action, account), action).toBe(false);
      if (action !== 'staff.decide') expect(can(admin, action, grant), action).toBe(false);
      if (action !== 'review.decide') expect(can(admin, action, item), action).toBe(false);
    }
  });
});

// ---- Accounts: offboarding, re-enabling, sessions (THREATS.md T5) ---------------------------

describe('can() on accounts', () => {
  const account = (over: Partial<AccountFacts> = {}): Resource => ({
    type: 'account',
    id: 'acc-target',
    tenantId: HOME,
    kind: 'staff',
    role: 'instructeur',
    status: 'active',
    disabledReason: null,
    ...over,
  });
  const agent = account();
  const theUsager = account({ kind: 'usager', role: null });
  const self = account({ id: 'acc-admin', role: 'admin' });
  const admin = staff('admin');
  const rows: ReadonlyArray<readonly [string, Actor, Action, Resource, boolean]> = [
    ['the admin disables an agent', admin, 'account.disable', agent, true],
    [
      'the admin disables the DPO (the service asks a second admin)',
      admin,
      'account.disable',
      account({ role: 'dpo' }),
      true,
    ],
    ['the admin disables a usager', admin, 'account.disable', theUsager, false],
    ['the admin disables their own account', admin, 'account.disable', self, false],
    ['an admin of another tenant disables', staff('admin', other), 'account.disable', agent, false],
    ['the admin re-enables an agent', admin, 'account.enable', agent, true],
    ['the admin re-enables a usager', admin, 'account.enable', theUsager, false],
    ['the admin re-enables their own account', admin, 'account.enable', self, false],
    ['the admin ends an agent’s sessions', admin, 'account.endSessions', agent, true],
    ['the admin ends their own sessions', admin, 'account.endSessions', self, true],
    [
      'the admin ends a usager’s sessions without a reason',
      admin,
      'account.endSessions',
      theUsager,
      false,
    ],
    [
      'the admin ends a usager’s sessions as support',
      admin,
      'account.supportEndSessions',
      theUsager,
      true,
    ],
    ['support on a staff account', admin, 'account.supportEndSessions', agent, false],
    [
      'support in another tenant',
      staff('admin', other),
      'account.supportEndSessions',
      theUsager,
      false,
    ],
    ...STAFF_ROLES.filter((r) => r !== 'admin').map(
      (r) => [`${r} disables an agent`, staff(r), 'account.disable', agent, false] as const,
    ),
    ['usager', usager(SUBJECT), 'account.disable', agent, false],
    ['operateur', OPERATEUR, 'account.disable', account({ tenantId: null }), false],
    ['a token', OMNIPOTENT_TOKEN, 'account.endSessions', agent, false],
    ['anonymous', ANON, 'account.endSessions', agent, false],
  ];
  const named = rows.map(([name, actor, action, resource, expected]) => ({
    name,
    actor,
    action,
    resource,
    expected,
  }));
  it.each(named)('$name -> $expected', ({ actor, action, resource, expected }) => {
    expect(can(actor, action, resource)).toBe(expected);
  });

  it('an account answers to no other action', () => {
    const accountActions: Action[] = [
      'account.disable',
      'account.enable',
      'account.endSessions',
      'account.supportEndSessions',
    ];
    for (const action of ALL_ACTIONS.filter((a) => !accountActions.includes(a))) {
      expect(can(admin, action, agent), action).toBe(false);
      expect(can(admin, action, theUsager), action).toBe(false);
    }
  });

  it('a request to disable or re-enable is decided by an admin of its tenant only', () => {
    const request: Resource = { type: 'account-request', id: 'req-1', tenantId: HOME };
    expect(can(admin, 'staff.decide', request)).toBe(true);
    expect(can(staff('admin', other), 'staff.decide', request)).toBe(false);
    expect(can(staff('dpo'), 'staff.decide', request)).toBe(false);
    for (const action of ALL_ACTIONS.filter((a) => a !== 'staff.decide'))
      expect(can(admin, action, request), action).toBe(false);
  });

  it('disabling takes a second admin for a live admin or DPO only', () => {
    const facts = (role: string | null, status: 'active' | 'disabled' = 'active') => ({
      kind: 'staff' as const,
      role,
      status,
    });
    expect(disableNeedsSecondAdmin(facts('admin'))).toBe(true);
    expect(disableNeedsSecondAdmin(facts('dpo'))).toBe(true);
    for (const role of ['accueil', 'instructeur', 'evaluateur', 'responsable', 'cdaph', null])
      expect(disableNeedsSecondAdmin(facts(role)), String(role)).toBe(false);
    // A creation not yet activated holds its role but was never live: stopping it is immediate.
    expect(disableNeedsSecondAdmin(facts('admin', 'disabled'))).toBe(false);
    expect(disableNeedsSecondAdmin({ kind: 'usager', role: 'admin', status: 'active' })).toBe(
      false,
    );
  });

  it('only a staff account disabled by offboarding or dormancy may be re-enabled', () => {
    const facts = (disabledReason: string | null, status: 'active' | 'disabled' = 'disabled') => ({
      kind: 'staff' as const,
      status,
      disabledReason,
    });
    expect(canBeReenabled(facts('offboarded'))).toBe(true);
    expect(canBeReenabled(facts('dormant'))).toBe(true);
    for (const reason of ['awaiting-approval', 'awaiting-activation', null])
      expect(canBeReenabled(facts(reason)), String(reason)).toBe(false);
    expect(canBeReenabled(facts(null, 'active'))).toBe(false);
    expect(
      canBeReenabled({ kind: 'usager', status: 'disabled', disabledReason: 'offboarded' }),
    ).toBe(false);
  });

  it('the département keeps at least two active admins', () => {
    expect(MIN_ACTIVE_ADMINS).toBe(2);
    expect(keepsEnoughAdmins(['a', 'b', 'c'], 'a')).toBe(true);
    expect(keepsEnoughAdmins(['a', 'b'], 'a')).toBe(false);
    expect(keepsEnoughAdmins(['a'], 'a')).toBe(false);
    // Not one of them (an agent, a DPO): nothing changes, even below the floor.
    expect(keepsEnoughAdmins(['a', 'b'], 'x')).toBe(true);
    expect(keepsEnoughAdmins(['a'], 'x')).toBe(true);
  });
});

// ---- Properties over every combination -----------------------------------------------------

const tenants = fc.constantFrom(HOME, OTHER);
const ids = fc.constantFrom('a1', 'a2', 'a3');
const teams = fc.constantFrom(null, 'equipe-nord', 'equipe-sud');
const anyActor: fc.Arbitrary<Actor> = fc.oneof(
  fc.constant(ANON),
  fc.record({ kind: fc.constant('operateur' as const), accountId: ids }),
  fc.record({ kind: fc.constant('usager' as const), accountId: ids, tenantId: tenants }),
  fc.record({
    kind: fc.constant('staff' as const),
    accountId: ids,
    tenantId: tenants,
    role: fc.constantFrom(...STAFF_ROLES),
    team: teams,
  }),
  // Any set of permissions, even ones no token can be granted.
  fc.record({
    kind: fc.constant('integration' as const),
    tokenId: ids,
    tenantId: tenants,
    permissions: fc.subarray([...ALL_ACTIONS]),
    exportInstructionId: fc.option(fc.constant('ei-1'), { nil: null }),
  }),
);
const anyCase: fc.Arbitrary<CaseFacts> = fc.record({
  id: fc.constant('case-1'),
  tenantId: tenants,
  personId: fc.constant('person-1'),
  breakGlassAccountIds: fc.uniqueArray(ids, { maxLength: 2 }),
  status: fc.constantFrom(...CASE_STATUSES),
  subjectAccountId: fc.option(ids, { nil: null }),
  representativeAccountIds: fc.uniqueArray(ids, { maxLength: 3 }),
  instructeurId: fc.option(ids, { nil: null }),
  evaluateurId: fc.option(ids, { nil: null }),
  team: teams,
  filedByAccountId: ids,
  cdaphMemberAccountIds: fc.uniqueArray(ids, { maxLength: 2 }),
});

/** Whether a case falls in a scope, read the way the repository's WHERE clause reads it. */
function inScope(actor: Actor, f: CaseFacts): boolean {
  const s = caseScope(actor);
  if (s.kind === 'none' || s.tenantId !== f.tenantId) return false;
  if (s.kind !== 'usager' && f.status === 'brouillon' && f.filedByAccountId !== s.draftsOf) {
    return false;
  }
  switch (s.kind) {
    case 'tenant':
      return true;
    case 'usager':
      return f.subjectAccountId === s.accountId || f.representativeAccountIds.includes(s.accountId);
    case 'instructeur':
      return (
        f.instructeurId === s.accountId ||
        (s.team !== null && f.team === s.team) ||
        f.breakGlassAccountIds.includes(s.accountId)
      );
    case 'evaluateur':
      return f.evaluateurId === s.accountId || f.breakGlassAccountIds.includes(s.accountId);
    case 'cdaph':
      return f.cdaphMemberAccountIds.includes(s.accountId);
  }
}

describe('properties', () => {
  it('no actor of another tenant (or of none) ever has any relation to a case', () => {
    fc.assert(
      fc.property(anyActor, anyCase, (actor, f) => {
        fc.pre(tenantOf(actor) !== f.tenantId);
        expect(caseRelation(actor, f)).toBeNull();
        for (const action of ALL_ACTIONS) expect(canOnCase(actor, action, f)).toBe(false);
        for (const cat of DOCUMENT_CATEGORIES) {
          expect(canReadDocument(actor, cat, f) || canUploadDocument(actor, cat, f)).toBe(false);
        }
        expect(inScope(actor, f)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('anything allowed on a case also passes the role gate, and is inside the SQL scope', () => {
    fc.assert(
      fc.property(anyActor, anyCase, (actor, f) => {
        const allowed = ALL_ACTIONS.filter((a) => canOnCase(actor, a, f));
        for (const action of allowed) expect(passesRoleGate(actor, action), action).toBe(true);
        // A case the policy relates the actor to must not be hidden by the repository.
        if (caseRelation(actor, f) !== null) expect(inScope(actor, f)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a draft someone else opened reaches no agent and no integration, in the policy and in SQL', () => {
    fc.assert(
      fc.property(anyActor, anyCase, (actor, f) => {
        fc.pre(actor.kind === 'staff' || actor.kind === 'integration');
        const draft = { ...f, status: 'brouillon' as const };
        fc.pre(accountOf(actor) !== draft.filedByAccountId);
        expect(caseRelation(actor, draft)).toBeNull();
        for (const action of ALL_ACTIONS) {
          expect(can(actor, action, { type: 'case', id: draft.id, case: draft }), action).toBe(
            false,
          );
        }
        expect(inScope(actor, draft)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('medical content only for the assigned évaluateur (or one who broke the glass) or the usager concerned', () => {
    fc.assert(
      fc.property(anyActor, anyCase, (actor, f) => {
        if (!canReadDocument(actor, 'medical', f)) return;
        // Break-glass is the one exception, reasoned, time-boxed, alerted and reviewed.
        const assignedEvaluateur =
          actor.kind === 'staff' &&
          actor.role === 'evaluateur' &&
          f.tenantId === actor.tenantId &&
          (f.evaluateurId === actor.accountId || f.breakGlassAccountIds.includes(actor.accountId));
        const concerned =
          actor.kind === 'usager' &&
          (f.subjectAccountId === actor.accountId ||
            f.representativeAccountIds.includes(actor.accountId));
        expect(assignedEvaluateur || concerned).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

// ---- CDAPH sessions ------------------------------------------------------------------------

const aSession = (over: Partial<CdaphSessionFacts> = {}): CdaphSessionFacts => ({
  id: 'session-1',
  tenantId: HOME,
  status: 'planned',
  sitsOn: '2026-06-20',
  agendaOpensOn: '2026-06-05',
  memberAccountIds: ['acc-cdaph'],
  ...over,
});
const SESSION_ACTIONS = ['cdaphSession.list', 'cdaphSession.read', 'cdaphSession.manage'] as const;

describe('CDAPH sessions', () => {
  const rows: ReadonlyArray<readonly [string, Actor, readonly Action[]]> = [
    ['responsable of the tenant', staff('responsable'), SESSION_ACTIONS],
    ['responsable of another tenant', staff('responsable', other), []],
    ['member sitting in it', staff('cdaph'), ['cdaphSession.list', 'cdaphSession.read']],
    ['cdaph not sitting in it', staff('cdaph', { accountId: 'acc-cdaph-2' }), []],
    ['member id, other tenant', staff('cdaph', other), []],
    ['instructeur', staff('instructeur'), []],
    ['dpo', staff('dpo'), []],
    ['admin', staff('admin'), []],
    ['usager', usager(SUBJECT), []],
    ['operateur', OPERATEUR, []],
  ];
  it.each(rows)('%s', (_name, actor, allowed) => {
    for (const action of ALL_ACTIONS) {
      const expected = allowed.includes(action);
      expect(canOnCdaphSession(actor, action, aSession()), action).toBe(expected);
      expect(can(actor, action, { type: 'cdaph-session', ...aSession() }), action).toBe(expected);
    }
  });

  it('the SQL scope is the tenant for the secretariat, one member for a member, else nothing', () => {
    expect(cdaphSessionScope(staff('responsable'))).toEqual({ kind: 'tenant', tenantId: HOME });
    expect(cdaphSessionScope(staff('cdaph'))).toEqual({
      kind: 'member',
      tenantId: HOME,
      accountId: 'acc-cdaph',
    });
    for (const actor of [staff('instructeur'), staff('dpo'), usager(SUBJECT), OPERATEUR, ANON])
      expect(cdaphSessionScope(actor)).toEqual({ kind: 'none' });
  });

  it('the agenda opens N days before the session and closes with it', () => {
    expect(agendaOpensOn('2026-03-10', 15)).toBe('2026-02-23');
    expect(agendaOpensOn('2026-03-10', 0)).toBe('2026-03-10');
    const s = aSession();
    expect(agendaWindowCovers(s, '2026-06-04')).toBe(false);
    expect(agendaWindowCovers(s, '2026-06-05')).toBe(true);
    expect(agendaWindowCovers({ ...s, status: 'in_progress' }, '2026-06-21')).toBe(true);
    expect(agendaWindowCovers({ ...s, status: 'closed' }, '2026-06-20')).toBe(false);
  });

  it('a session opens on its day from planned, and takes decisions only in progress on its day', () => {
    const s = aSession();
    expect(mayOpenSession(s, '2026-06-20')).toBe(true);
    expect(mayOpenSession(s, '2026-06-19')).toBe(false);
    expect(mayOpenSession({ ...s, status: 'in_progress' }, '2026-06-20')).toBe(false);
    expect(sessionTakesDecisions(s, '2026-06-20')).toBe(false);
    expect(sessionTakesDecisions({ ...s, status: 'in_progress' }, '2026-06-20')).toBe(true);
    expect(sessionTakesDecisions({ ...s, status: 'in_progress' }, '2026-06-21')).toBe(false);
    expect(sessionTakesDecisions({ ...s, status: 'closed' }, '2026-06-20')).toBe(false);
  });
});
