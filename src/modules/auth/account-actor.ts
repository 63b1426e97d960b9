import type { AccountRow } from '../../db/schema.js';
import { ANONYMOUS, STAFF_ROLES, type Actor, type StaffRole } from '../../policy/actor.js';

/** Builds the actor from an account row; an inconsistent row yields no actor at all. */
export function actorFromAccount(account: AccountRow): Actor {
  if (account.status !== 'active') return ANONYMOUS;
  if (account.kind === 'operateur') return { kind: 'operateur', accountId: account.id };
  if (account.tenant_id === null) return ANONYMOUS;
  if (account.kind === 'usager') {
    return { kind: 'usager', accountId: account.id, tenantId: account.tenant_id };
  }
  if (!(STAFF_ROLES as readonly string[]).includes(account.role ?? '')) return ANONYMOUS;
  return {
    kind: 'staff',
    accountId: account.id,
    tenantId: account.tenant_id,
    role: account.role as StaffRole,
    team: account.team,
  };
}
