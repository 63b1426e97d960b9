/**
 * "No policy, no start" (STYLE.md, deny by default at the route table): a route registered
 * without a valid config.policy must stop the server from starting, whoever registers it.
 *
 * How we checked these tests can fail: in a scratch copy of the repository we (1) deleted the
 * `installRouteGuard(app)` call in src/app.ts and (2) made installRouteGuard's hook a no-op; each
 * time the "refuses" tests below went red, and went green again once the guard was restored.
 */
import fs from 'node:fs';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keylessManager } from '../src/crypto/keyless-manager.js';
import { buildApp, type BuiltApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { registerRoutes } from '../src/http/register-routes.js';
import type { RouteDef } from '../src/http/route.js';
import { installRouteGuard, UndeclaredPolicyError } from '../src/http/route-guard.js';
import { apiRoutes } from '../src/routes.js';
import { ROLE_GATES } from '../src/policy/actions.js';
import { Client } from './harness/client.js';
import { makeDataDir, startServer, type RunningServer } from './harness/server.js';
import { stopAndRemove } from './support/storage.js';

/** Policies the guard must refuse: each is what a hurried developer or a plugin might write. */
const INVALID_CONFIGS: ReadonlyArray<readonly [string, Record<string, unknown> | undefined]> = [
  ['no config at all', undefined],
  ['a config without policy', { rateLimit: { max: 5 } }],
  ['a null policy', { policy: null }],
  ['a policy that is a bare string', { policy: 'case.read' }],
  ['an empty policy {}', { policy: {} }],
  ['public: true without why', { policy: { public: true } }],
  ['public: true with an empty why', { policy: { public: true, why: '' } }],
  ['public: "yes" (not the literal true)', { policy: { public: 'yes', why: 'because' } }],
  ['authenticated: false', { policy: { authenticated: false } }],
  ['an action that is not a string', { policy: { action: 42 } }],
];

/** Registers one route on the app and returns the error the guard raised, if any. */
async function registrationError(
  app: FastifyInstance,
  config: Record<string, unknown> | undefined,
): Promise<unknown> {
  try {
    app.route({
      method: 'GET',
      url: '/api/v1/undeclared',
      ...(config ? { config } : {}),
      handler: async () => ({ secret: 'served without a policy' }),
    });
    await app.ready();
  } catch (error) {
    return error;
  }
  return null;
}

/** Whether the action has a role gate, i.e. exists for the policy module. */
const gated = (action: string): boolean => Object.hasOwn(ROLE_GATES, action);

function tempConfig(dataDir: string) {
  return loadConfig({ CLOISON_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
}

describe('the real app (buildApp) refuses a route without a valid policy', () => {
  let dataDir: string;
  let built: BuiltApp;

  beforeEach(async () => {
    dataDir = makeDataDir('cloison-guard-');
    built = await buildApp({ config: tempConfig(dataDir), keys: keylessManager() });
  });
  afterEach(async () => {
    await built.app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(INVALID_CONFIGS)('refuses %s', async (_name, config) => {
    const error = await registrationError(built.app, config);
    expect(error).toBeInstanceOf(UndeclaredPolicyError);
    expect((error as Error).message).toContain('GET /api/v1/undeclared');
  });

  it('refuses a route added by an encapsulated plugin too', async () => {
    const plugin = async (instance: FastifyInstance) => {
      instance.get('/api/v1/from-a-plugin', async () => 'no policy');
    };
    await expect(built.app.register(plugin)).rejects.toBeInstanceOf(UndeclaredPolicyError);
  });

  // Positive control: the refusals above are about the policy, not about adding a route late.
  it('admits and serves the same route once it declares a policy', async () => {
    const error = await registrationError(built.app, {
      policy: { public: true, why: 'test control route' },
    });
    expect(error).toBeNull();
    expect((await built.app.inject('/api/v1/undeclared')).statusCode).toBe(200);
  });

  // A typo in a plugin's policy must not start a server whose route answers 500 to everyone.
  it('refuses an action that no role gate declares', async () => {
    const error = await registrationError(built.app, { policy: { action: 'case.delete' } });
    expect(error).toBeInstanceOf(UndeclaredPolicyError);
  });

  // Contradictory policies are refused, not interpreted: `'public' in policy` once served this
  // to anonymous callers. TypeScript forbids the literal in the route table; casts do not.
  it('never serves a route declaring public: false to an anonymous caller', async () => {
    const def = {
      method: 'GET',
      url: '/api/v1/not-public',
      summary: 'probe',
      tags: [],
      policy: { public: false, action: 'case.read' },
      response: Type.Object({ secret: Type.String() }),
      handler: async () => ({ secret: 'leaked' }),
    } as unknown as RouteDef;
    let status = 0;
    try {
      registerRoutes(built.app, [def], built.deps);
      status = (await built.app.inject('/api/v1/not-public')).statusCode;
    } catch (error) {
      expect(error).toBeInstanceOf(UndeclaredPolicyError);
      return;
    }
    expect(status).toBe(401);
  });
});

describe('the guard alone, on a bare Fastify instance', () => {
  it.each(INVALID_CONFIGS)('refuses %s', async (_name, config) => {
    const app = Fastify();
    installRouteGuard(app);
    expect(await registrationError(app, config)).toBeInstanceOf(UndeclaredPolicyError);
    await app.close();
  });

  it.each([
    ['public with a reason', { public: true, why: 'health probe' }],
    ['any signed-in account', { authenticated: true }],
    ['a declared action', { action: 'case.read' }],
  ])('admits %s and lists it as admitted', async (_name, policy) => {
    // As in app.ts: no implicit HEAD twin, so the one route declared is the one admitted.
    const app = Fastify({ exposeHeadRoutes: false });
    const admitted = installRouteGuard(app);
    expect(await registrationError(app, { policy })).toBeNull();
    expect(admitted).toEqual([{ method: 'GET', url: '/api/v1/undeclared', policy }]);
    await app.close();
  });
});

describe('every route the server serves declares a known policy', () => {
  it.each(apiRoutes.map((r) => [`${r.method} ${r.url}`, r] as const))(
    'the route table: %s',
    (_key, route) => {
      const policy = route.policy as Record<string, unknown>;
      if ('action' in policy) expect(gated(String(policy.action))).toBe(true);
      else if ('public' in policy) expect(policy).toMatchObject({ public: true, why: /\S/ });
      else expect(policy).toEqual({ authenticated: true });
    },
  );

  it('buildApp admits exactly the table, the OpenAPI document and the web application, each with a known policy', async () => {
    const dataDir = makeDataDir('cloison-guard-');
    const { app, routes } = await buildApp({ config: tempConfig(dataDir), keys: keylessManager() });
    try {
      await app.ready();
      const keys = routes.map((r) => `${r.method} ${r.url}`).sort();
      const expected = [
        ...apiRoutes.map((r) => `${r.method} ${r.url}`),
        'GET /api/openapi.json',
        'GET /*',
      ];
      expect(keys).toEqual(expected.sort());
      for (const r of routes) {
        if ('action' in r.policy) expect(gated(r.policy.action), r.url).toBe(true);
      }
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the running server documents a policy on every operation', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ demo: false });
  });
  afterAll(() => stopAndRemove(server));

  it('GET /api/openapi.json: x-policy on every operation, matching the route table', async () => {
    const res = await new Client(server.baseUrl).get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json as { paths: Record<string, Record<string, { 'x-policy'?: unknown }>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
    // Nothing served is missing from the document, and nothing in it escapes the table.
    expect(operations).toHaveLength(apiRoutes.length);
    for (const { key, op } of operations) {
      const policy = op['x-policy'];
      expect(policy, key).toBeDefined();
      const known = policy === 'public' || policy === 'authenticated' || gated(String(policy));
      expect(known, `${key}: ${String(policy)}`).toBe(true);
    }
    for (const route of apiRoutes) {
      const op = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      const declared = route.policy;
      const expected =
        'action' in declared ? declared.action : 'public' in declared ? 'public' : 'authenticated';
      expect(op?.['x-policy'], `${route.method} ${route.url}`).toBe(expected);
    }
  });
});
