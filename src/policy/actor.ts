/** Staff roles inside a tenant (PRODUCT.md "People and roles"). */
export const STAFF_ROLES = [
  'accueil',
  'instructeur',
  'evaluateur',
  'responsable',
  'cdaph',
  'dpo',
  'admin',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Who is making a request. Built once per request from the session; never from client input. */
export type Actor =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'usager'; readonly accountId: string; readonly tenantId: string }
  | {
      readonly kind: 'staff';
      readonly accountId: string;
      readonly tenantId: string;
      readonly role: StaffRole;
      readonly team: string | null;
    }
  | { readonly kind: 'operateur'; readonly accountId: string };

export type AuthenticatedActor = Exclude<Actor, { kind: 'anonymous' }>;

export const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous' });

/** The tenant an actor belongs to, or null for the anonymous and the operator. */
export function tenantOf(actor: Actor): string | null {
  return actor.kind === 'usager' || actor.kind === 'staff' ? actor.tenantId : null;
}
