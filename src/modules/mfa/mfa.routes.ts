import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { Type } from '@sinclair/typebox';
import { browserContextOf, sessionContextOf } from '../../http/browser-context.js';
import { defineRoute } from '../../http/route.js';
import {
  AssertionBody,
  CodeBody,
  Factors,
  NewPasskeyBody,
  PasskeyRemovalBody,
  PasswordBody,
  RecoveryCodeBody,
  RecoveryCodes,
  TotpEnrollment,
  WebAuthnOptions,
} from './mfa.schemas.js';
import {
  passkeyChallenge,
  verifyPasskey,
  verifyRecoveryCode,
  verifyTotp,
} from './second-factor.service.js';
import {
  addPasskey,
  confirmTotp,
  describeFactors,
  passkeyRegistrationOptions,
  removePasskey,
  removeTotp,
  renewRecoveryCodes,
  startTotp,
} from './enrollment.service.js';

/** Proving the second factor after the password. */
const verification = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/second-factor/totp',
    summary: 'Confirm the sign-in with a code from the authenticator app (each code works once)',
    tags: ['auth'],
    policy: { action: 'mfa.verify' },
    rateLimited: 'login',
    body: CodeBody,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, reply, actor, body }) => {
      await verifyTotp(deps, browserContextOf(request, reply, deps.config), actor, body.code);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/second-factor/recovery-code',
    summary: 'Confirm the sign-in with a one-time recovery code',
    tags: ['auth'],
    policy: { action: 'mfa.verify' },
    rateLimited: 'login',
    body: RecoveryCodeBody,
    response: Type.Object({ recoveryCodesLeft: Type.Integer() }),
    handler: async ({ deps, request, reply, actor, body }) =>
      verifyRecoveryCode(deps, browserContextOf(request, reply, deps.config), actor, body.code),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/second-factor/passkey/options',
    summary: 'A WebAuthn challenge for confirming the sign-in with a passkey',
    tags: ['auth'],
    policy: { action: 'mfa.verify' },
    rateLimited: 'login',
    response: WebAuthnOptions,
    handler: async ({ deps, request, actor }) => ({
      publicKey: await passkeyChallenge(deps, sessionContextOf(request), actor),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/second-factor/passkey',
    summary: 'Confirm the sign-in with a passkey assertion',
    tags: ['auth'],
    policy: { action: 'mfa.verify' },
    rateLimited: 'login',
    body: AssertionBody,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, reply, actor, body }) => {
      await verifyPasskey(
        deps,
        browserContextOf(request, reply, deps.config),
        actor,
        body.credential as unknown as AuthenticationResponseJSON,
      );
    },
  }),
];

/** Managing one's own second factors; every change asks for the password again. */
const management = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/me/second-factors',
    summary: 'My second factors',
    tags: ['auth'],
    policy: { action: 'mfa.manage' },
    response: Factors,
    handler: async ({ deps, actor }) => describeFactors(deps, actor),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/me/second-factors/totp',
    summary: 'Start adding an authenticator app: a new secret, usable once a code confirms it',
    tags: ['auth'],
    policy: { action: 'mfa.manage' },
    rateLimited: 'login',
    body: PasswordBody,
    response: TotpEnrollment,
    handler: async ({ deps, request, actor, body }) =>
      startTotp(deps, sessionContextOf(request), actor, body.currentPassword),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/me/second-factors/totp/confirm',
    summary: 'Confirm the authenticator app with a first code (recovery codes on a first factor)',
    tags: ['auth'],
    policy: { action: 'mfa.manage' },
    rateLimited: 'login',
    body: CodeBody,
    response: RecoveryCodes,
    handler: async ({ deps, request, reply, actor, body }) =>
      confirmTotp(deps, browserContextOf(request, reply, deps.config), actor, body.code),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/me/second-factors/totp/removal',
    summary: 'Remove the authenticator app (staff keep at least one factor)',
    tags: ['auth'],
    policy: { action: 'mfa.manage' },
    rateLimited: 'login',
    body: PasswordBody,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, actor, body }) => {
      await removeTotp(deps, sessionContextOf(request), actor, body.currentPassword);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/me/passkeys/options',
    summary: 'A WebAuthn challenge for registering a new passkey',
    tags: ['auth'],
    policy: { action: 'mfa.manage' },
    rateLimited: 'login',
    body: PasswordBody,
    response: WebAuthnOptions,
    handler: async ({ deps, request, actor, body }) => ({
      publicKey: await passkeyRegistrationOptions(
        deps,
        sessionContextOf(request),
        actor,
        body.currentPassword,
      ),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/me/passkeys',
    summary: 'Register a passkey (recovery codes on a first factor)',
    tags: ['auth'],
    policy: { action: 'mfa.manage' },
    rateLimited: 'login',
    body: NewPasskeyBody,
    status: 201,
    response: Type.Object({ id: Type.String(), recoveryCodes: Type.Array(Type.String()) }),
    handler: async ({ deps, request, reply, actor, body }) =>
      addPasskey(
        deps,
        browserContextOf(request, reply, deps.config),
        actor,
        body.name,
        body.credential as unknown as RegistrationResponseJSON,
      ),
  }),
  defineRoute({
    method: 'POST',
    // The id in the body: credential ids run to 1,023 bytes, far past the router's URL limit.
    url: '/api/v1/me/passkeys/removal',
    summary: 'Remove one of my passkeys (staff keep at least one factor)',
    tags: ['auth'],
    policy: { action: 'mfa.manage' },
    rateLimited: 'login',
    body: PasskeyRemovalBody,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, actor, body }) => {
      await removePasskey(
        deps,
        sessionContextOf(request),
        actor,
        body.passkeyId,
        body.currentPassword,
      );
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/me/recovery-codes',
    summary: 'Replace my recovery codes (the old ones stop working)',
    tags: ['auth'],
    policy: { action: 'mfa.manage' },
    rateLimited: 'login',
    body: PasswordBody,
    response: RecoveryCodes,
    handler: async ({ deps, request, actor, body }) =>
      renewRecoveryCodes(deps, sessionContextOf(request), actor, body.currentPassword),
  }),
];

export const mfaRoutes = [...verification, ...management];
