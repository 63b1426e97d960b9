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

import { problems } from '../errors.js';
import type { Action } from './actions.js';

/**
 * Who is making a request. Built once per request from the session cookie or an integration
 * token; never from client input.
 */
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
  | { readonly kind: 'operateur'; readonly accountId: string }
  /**
   * A département's own system holding an integration token: no person behind the request,
   * only the actions the token was granted, within its tenant.
   */
  | {
      readonly kind: 'integration';
      readonly tokenId: string;
      readonly tenantId: string;
      readonly permissions: readonly Action[];
      /**
       * The export instruction a recipient's token is bound to: it may then do only what the
       * recipient does with that export, whatever its permissions say. Null for any other token.
       */
      readonly exportInstructionId: string | null;
    };

export const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous' });

/** The tenant an actor belongs to, or null for the anonymous and the operator. */
export function tenantOf(actor: Actor): string | null {
  return actor.kind === 'usager' || actor.kind === 'staff' || actor.kind === 'integration'
    ? actor.tenantId
    : null;
}

/** The account acting, or null when no person is behind the request (anonymous, integration). */
export function accountOf(actor: Actor): string | null {
  return actor.kind === 'anonymous' || actor.kind === 'integration' ? null : actor.accountId;
}

/**
 * The actor as a staff member, or 403. Routes whose role gate admits staff roles only call it to
 * narrow the type; it never replaces the gate.
 */
export function requireStaff(actor: Actor): Extract<Actor, { kind: 'staff' }> {
  if (actor.kind !== 'staff') throw problems.forbidden();
  return actor;
}
