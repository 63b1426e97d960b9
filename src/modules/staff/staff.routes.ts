import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { Id } from '../common.schemas.js';
import { listStaffOfTenant } from './staff.repository.js';

const StaffMember = Type.Object({
  id: Id,
  displayName: Type.String(),
  role: Type.String(),
  team: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
});

export const staffRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/staff',
    summary: 'Staff accounts of my département (for assignment)',
    tags: ['staff'],
    policy: { action: 'staff.list' },
    response: Type.Object({ items: Type.Array(StaffMember) }),
    handler: async ({ deps, actor }) => {
      // The role gate admits staff only; the tenant comes from the session, never the client.
      if (actor.kind !== 'staff') return { items: [] };
      const rows = await listStaffOfTenant(deps.db, actor.tenantId);
      return {
        items: rows.map((r) => ({
          id: r.id,
          displayName: r.display_name,
          role: r.role ?? '',
          team: r.team,
          status: r.status,
        })),
      };
    },
  }),
];
