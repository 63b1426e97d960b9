import type { Actor, StaffRole } from './actor.js';

/**
 * Every action a route can declare. The role gate below is the coarse first wall (403 when the
 * actor's role can never perform the action, whatever the object); the object rules in the
 * *.policy.ts files are the second (404 when this object is not reachable for this actor).
 */
export const ROLE_GATES = {
  'me.read': ['usager', 'operateur', ...staffRoles('all')],
  'me.changePassword': ['usager', 'operateur', ...staffRoles('all')],
  'person.list': ['usager'],
  'person.declareRepresented': ['usager'],
  // A usager who signed up declares their own identity, once.
  'person.declareSelf': ['usager'],
  // Finding a person by NIR, to attach a paper request or check a duplicate.
  'person.search': ['accueil', 'instructeur', 'responsable'],
  // Erasure (right to erasure, end of retention, after a migration) is the DPO's act.
  'person.erase': ['dpo'],
  'mandate.list': ['accueil', 'instructeur', 'responsable'],
  'mandate.verify': ['accueil', 'instructeur', 'responsable'],
  'staff.list': ['responsable', 'admin'],
  // Offboarding and ending someone's sessions: the tenant's admin.
  'account.disable': ['admin'],
  'account.endSessions': ['admin'],
  'case.list': ['usager', 'accueil', 'instructeur', 'evaluateur', 'responsable', 'cdaph'],
  'case.create': ['usager', 'accueil'],
  'case.read': ['usager', 'accueil', 'instructeur', 'evaluateur', 'responsable', 'cdaph'],
  'case.transition': ['usager', 'accueil', 'instructeur', 'evaluateur', 'responsable'],
  'case.assign': ['responsable'],
  'case.decide': ['instructeur', 'responsable'],
  'document.list': ['usager', 'accueil', 'instructeur', 'evaluateur', 'responsable'],
  'document.upload': ['usager', 'accueil', 'instructeur', 'evaluateur', 'responsable'],
  'document.read': ['usager', 'accueil', 'instructeur', 'evaluateur', 'responsable'],
  'message.list': ['usager', 'accueil', 'instructeur', 'evaluateur', 'responsable'],
  'message.create': ['usager', 'accueil', 'instructeur', 'responsable'],
  'note.list': ['accueil', 'instructeur', 'evaluateur', 'responsable'],
  'note.create': ['accueil', 'instructeur', 'evaluateur', 'responsable'],
} as const satisfies Record<string, readonly GateSubject[]>;

export type Action = keyof typeof ROLE_GATES;
type GateSubject = 'usager' | 'operateur' | StaffRole;

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
  }
}

/** Every declared action, for the access matrix and the OpenAPI document. */
export const ALL_ACTIONS = Object.keys(ROLE_GATES) as Action[];
