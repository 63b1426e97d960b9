import { problems } from '../../errors.js';
import { Type } from '@sinclair/typebox';
import { browserContextOf, sessionContextOf } from '../../http/browser-context.js';
import { defineRoute } from '../../http/route.js';
import {
  CallbackQuery,
  IdentityList,
  LinkStarted,
  ProviderList,
  ProviderParams,
  ReauthBody,
  StartQuery,
} from './federation.schemas.js';
import { enabledProviders, finishFlow, startSignIn } from './federation.service.js';
import { myIdentities, startLink, unlink } from './identity-link.service.js';

export const federationRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/auth/oidc/providers',
    summary: 'The identity federations (FranceConnect, ProConnect) this server offers',
    tags: ['auth'],
    policy: { public: true, why: 'the sign-in page shows these buttons before anyone signs in' },
    response: ProviderList,
    handler: async ({ deps }) => enabledProviders(deps),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/auth/oidc/:provider/start',
    summary: 'Sign in (or sign up, with ?signup=<département>) through an identity federation',
    tags: ['auth'],
    policy: { public: true, why: 'signing in with FranceConnect or ProConnect starts anonymous' },
    rateLimited: 'login',
    params: ProviderParams,
    querystring: StartQuery,
    response: 'redirect',
    handler: async ({ deps, request, reply, actor, params, query }) =>
      startSignIn(
        deps,
        browserContextOf(request, reply, deps.config),
        actor,
        params.provider,
        query.signup,
      ),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/auth/oidc/:provider/callback',
    summary: 'Where the identity federation sends the browser back',
    tags: ['auth'],
    policy: {
      public: true,
      why: 'the provider redirects the browser here cross-site: the session cookie does not come',
    },
    rateLimited: 'login',
    params: ProviderParams,
    querystring: CallbackQuery,
    response: 'redirect',
    handler: async ({ deps, request, reply, actor, params, query }) =>
      finishFlow(
        deps,
        browserContextOf(request, reply, deps.config),
        actor,
        params.provider,
        query,
      ),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/me/identities',
    summary: 'The identity federations my account is linked to',
    tags: ['auth'],
    policy: { action: 'me.read' },
    response: IdentityList,
    handler: async ({ deps, request, actor }) => {
      // me.read is open before the second factor (to say what is next); the links are not.
      if (request.secondFactor !== 'done') {
        throw problems.secondFactorRequired(
          request.secondFactor === 'due' ? 'second-factor' : 'enroll',
        );
      }
      return myIdentities(deps, actor);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/me/identities/:provider',
    summary: 'Link my account to a FranceConnect or ProConnect identity (password required)',
    tags: ['auth'],
    policy: { action: 'me.linkIdentity' },
    rateLimited: 'login',
    params: ProviderParams,
    body: ReauthBody,
    response: LinkStarted,
    handler: async ({ deps, request, reply, actor, params, body }) =>
      startLink(
        deps,
        browserContextOf(request, reply, deps.config),
        actor,
        params.provider,
        body.currentPassword,
      ),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/me/identities/:provider',
    summary: 'Unlink my account from an identity federation (password required)',
    tags: ['auth'],
    policy: { action: 'me.unlinkIdentity' },
    rateLimited: 'login',
    params: ProviderParams,
    body: ReauthBody,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, actor, params, body }) =>
      unlink(deps, sessionContextOf(request), actor, params.provider, body.currentPassword),
  }),
];
