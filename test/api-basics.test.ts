import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { apiRoutes } from '../src/routes.js';
import { stopAndRemove } from './support/storage.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => stopAndRemove(server));

describe('a running demo server', () => {
  it('answers health', async () => {
    const res = await new Client(server.baseUrl).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('publishes an OpenAPI 3.1 document describing every route of the table with its policy', async () => {
    const res = await new Client(server.baseUrl).get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json as {
      openapi: string;
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const route of apiRoutes) {
      const openapiPath = route.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[openapiPath]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.url}`).toBeDefined();
      expect(op?.['x-policy']).toBeDefined();
      expect(op?.responses).toHaveProperty('4XX');
    }
  });

  it('seeded demo accounts for every staff role in both tenants, usagers and an operator', () => {
    for (const tenant of ['44', '85']) {
      for (const label of [
        'accueil',
        'instructeur',
        'evaluateur',
        'responsable',
        'cdaph',
        'dpo',
        'admin',
        'usager',
        'parent',
      ]) {
        expect(server.account(label, tenant).password.length).toBeGreaterThan(10);
      }
    }
    expect(server.account('operateur', null).kind).toBe('operateur');
  });

  it('answers an unknown URL with the same problem as a missing object', async () => {
    const res = await new Client(server.baseUrl).get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json).toEqual({
      type: 'urn:cloison:problem:not-found',
      title: 'Ressource introuvable',
      status: 404,
    });
  });
});
