import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
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
      await sql`select 1`.execute(deps.db);
      return { status: 'ok' as const };
    },
  }),
];
