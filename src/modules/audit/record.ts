import type { Actor } from '../../policy/actor.js';
import { tenantOf, type StaffRole } from '../../policy/actor.js';
import type { AuditEntry } from './audit-log.js';

/** The audit fields of an actor: its kind and its account or token id. */
export function auditActor(
  actor: Actor,
): Pick<AuditEntry, 'actorKind' | 'actorId' | 'actorRole' | 'actorTeam' | 'tenant' | 'purpose'> {
  const none = { actorRole: null, actorTeam: null, purpose: null };
  switch (actor.kind) {
    case 'anonymous':
      return { actorKind: 'anonymous', actorId: null, tenant: null, ...none };
    case 'integration':
      return {
        actorKind: 'integration',
        actorId: actor.tokenId,
        tenant: actor.tenantId,
        ...none,
        purpose: 'integration',
      };
    case 'staff':
      return {
        actorKind: 'staff',
        actorId: actor.accountId,
        tenant: actor.tenantId,
        actorRole: actor.role,
        actorTeam: actor.team,
        purpose: PURPOSE_OF_ROLE[actor.role],
      };
    default:
      return { actorKind: actor.kind, actorId: actor.accountId, tenant: tenantOf(actor), ...none };
  }
}

/**
 * Why a staff member touches a file, from what their role is for (PRODUCT.md): the purpose an
 * usager reads in "who consulted my file". Break-glass access will carry its own written reason.
 */
const PURPOSE_OF_ROLE: Record<StaffRole, string> = {
  accueil: 'accueil et enregistrement',
  instructeur: 'instruction',
  evaluateur: 'évaluation',
  responsable: 'encadrement de l’instruction',
  cdaph: 'décision de la CDAPH',
  dpo: 'protection des données',
  admin: 'administration',
};
