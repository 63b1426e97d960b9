import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { CaseParams, Id } from '../common.schemas.js';
import { BreakGlassGrantList, BreakGlassOpened } from './break-glass.schemas.js';
import { breakGlass, listBreakGlass, reviewBreakGlass } from './break-glass.service.js';
import { VisibleText } from '../visible-text.js';
import { contextOf } from '../../http/request-context.js';

const GrantParams = Type.Object({ grantId: Id }, { additionalProperties: false });

export const breakGlassRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases/:caseId/break-glass',
    summary: 'Open a case outside my assignment (written reason, limited time; the DPO is alerted)',
    tags: ['break-glass'],
    policy: { action: 'case.breakGlass' },
    params: CaseParams,
    body: Type.Object(
      {
        reason: VisibleText({ minVisible: 20, maxLength: 2000 }),
        minutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 240, default: 60 })),
      },
      { additionalProperties: false },
    ),
    status: 201,
    response: BreakGlassOpened,
    handler: async ({ deps, actor, params, body }) =>
      breakGlass(deps, actor, params.caseId, { reason: body.reason, minutes: body.minutes ?? 60 }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/break-glass',
    summary: 'Break-glass accesses of my département, to review',
    tags: ['break-glass'],
    policy: { action: 'breakGlass.review' },
    querystring: Type.Object(
      {
        status: Type.Optional(
          Type.Union([Type.Literal('pending'), Type.Literal('all')], { default: 'pending' }),
        ),
      },
      { additionalProperties: false },
    ),
    response: BreakGlassGrantList,
    handler: async ({ deps, actor, query }) =>
      listBreakGlass(deps, actor, query.status === 'pending'),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/break-glass/:grantId/review',
    summary: 'Record whether a break-glass access was justified',
    tags: ['break-glass'],
    policy: { action: 'breakGlass.review' },
    params: GrantParams,
    body: Type.Object(
      { verdict: Type.Union([Type.Literal('justified'), Type.Literal('unjustified')]) },
      { additionalProperties: false },
    ),
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, request, actor, params, body }) =>
      reviewBreakGlass(deps, contextOf(request), actor, params.grantId, body.verdict),
  }),
];
