import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { createTenantAndInvite, listTenantsForOperator } from './tenant-operator.service.js';
import { CreatedTenantView, NewTenantBody, TenantSummary } from './tenants.schemas.js';

export const tenantRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/tenants',
    summary: 'The départements of the platform and the state of their first admins (operator)',
    tags: ['platform'],
    policy: { action: 'tenant.list' },
    response: Type.Object({ items: Type.Array(TenantSummary) }),
    handler: async ({ deps }) => ({ items: await listTenantsForOperator(deps) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tenants',
    summary:
      'Create a département with its keys, audit chain, decoy and first two admins, who get their activation links by mail (operator)',
    tags: ['platform'],
    policy: { action: 'tenant.create' },
    body: NewTenantBody,
    status: 201,
    response: CreatedTenantView,
    handler: async ({ deps, actor, body }) => createTenantAndInvite(deps, actor, body),
  }),
];
