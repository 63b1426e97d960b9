import type { Actor, StaffRole } from './actor.js';

/**
 * Every action a route can declare. The role gate below is the coarse first wall (403 when the
 * actor's role can never perform the action, whatever the object); the object rules in the
 * *.policy.ts files are the second (404 when this object is not reachable for this actor).
 */
export const ROLE_GATES = {
  'me.read': ['usager', 'operateur', ...staffRoles('all')],
  'me.changePassword': ['usager', 'operateur', ...staffRoles('all')],
  // The audit log of the tenant (checkpoints, proofs, SIEM export): the DPO's.
  'audit.read': ['dpo'],
  // Alerts of the tenant: the DPO and the admin read and close them; the admin sets channels.
  'alert.read': ['dpo', 'admin'],
  'alert.manage': ['dpo', 'admin'],
  'alertChannel.manage': ['admin'],
  // Where alerts go: the DPO sees the channels too (e-mail addresses masked), never changes them.
  'alertChannel.list': ['dpo', 'admin'],
  // Thresholds, windows and working hours of the detection rules: the DPO and the admin.
  'alertSettings.manage': ['dpo', 'admin'],
  // Who consulted my file: the usager's own cases and those of the persons they represent.
  'me.consultations': ['usager'],
  // Download of everything Cloison holds about me (GDPR art. 15 and 20): the usager's own.
  'me.export': ['usager'],
  // Whether usagers see agents' names in it: the département's transparency choice, the DPO's.
  'consultations.configure': ['dpo'],
  'me.changeEmail': ['usager', 'operateur', ...staffRoles('all')],
  // Proving one's second factor after the password, and managing one's own factors.
  'mfa.verify': ['usager', 'operateur', ...staffRoles('all')],
  'mfa.manage': ['usager', 'operateur', ...staffRoles('all')],
  // FranceConnect for usagers, ProConnect for staff; the operator has neither.
  'me.linkIdentity': ['usager', ...staffRoles('all')],
  'me.unlinkIdentity': ['usager', ...staffRoles('all')],
  'person.list': ['usager'],
  'person.declareRepresented': ['usager'],
  // A usager who signed up declares their own identity, once.
  'person.declareSelf': ['usager'],
  // Finding a person by NIR, to attach a paper request or check a duplicate.
  'person.search': ['accueil', 'instructeur', 'responsable'],
  // Erasure (right to erasure, end of retention, after a migration) is the DPO's act.
  'person.erase': ['dpo'],
  // An erasure's certificate, read again and downloaded to be verified offline: the DPO's.
  'erasure.readCertificates': ['dpo'],

  // Paper filing: the accueil registers a person who has no account (a duplicate NIR is refused,
  // the existing person offered), then invites them to take over their file online.
  'person.register': ['accueil'],
  'person.invite': ['accueil'],
  // Taking over a file registered on paper, with the invitation's code and the birth date.
  'invitation.claim': ['usager'],
  'mandate.list': ['accueil', 'instructeur', 'responsable'],
  'mandate.verify': ['accueil', 'instructeur', 'responsable'],
  'staff.list': ['responsable', 'admin'],
  // Offboarding and ending a staff member's sessions: the tenant's admin (account.policy.ts says
  // when disabling takes a second admin). Re-enabling is asked by one admin, decided by another.
  'account.disable': ['admin'],
  'account.enable': ['admin'],
  'account.endSessions': ['admin'],
  // Ending a usager's sessions: a support action, with a category and a written reason.
  'account.supportEndSessions': ['admin'],
  // Staff lifecycle: one admin asks, another admin of the tenant decides (staff.policy.ts); the
  // same inbox holds disable and re-enable requests (account.policy.ts).
  'staff.request': ['admin'],
  'staff.listRequests': ['admin'],
  'staff.decide': ['admin'],
  'role.request': ['admin'],
  // Access reviews: the admin or the DPO opens a campaign; reviewers decide their own items.
  'review.open': ['admin', 'dpo'],
  'review.listItems': ['responsable', 'admin', 'dpo'],
  'review.decide': ['responsable', 'admin', 'dpo'],
  // Integration tokens of the tenant: the admin creates, lists and revokes them; a second admin
  // approves each one before it works (the creator alone cannot open case reading to a system).
  'token.manage': ['admin'],
  'token.approve': ['admin'],
  // 'integration': a token may be granted the action (INTEGRATION_ACTIONS below). Only reading
  // statuses and decisions: never documents, messages or notes, never a write.
  'case.list': [
    'usager',
    'accueil',
    'instructeur',
    'evaluateur',
    'responsable',
    'cdaph',
    'integration',
  ],
  'case.create': ['usager', 'accueil'],
  // A renewal request, pre-filled from a decided case: by whoever may file for its person.
  'case.renew': ['usager', 'accueil'],
  // Saving a draft request (rights, situation): whoever may file it, while it is a draft.
  'case.editDraft': ['usager', 'accueil'],
  'case.read': [
    'usager',
    'accueil',
    'instructeur',
    'evaluateur',
    'responsable',
    'cdaph',
    'integration',
  ],
  'case.transition': ['usager', 'accueil', 'instructeur', 'evaluateur', 'responsable'],
  'case.assign': ['responsable'],
  // Opening a case outside one's assignment, with a written reason, for a limited time; the
  // DPO is alerted and reviews every one.
  'case.breakGlass': ['instructeur', 'evaluateur'],
  'breakGlass.review': ['dpo'],
  'case.decide': ['responsable'],
  'document.list': ['usager', 'accueil', 'instructeur', 'evaluateur', 'responsable'],
  'document.upload': ['usager', 'accueil', 'instructeur', 'evaluateur', 'responsable'],
  'document.read': ['usager', 'accueil', 'instructeur', 'evaluateur', 'responsable'],
  'message.list': ['usager', 'accueil', 'instructeur', 'evaluateur', 'responsable'],
  'message.create': ['usager', 'accueil', 'instructeur', 'responsable'],
  'note.list': ['accueil', 'instructeur', 'evaluateur', 'responsable'],
  'note.create': ['accueil', 'instructeur', 'evaluateur', 'responsable'],
  // The départements themselves: the operator creates them (with their first two admins) and
  // lists them; never anything inside one.
  'tenant.create': ['operateur'],
  'tenant.list': ['operateur'],
  // Whether the platform's backups are taken: the operator's, who runs them.
  'backup.read': ['operateur'],
  // Which optional mails about their files a usager receives: their own choice, nobody else's.
  'me.notificationPreferences': ['usager'],
  // Accepting or rejecting a piece of a case: the accueil, the instruction, and for medical
  // pieces only the évaluateur médical of the case (document.policy.ts).
  'document.review': ['accueil', 'instructeur', 'evaluateur', 'responsable'],
  // The proof of a mandate: its representative uploads it; they and the agents who verify
  // mandates read it (person.policy.ts).
  'mandate.uploadProof': ['usager'],
  'mandate.readProof': ['usager', 'accueil', 'instructeur', 'responsable'],
  // Ending a mandate early or revoking it: its representative, or an agent of its département.
  'mandate.end': ['usager', 'accueil', 'instructeur', 'responsable'],
  // CDAPH sessions: the responsable (the commission's secretariat) plans, sets the agenda,
  // opens, closes; a member lists and reads the sessions they sit in (cdaph-session.policy.ts).
  'cdaphSession.list': ['responsable', 'cdaph'],
  'cdaphSession.read': ['responsable', 'cdaph'],
  'cdaphSession.manage': ['responsable'],
  // The retention schedule of the département: read by those who answer for it, changed by
  // the DPO within its bounds (the public reads it without an account, from its own route).
  'retention.read': ['dpo', 'admin', 'responsable'],
  'retention.configure': ['dpo'],
  // Exports and migrations leave only under an instruction: the responsable or the admin orders
  // one (export-instruction.policy.ts), the DPO approves it, never the orderer; the orderer and
  // the DPO follow it.
  'export.catalogue': ['responsable', 'admin', 'dpo'],
  'export.order': ['responsable', 'admin'],
  'export.list': ['responsable', 'admin', 'dpo'],
  'export.read': ['responsable', 'admin', 'dpo'],
  'export.approve': ['dpo'],
  // The file itself: its orderer only, until its expiry, or the recipient's system with the
  // token the orderer minted for that export ('export-recipient': a token bound to it).
  'export.download': ['responsable', 'admin', 'export-recipient'],
  // The orderer hands the recipient's system a token for that one export: the DPO's approval,
  // which named the recipient, was the second pair of eyes.
  'export.mintRecipientToken': ['responsable', 'admin'],
  // A migration's end: the DPO records the recipient's acknowledgement (or the recipient's
  // token posts it), which starts the grace period before the source is erased; the DPO may
  // cancel that erasure before it happens.
  'export.acknowledge': ['dpo', 'export-recipient'],
  'export.cancelErasure': ['dpo'],
} as const satisfies Record<string, readonly GateSubject[]>;

