import { Type } from '@sinclair/typebox';
import { pingDatabase } from '../../db/database.js';
import { defineRoute } from '../../http/route.js';

export const healthRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/health',
    summary: 'Liveness and database reachability',
    tags: ['system'],
    policy: { public: true, why: 'load balancers and operators probe it without an account' },
    response: Type.Object({ status: Type.Literal('ok') }),
    handler: async ({ deps }) => {
      await pingDatabase(deps.db);
      return { status: 'ok' as const };
    },
  }),
];
