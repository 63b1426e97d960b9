/**
 * Saving a draft request step by step (PUT /api/v1/cases/:caseId/draft) over real HTTP: the
 * account that opened it edits it while it is a draft, nobody else (another usager, an agent)
 * rewrites it, a submitted case no longer changes, and the situation never reaches the disk in
 * clear (T2).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type HttpResult } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { readDataFiles, stopAndRemove } from './support/storage.js';

interface Detail {
  id: string;
  status: string;
  summary: string | null;
  rights: Array<{ code: string }>;
  abilities: string[];
}

let server: RunningServer;
let usager: Client;
let usager2: Client;
let accueil: Client;
let instructeur: Client;
let caseId = '';

const draft = (client: Client, id: string, body: unknown) =>
  client.put(`/api/v1/cases/${id}/draft`, { json: body });

function problemType(res: HttpResult): string {
  return (res.json as { type?: string }).type ?? '';
}

beforeAll(async () => {
  server = await startServer();
  const login = (label: string) => new Client(server.baseUrl).login(server.account(label));
  [usager, usager2, accueil, instructeur] = (await Promise.all(
    ['usager', 'usager-2', 'accueil', 'instructeur'].map(login),
  )) as [Client, Client, Client, Client];
  const persons = await usager.get('/api/v1/persons');
  const self = (persons.json as { items: Array<{ id: string; relation: string }> }).items.find(
    (p) => p.relation === 'self',
  )!;
  const created = await usager.post('/api/v1/cases', {
    json: { personId: self.id, rights: ['AAH'] },
  });
  expect(created.status, created.text).toBe(201);
  caseId = (created.json as Detail).id;
});
afterAll(() => stopAndRemove(server));

describe('PUT /api/v1/cases/:caseId/draft', () => {
  const canary = `Situation canari ${randomUUID()}`;

  it('lets the owner replace the rights and the situation, and says so in abilities', async () => {
    const before = await usager.get(`/api/v1/cases/${caseId}`);
    expect((before.json as Detail).abilities).toContain('case.editDraft');
    const res = await draft(usager, caseId, { rights: ['PCH', 'CMI'], situation: canary });
    expect(res.status, res.text).toBe(200);
    const body = res.json as Detail;
    expect(body.status).toBe('brouillon');
    expect(body.summary).toBe(canary);
    expect(body.rights.map((r) => r.code).sort()).toEqual(['CMI', 'PCH']);
    const again = await usager.get(`/api/v1/cases/${caseId}`);
    expect((again.json as Detail).summary).toBe(canary);
  });

  it('keeps the situation sealed: not in clear anywhere in the data directory', async () => {
    const rows = queryDb<{ summary_enc: Buffer | null }>(
      server.dbFile,
      'select summary_enc from cases where id = ?',
      caseId,
    );
    expect(rows[0]?.summary_enc).not.toBeNull();
    const hits = readDataFiles(server.dataDir).filter((f) => f.bytes.includes(canary));
    expect(hits.map((h) => h.file)).toEqual([]);
  });

  it('answers another usager exactly as for a missing case, and changes nothing', async () => {
    const foreign = await draft(usager2, caseId, { rights: ['AAH'], situation: 'intrus' });
    const missing = await draft(usager2, randomUUID(), { rights: ['AAH'], situation: 'intrus' });
    expect(foreign.status).toBe(404);
    expect(foreign.json).toEqual(missing.json);
    const after = await usager.get(`/api/v1/cases/${caseId}`);
    expect((after.json as Detail).summary).toBe(canary);
  });

  it('refuses agents other than accueil at the role gate (403)', async () => {
    const res = await draft(instructeur, caseId, { rights: ['AAH'], situation: 'x' });
    expect(res.status).toBe(403);
    expect(problemType(res)).toBe('urn:cloison:problem:forbidden');
  });

  it('answers the agent d’accueil, who did not open this draft, exactly as for a missing case', async () => {
    const theirs = await draft(accueil, caseId, { rights: ['AAH'], situation: 'réécrit' });
    const missing = await draft(accueil, randomUUID(), { rights: ['AAH'], situation: 'réécrit' });
    expect(theirs.status).toBe(404);
    expect(theirs.text).toBe(missing.text);
    const after = await usager.get(`/api/v1/cases/${caseId}`);
    expect((after.json as Detail).summary).toBe(canary);
  });

  it('refuses an over-long situation (400) and leaves the draft as it was', async () => {
    const res = await draft(usager, caseId, { rights: ['AAH'], situation: 'x'.repeat(10_001) });
    expect(res.status).toBe(400);
    const after = await usager.get(`/api/v1/cases/${caseId}`);
    expect((after.json as Detail).rights.map((r) => r.code).sort()).toEqual(['CMI', 'PCH']);
  });

  it('answers 409 once the case is submitted, and the case stays as submitted', async () => {
    const moved = await usager.post(`/api/v1/cases/${caseId}/transitions`, {
      json: { to: 'depose' },
    });
    expect(moved.status, moved.text).toBe(200);
    const res = await draft(usager, caseId, { rights: ['AAH'], situation: 'trop tard' });
    expect(res.status).toBe(409);
    expect(problemType(res)).toBe('urn:cloison:problem:not-a-draft');
    const after = (await usager.get(`/api/v1/cases/${caseId}`)).json as Detail;
    expect(after.abilities).not.toContain('case.editDraft');
    expect(after.status).toBe('depose');
    expect(after.summary).toBe(canary);
    expect(after.rights.map((r) => r.code).sort()).toEqual(['CMI', 'PCH']);
  });
});
