import { Type } from '@sinclair/typebox';
import { browserContextOf, sentCookiesOf } from '../../http/browser-context.js';
import { contextOf } from '../../http/request-context.js';
import { defineRoute } from '../../http/route.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { ChangePasswordBody, LoginBody, LoginResult, Me } from './auth.schemas.js';
import { describeMe, isKnownDeviceLogin, logIn } from './auth.service.js';
import { changePassword } from './password-change.js';
import { closeSession } from './sessions.js';

export const authRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/login',
    summary: 'Open a session with e-mail and password',
    tags: ['auth'],
    policy: { public: true, why: 'logging in is how one stops being anonymous' },
    rateLimited: 'login',
    spareAddressLimit: (request, deps) =>
      isKnownDeviceLogin(
        deps,
        sentCookiesOf(request, deps.config),
        (request.body as { email: string }).email,
      ),
    body: LoginBody,
    response: LoginResult,
    handler: async ({ deps, request, reply, body }) =>
      logIn(deps, browserContextOf(request, reply, deps.config), body.email, body.password),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/logout',
    summary: 'Close the current session',
    tags: ['auth'],
    policy: { authenticated: true },
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, reply, actor }) => {
      await closeSession(deps, browserContextOf(request, reply, deps.config));
      await recordSecurityEvent(deps, contextOf(request), { kind: 'logout', actor });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/me/password',
    summary: 'Change my password (re-authentication required; every other session ends)',
    tags: ['auth'],
    policy: { action: 'me.changePassword' },
    rateLimited: 'login',
    body: ChangePasswordBody,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, reply, actor, body }) => {
      await changePassword(
        deps,
        browserContextOf(request, reply, deps.config),
        actor,
        body.currentPassword,
        body.newPassword,
      );
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/me',
    summary: 'The signed-in account',
    tags: ['auth'],
    policy: { action: 'me.read' },
    response: Me,
    handler: async ({ deps, request, actor }) => describeMe(deps, actor, request.secondFactor),
  }),
];
