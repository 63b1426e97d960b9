/**
 * "Télécharger mes données" (GET /api/v1/me/data-export) over real HTTP: the usager's own data,
 * as a JSON attachment never cached, holding nothing of another usager's; staff are refused at
 * the gate and the anonymous must sign in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { readWorld, type World } from './harness/world.js';
import { stopAndRemove } from './support/storage.js';

const EXPORT = '/api/v1/me/data-export';

let server: RunningServer;
let world: World;

beforeAll(async () => {
  server = await startServer();
  world = readWorld(server.dbFile);
});
afterAll(() => stopAndRemove(server));

function casesOf(accountId: string) {
  const persons = world.persons.filter((p) => p.account_id === accountId).map((p) => p.id);
  return world.cases.filter((c) => persons.includes(c.person_id));
}

describe('GET /api/v1/me/data-export', () => {
  it('gives the usager their account, persons, cases, messages, documents and consultations', async () => {
    const account = server.account('usager');
    const client = await new Client(server.baseUrl).login(account);
    const res = await client.get(EXPORT);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="mes-donnees-cloison.json"',
    );
    expect(res.headers.get('cache-control')).toContain('no-store');
    const data = res.json as {
      account: Record<string, unknown>;
      persons: Array<{ relation: string }>;
      cases: Array<{
        case: { reference: string };
        documents: Array<{ id: string; downloadPath: string }>;
        messages: unknown[];
      }>;
      consultations: unknown[];
    };
    expect(data.account.email).toBe(account.email);
    expect(Object.keys(data.account)).not.toContain('passwordHash');
    expect(res.text).not.toMatch(/argon2|password_hash|totp/i);
    expect(data.persons.some((p) => p.relation === 'self')).toBe(true);
    const mine = casesOf(account.id).map((c) => c.reference);
    expect(mine.length).toBeGreaterThan(0);
    for (const ref of mine) {
      expect(data.cases.map((c) => c.case.reference)).toContain(ref);
    }
    const docs = data.cases.flatMap((c) => c.documents);
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) expect(d.downloadPath).toBe(`/api/v1/documents/${d.id}/content`);
    expect(Array.isArray(data.consultations)).toBe(true);
    // Nothing of usager-2's.
    const other = server.account('usager-2');
    for (const c of casesOf(other.id)) {
      expect(res.text).not.toContain(c.id);
      expect(res.text).not.toContain(c.reference);
    }
    const otherPersons = world.persons.filter((p) => p.account_id === other.id);
    for (const p of otherPersons) {
      expect(res.text).not.toContain(p.id);
      expect(res.text).not.toContain(p.last_name);
    }
    expect(res.text).not.toContain(other.email);
  });

  it('refuses staff at the role gate (403)', async () => {
    const client = await new Client(server.baseUrl).login(server.account('accueil'));
    const res = await client.get(EXPORT);
    expect(res.status).toBe(403);
  });

  it('asks the anonymous to sign in (401)', async () => {
    const res = await new Client(server.baseUrl).get(EXPORT);
    expect(res.status).toBe(401);
  });
});
