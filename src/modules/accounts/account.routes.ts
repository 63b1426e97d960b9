import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { Id } from '../common.schemas.js';
import { VisibleText } from '../visible-text.js';
import { SUPPORT_CATEGORIES } from '../../policy/account.policy.js';
import { RequestReceipt } from '../staff/staff.schemas.js';
import { DisableOutcome } from './account.schemas.js';
import { disableAccount, requestEnable } from './account-disable.service.js';
import { endSessions, supportEndSessions } from './account.service.js';
import { confirmEmailChange, requestEmailChange } from './email-change.js';
import { contextOf } from '../../http/request-context.js';
import { sessionContextOf } from '../../http/browser-context.js';

const AccountParams = Type.Object({ accountId: Id }, { additionalProperties: false });

const SupportBody = Type.Object(
  {
    category: Type.Union(SUPPORT_CATEGORIES.map((c) => Type.Literal(c))),
    reason: VisibleText({ minVisible: 20, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export const accountRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/accounts/:accountId/disable',
    summary:
      'Offboard a staff account of my département: an agent is disabled at once, sessions ended; an admin or the DPO only once another admin approves',
    tags: ['accounts'],
    policy: { action: 'account.disable' },
    params: AccountParams,
    response: DisableOutcome,
    handler: async ({ deps, actor, request, params }) =>
      disableAccount(deps, actor, contextOf(request), params.accountId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/accounts/:accountId/enable',
    summary: 'Ask for a disabled staff account to be re-enabled; another admin must approve',
    tags: ['accounts'],
    policy: { action: 'account.enable' },
    params: AccountParams,
    status: 201,
    response: RequestReceipt,
    handler: async ({ deps, actor, request, params }) =>
      requestEnable(deps, actor, contextOf(request), params.accountId),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/accounts/:accountId/sessions',
    summary: 'End every session of a staff account of my département (one admin, at once)',
    tags: ['accounts'],
    policy: { action: 'account.endSessions' },
    params: AccountParams,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, actor, request, params }) =>
      endSessions(deps, actor, contextOf(request), params.accountId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/accounts/:accountId/support/end-sessions',
    summary:
      'Support action: end every session of a usager of my département, saying why (category, written reason)',
    tags: ['accounts'],
    policy: { action: 'account.supportEndSessions' },
    params: AccountParams,
    body: SupportBody,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, actor, request, params, body }) =>
      supportEndSessions(deps, actor, contextOf(request), params.accountId, body),
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
      await requestEmailChange(
        deps,
        sessionContextOf(request),
        actor,
        body.currentPassword,
        body.newEmail,
      );
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
      await confirmEmailChange(deps, contextOf(request), body.token);
    },
  }),
];
