import { Type } from '@sinclair/typebox';
import { browserContextOf } from '../../http/browser-context.js';
import { defineRoute } from '../../http/route.js';
import { LoginResult } from '../auth/auth.schemas.js';
import { activateAccount } from './activation.js';
import { decideInboxRequest } from './staff-decision.service.js';
import { listRequests, requestRoleChange, requestStaffAccount } from './staff-request.service.js';
import { listStaffOfTenant } from './staff.repository.js';
import { canBeReenabled, disableNeedsSecondAdmin } from '../../policy/account.policy.js';
import {
  AccountParams,
  ActivationBody,
  DecisionReceipt,
  PendingRequest,
  RequestParams,
  RequestReceipt,
  RoleRequestBody,
  StaffMember,
  StaffRequestBody,
} from './staff.schemas.js';
import { contextOf } from '../../http/request-context.js';

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
          disableNeedsSecondAdmin: disableNeedsSecondAdmin({ ...r, kind: 'staff' }),
          canBeReenabled: canBeReenabled({
            kind: 'staff',
            status: r.status,
            disabledReason: r.disabled_reason,
          }),
        })),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/staff',
    summary:
      'Ask for a staff account (personal e-mail, "Prénom Nom", role); another admin must approve',
    tags: ['staff'],
    policy: { action: 'staff.request' },
    body: StaffRequestBody,
    status: 201,
    response: RequestReceipt,
    handler: async ({ deps, actor, request, body }) =>
      requestStaffAccount(deps, actor, contextOf(request), body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/accounts/:accountId/role-requests',
    summary:
      'Ask for a role (grant, widen, change, temporary) for a staff account; another admin must approve',
    tags: ['staff'],
    policy: { action: 'role.request' },
    params: AccountParams,
    body: RoleRequestBody,
    status: 201,
    response: RequestReceipt,
    handler: async ({ deps, actor, request, params, body }) =>
      requestRoleChange(deps, actor, contextOf(request), params.accountId, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/staff-requests',
    summary:
      'Requests of my département waiting for a second admin: accounts, roles, disabling and re-enabling',
    tags: ['staff'],
    policy: { action: 'staff.listRequests' },
    response: Type.Object({ items: Type.Array(PendingRequest) }),
    handler: async ({ deps, actor }) => listRequests(deps, actor),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/staff-requests/:requestId/approve',
    summary:
      'Approve a request (not one I made, not one for me); a new account gets its activation link, a disabled one is re-enabled',
    tags: ['staff'],
    policy: { action: 'staff.decide' },
    params: RequestParams,
    response: DecisionReceipt,
    handler: async ({ deps, actor, request, params }) =>
      decideInboxRequest(deps, actor, contextOf(request), params.requestId, 'approve'),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/staff-requests/:requestId/refuse',
    summary: 'Refuse a request (not one I made, not one for me)',
    tags: ['staff'],
    policy: { action: 'staff.decide' },
    params: RequestParams,
    response: DecisionReceipt,
    handler: async ({ deps, actor, request, params }) =>
      decideInboxRequest(deps, actor, contextOf(request), params.requestId, 'refuse'),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/activate',
    summary: 'Activate an approved staff account with the e-mailed link, choosing a password',
    tags: ['auth'],
    policy: {
      public: true,
      why: 'the person has no password yet; the single-use e-mailed token is the credential',
    },
    rateLimited: 'login',
    body: ActivationBody,
    response: LoginResult,
    handler: async ({ deps, request, reply, body }) =>
      activateAccount(
        deps,
        browserContextOf(request, reply, deps.config),
        body.token,
        body.password,
      ),
  }),
];
