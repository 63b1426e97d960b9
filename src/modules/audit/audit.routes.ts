import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { Timestamp } from '../common.schemas.js';
import { listConsultations } from './consultations.js';

export const auditRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/me/consultations',
    summary: 'Who consulted my file: every access by staff to my cases and their documents',
    tags: ['audit'],
    policy: { action: 'me.consultations' },
    querystring: Type.Object(
      { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })) },
      { additionalProperties: false },
    ),
    response: Type.Object({
      items: Type.Array(
        Type.Object({
          at: Timestamp,
          role: Type.Union([Type.String(), Type.Null()]),
          service: Type.Union([Type.String(), Type.Null()]),
          purpose: Type.Union([Type.String(), Type.Null()]),
          action: Type.String(),
          caseReference: Type.String(),
        }),
      ),
    }),
    handler: async ({ deps, actor, query }) => listConsultations(deps, actor, query.limit ?? 200),
  }),
];
