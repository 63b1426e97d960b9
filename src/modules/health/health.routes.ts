import { Type } from '@sinclair/typebox';
import { pingDatabase } from '../../db/database.js';
import { Problem } from '../../errors.js';
import { defineRoute } from '../../http/route.js';
import { checkReadiness, READINESS_CHECKS } from './readiness.js';

const Ok = Type.Literal('ok');

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
  defineRoute({
    method: 'GET',
    url: '/api/ready',
    summary: 'Readiness: the database, the key manager and free disk space (503 names what failed)',
    tags: ['system'],
    policy: {
      public: true,
      why: 'load balancers probe it without an account; it names failed checks, never a path, key or amount',
    },
    response: Type.Object({
      status: Type.Literal('ready'),
      checks: Type.Object({ database: Ok, keys: Ok, disk: Ok }),
    }),
    handler: async ({ deps, reply }) => {
      reply.header('cache-control', 'no-store');
      const { ready, checks } = await checkReadiness(deps);
      if (!ready) {
        const failed = READINESS_CHECKS.filter((name) => checks[name] !== 'ok');
        throw new Problem(
          503,
          'not-ready',
          'Service non prêt',
          `Vérifications en échec : ${failed.join(', ')}.`,
          { checks },
        );
      }
      return {
        status: 'ready' as const,
        checks: { database: 'ok', keys: 'ok', disk: 'ok' } as const,
      };
    },
  }),
];
