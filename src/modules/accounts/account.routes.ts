import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { Id } from '../common.schemas.js';
import { disableAccount, endSessions } from './account.service.js';

const AccountParams = Type.Object({ accountId: Id }, { additionalProperties: false });

export const accountRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/accounts/:accountId/disable',
    summary: 'Offboard: disable an account of my département and end its sessions at once',
    tags: ['accounts'],
    policy: { action: 'account.disable' },
    params: AccountParams,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, actor, request, params }) =>
      disableAccount(deps, actor, request, params.accountId),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/accounts/:accountId/sessions',
    summary: 'End every session of an account of my département',
    tags: ['accounts'],
    policy: { action: 'account.endSessions' },
    params: AccountParams,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, actor, request, params }) =>
      endSessions(deps, actor, request, params.accountId),
  }),
];
