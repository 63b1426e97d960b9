import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import {
  CreateTokenBody,
  CreatedToken,
  TokenList,
  TokenParams,
  TokenView,
} from './integration-token.schemas.js';
import { approveToken, createToken, listTokens, revokeToken } from './integration-token.service.js';
import { contextOf } from '../../http/request-context.js';

export const integrationTokenRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/integration-tokens',
    summary: 'Create an integration token of my département (shown once; works once approved)',
    tags: ['integration-tokens'],
    policy: { action: 'token.manage' },
    body: CreateTokenBody,
    status: 201,
    response: CreatedToken,
    handler: async ({ deps, actor, request, body }) =>
      createToken(deps, actor, contextOf(request), body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/integration-tokens',
    summary: 'Integration tokens of my département, without their secrets',
    tags: ['integration-tokens'],
    policy: { action: 'token.manage' },
    response: TokenList,
    handler: async ({ deps, actor }) => listTokens(deps, actor),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/integration-tokens/:tokenId/approve',
    summary: 'Approve an integration token another admin created',
    tags: ['integration-tokens'],
    policy: { action: 'token.approve' },
    params: TokenParams,
    response: TokenView,
    handler: async ({ deps, actor, request, params }) =>
      approveToken(deps, actor, contextOf(request), params.tokenId),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/integration-tokens/:tokenId',
    summary: 'Revoke an integration token: its next request is refused',
    tags: ['integration-tokens'],
    policy: { action: 'token.manage' },
    params: TokenParams,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, actor, request, params }) =>
      revokeToken(deps, actor, contextOf(request), params.tokenId),
  }),
];
