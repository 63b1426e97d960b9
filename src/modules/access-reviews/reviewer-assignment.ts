import { AGENT_ROLES } from '../staff/agent-roles.js';

export interface StaffMember {
  readonly id: string;
  readonly role: string;
  readonly team: string | null;
  readonly manager_id: string | null;
}

/**
 * Who reviews a staff member's role, never themself. An agent: their manager if still an active
 * responsable, else a responsable of their team, else the longest-serving responsable. A
 * responsable, admin or DPO: an admin other than them (the one opening the campaign first).
 * Whoever has nobody left falls back to an admin, then the DPO; null when there is nobody at all.
 * `staff` is the tenant's active staff, oldest first.
 */
export function reviewerFor(
  person: StaffMember,
  staff: readonly StaffMember[],
  openedBy: string,
): string | null {
  const others = staff.filter((s) => s.id !== person.id);
  const responsables = others.filter((s) => s.role === 'responsable');
  const admins = others.filter((s) => s.role === 'admin');
  const pick = AGENT_ROLES.includes(person.role)
    ? (responsables.find((r) => r.id === person.manager_id) ??
      responsables.find((r) => person.team !== null && r.team === person.team) ??
      responsables[0])
    : undefined;
  return (
    (
      pick ??
      admins.find((a) => a.id === openedBy) ??
      admins[0] ??
      others.find((s) => s.role === 'dpo')
    )?.id ?? null
  );
}
