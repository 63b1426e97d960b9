import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { Id } from '../common.schemas.js';
import { disableAccount, endSessions } from './account.service.js';
import { confirmEmailChange, requestEmailChange } from './email-change.js';

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
  defineRoute({
    method: 'POST',
    url: '/api/v1/me/email',
    summary: 'Change my sign-in address (password asked again; a link confirms the new one)',
    tags: ['auth'],
    policy: { action: 'me.changeEmail' },
    rateLimited: 'login',
    body: Type.Object(
      {
        currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
        newEmail: Type.String({ format: 'email', maxLength: 254 }),
      },
      { additionalProperties: false },
    ),
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, actor, body }) => {
      await requestEmailChange(deps, request, actor, body.currentPassword, body.newEmail);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/email-change/confirm',
    summary: 'Confirm a new sign-in address with the link sent to it (every session then ends)',
    tags: ['auth'],
    policy: { public: true, why: 'the link is opened from the new mailbox, maybe signed out' },
    rateLimited: 'login',
    body: Type.Object(
      { token: Type.String({ minLength: 20, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }) },
      { additionalProperties: false },
    ),
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, body }) => {
      await confirmEmailChange(deps, request, body.token);
    },
  }),
];