export type Action = keyof typeof ROLE_GATES;
/**
 * 'integration': an ordinary token granted the action; 'export-recipient': a token bound to one
 * export instruction, for its recipient's system (the object rule checks which instruction).
 */
type GateSubject = 'usager' | 'operateur' | 'integration' | 'export-recipient' | StaffRole;

function staffRoles(_which: 'all'): StaffRole[] {
  return ['accueil', 'instructeur', 'evaluateur', 'responsable', 'cdaph', 'dpo', 'admin'];
}

/** True when the actor's kind or role may attempt the action at all. Anonymous never may. */
export function passesRoleGate(actor: Actor, action: Action): boolean {
  const allowed: readonly string[] = ROLE_GATES[action];
  switch (actor.kind) {
    case 'anonymous':
      return false;
    case 'usager':
    case 'operateur':
      return allowed.includes(actor.kind);
    case 'staff':
      return allowed.includes(actor.role);
    case 'integration':
      // A recipient's token does what the recipient does with its export, and nothing else.
      if (actor.exportInstructionId !== null) return allowed.includes('export-recipient');
      // Both: granted to this token, and grantable to any token at all. A permission stored
      // before an action left the list gives nothing.
      return allowed.includes('integration') && actor.permissions.includes(action);
  }
}

/** Every declared action, for the access matrix and the OpenAPI document. */
export const ALL_ACTIONS = Object.keys(ROLE_GATES) as Action[];

/** The actions an integration token may ever be granted. */
export const INTEGRATION_ACTIONS: readonly Action[] = ALL_ACTIONS.filter((a) =>
  (ROLE_GATES[a] as readonly string[]).includes('integration'),
);

/** The actions a token bound to an export instruction may attempt (on that instruction only). */
export const RECIPIENT_TOKEN_ACTIONS: readonly Action[] = ALL_ACTIONS.filter((a) =>
  (ROLE_GATES[a] as readonly string[]).includes('export-recipient'),
);
