import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type HttpResult } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { readWorld } from './harness/world.js';
import { stopAndRemove } from './support/storage.js';

/**
 * The security headers of every kind of answer, exactly as the README lists them: nothing
 * missing, nothing more permissive, and no directive the README does not state.
 */

let server: RunningServer;
let usager: Client;
let documentId: string;

beforeAll(async () => {
  server = await startServer();
  usager = await new Client(server.baseUrl).login(server.account('usager'));
  const world = readWorld(server.dbFile);
  const person = world.persons.find((p) => p.account_id === server.account('usager').id)!;
  const draft = world.cases.find((c) => c.person_id === person.id && c.status === 'brouillon')!;
  documentId = world.documents.find((d) => d.case_id === draft.id)!.id;
});
afterAll(() => stopAndRemove(server));

/** Written out here, not imported: the test holds the policy the README states. */
const API_CSP = { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] };
const DOWNLOAD_CSP = { ...API_CSP, sandbox: [] };
const WEB_CSP = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
};

/** The other security headers, on every answer, API and web application alike. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** Headers that would only tell an attacker what runs here. */
const NEVER = ['x-powered-by', 'server', 'x-aspnet-version'];

/** A policy as directive → sources; a directive given twice is a failure of its own. */
function parseCsp(header: string | null): Record<string, string[]> {
  expect(header, 'a Content-Security-Policy header').not.toBeNull();
  const directives: Record<string, string[]> = {};
  for (const raw of (header ?? '').split(';')) {
    const [name, ...sources] = raw.trim().split(/\s+/).filter(Boolean);
    if (!name) continue;
    const key = name.toLowerCase();
    expect(directives, `${key} given twice`).not.toHaveProperty(key);
    directives[key] = sources.sort();
  }
  return directives;
}

function sorted(policy: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(policy).map(([k, v]) => [k, [...v].sort()]));
}

function expectHeaders(res: HttpResult, csp: Record<string, string[]>, label: string): void {
  expect(parseCsp(res.headers.get('content-security-policy')), label).toEqual(sorted(csp));
  expect(res.headers.get('content-security-policy-report-only'), label).toBeNull();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    expect(res.headers.get(name), `${label}: ${name}`).toBe(value);
  }
  for (const name of NEVER) expect(res.headers.get(name), `${label}: ${name}`).toBeNull();
}

describe('security headers', () => {
  it('an API JSON answer carries exactly the API policy', async () => {
    const health = await new Client(server.baseUrl).get('/api/health');
    expect(health.status).toBe(200);
    expectHeaders(health, API_CSP, 'GET /api/health');
    const cases = await usager.get('/api/v1/cases');
    expect(cases.status).toBe(200);
    expect(cases.headers.get('content-type')).toContain('application/json');
    expectHeaders(cases, API_CSP, 'GET /api/v1/cases');
  });

  it('a problem answer carries exactly the API policy (404, 401, 400)', async () => {
    const missing = await usager.get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expectHeaders(missing, API_CSP, '404');
    const anonymous = await new Client(server.baseUrl).get('/api/v1/cases');
    expect(anonymous.status).toBe(401);
    expectHeaders(anonymous, API_CSP, '401');
    const invalid = await usager.get('/api/v1/cases?limit=abc');
    expect(invalid.status).toBe(400);
    expectHeaders(invalid, API_CSP, '400');
  });

  it('a download is an attachment under the API policy and a sandbox', async () => {
    const res = await usager.get(`/api/v1/documents/${documentId}/content`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expectHeaders(res, DOWNLOAD_CSP, 'download');
  });

  it('the OpenAPI document carries exactly the API policy', async () => {
    const res = await new Client(server.baseUrl).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expectHeaders(res, API_CSP, 'openapi');
  });

  it('the web application keeps its own policy, with the same other headers', async () => {
    const res = await new Client(server.baseUrl).get('/connexion');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expectHeaders(res, WEB_CSP, 'web page');
  });
});
