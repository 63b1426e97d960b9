import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { verifyEmail } from './email-verification.js';
import { confirmPasswordReset, requestPasswordReset } from './password-reset.js';
import {
  CheckYourEmail,
  ResetConfirmBody,
  ResetRequestBody,
  SignUpBody,
  VerifyEmailBody,
} from './self-service.schemas.js';
import { signUp } from './sign-up.js';
import { contextOf } from '../../http/request-context.js';

/** Sign-up, e-mail verification and password reset: what one does before having a session. */
export const selfServiceRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/signup',
    summary: 'Create a usager account (unusable until its e-mail address is verified)',
    tags: ['auth'],
    policy: { public: true, why: 'a usager signs up before having an account' },
    rateLimited: 'login',
    body: SignUpBody,
    status: 202,
    response: CheckYourEmail,
    handler: async ({ deps, request, body }) => signUp(deps, contextOf(request), body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/verify-email',
    summary: 'Verify an e-mail address with the single-use token mailed at sign-up',
    tags: ['auth'],
    policy: { public: true, why: 'the mailed token is the proof; there is no session yet' },
    rateLimited: 'login',
    body: VerifyEmailBody,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, body }) => verifyEmail(deps, contextOf(request), body.token),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/password-reset',
    summary: 'Ask for a password reset link (same answer whether the address has an account)',
    tags: ['auth'],
    policy: { public: true, why: 'whoever forgot their password cannot log in to ask' },
    rateLimited: 'login',
    body: ResetRequestBody,
    status: 202,
    response: CheckYourEmail,
    handler: async ({ deps, request, body }) =>
      requestPasswordReset(deps, contextOf(request), body.email),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/password-reset/confirm',
    summary: 'Set a new password with a reset token; every session of the account ends',
    tags: ['auth'],
    policy: { public: true, why: 'the mailed token is the proof; there is no session yet' },
    rateLimited: 'login',
    body: ResetConfirmBody,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, body }) =>
      confirmPasswordReset(deps, contextOf(request), body.token, body.newPassword),
  }),
];
