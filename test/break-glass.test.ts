import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { stopAndRemove } from './support/storage.js';

/**
 * Issue 5 item 6: a staff member opens a case outside their assignment only with a written
 * reason, for a limited time; the grant and its audit event commit together, the accesses made
 * under it say so in the audit log, and the DPO reviews every one.
 */

let server: RunningServer;
let world: World;
beforeAll(async () => {
  server = await startServer();
  world = readWorld(server.dbFile);
});
afterAll(() => stopAndRemove(server));

const REASON = 'La personne a appelé : son instructeur est absent, réponse urgente demandée';

function auditOf(action: string, objectId: string) {
  return queryDb<{ entry: string }>(
    server.dbFile,
    `select entry from audit_events where json_extract(entry, '$.action') = ?
       and json_extract(entry, '$.objectId') = ? order by seq`,
    action,
    objectId,
  ).map((r) => JSON.parse(r.entry) as Record<string, unknown>);
}

/**
 * A submitted case of the instructeur's département they do not reach by assignment or team (a
 * draft is no request yet: nobody breaks the glass on one).
 */
function unreachableCase(instructeurId: string) {
  const me = world.accounts.find((a) => a.id === instructeurId)!;
  return world.cases.find(
    (c) =>
      c.tenant_id === me.tenant_id &&
      c.status !== 'brouillon' &&
      c.instructeur_id !== me.id &&
      (me.team === null || c.team !== me.team),
  )!;
}

describe('break-glass', () => {
  it('opens an unassigned case only with a reason, for a limited time, recorded with its purpose', async () => {
    const instructeur = server.account('instructeur');
    const client = await new Client(server.baseUrl).login(instructeur);
    const target = unreachableCase(instructeur.id);
    expect((await client.get(`/api/v1/cases/${target.id}`)).status).toBe(404);

    // A reason that explains nothing is refused, and grants nothing.
    const vague = await client.post(`/api/v1/cases/${target.id}/break-glass`, {
      json: { reason: 'urgent', minutes: 30 },
    });
    expect(vague.status).toBe(400);
    // Nor a reason of blanks, which the schema's length alone would let through.
    const blank = await client.post(`/api/v1/cases/${target.id}/break-glass`, {
      json: { reason: ' '.repeat(25), minutes: 30 },
    });
    expect(blank.status).toBe(400);
    expect(vague.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await client.get(`/api/v1/cases/${target.id}`)).status).toBe(404);

    const opened = await client.post(`/api/v1/cases/${target.id}/break-glass`, {
      json: { reason: REASON, minutes: 30 },
    });
    expect(opened.status).toBe(201);
    const grant = opened.json as { id: string; expiresAt: string };
    expect(Date.parse(grant.expiresAt) - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(Date.parse(grant.expiresAt) - Date.now()).toBeLessThan(31 * 60_000);

    // The reason is sealed: never in clear in the database.
    const stored = queryDb<{ reason_enc: Buffer }>(
      server.dbFile,
      'select reason_enc from break_glass_grants where id = ?',
      grant.id,
    )[0]!;
    expect(stored.reason_enc.toString('latin1')).not.toContain('instructeur est absent');

    const read = await client.get(`/api/v1/cases/${target.id}`);
    expect(read.status).toBe(200);
    const [openedEvent] = auditOf('case.breakGlass', target.id);
    expect(openedEvent).toMatchObject({
      actorId: instructeur.id,
      outcome: 'allowed',
      purpose: 'accès exceptionnel (bris de glace)',
    });
    expect(JSON.stringify(openedEvent)).not.toContain('absent');
    const reads = auditOf('case.read', target.id).filter((e) => e.actorId === instructeur.id);
    expect(reads).toHaveLength(1);
    expect(reads[0]!.purpose).toBe('accès exceptionnel (bris de glace)');

    // It opens the case to read it: writing, moving, deciding stay with its assignees.
    const note = await client.post(`/api/v1/cases/${target.id}/notes`, {
      json: { body: 'Une note écrite sous bris de glace' },
    });
    expect(note.status).toBe(404);

    // Asking again while it lasts: nothing to open.
    const again = await client.post(`/api/v1/cases/${target.id}/break-glass`, {
      json: { reason: REASON, minutes: 30 },
    });
    expect(again.status).toBe(409);
  });

  it('never crosses départements: a foreign case answers like a missing one', async () => {
    const instructeur = server.account('instructeur');
    const client = await new Client(server.baseUrl).login(instructeur);
    const me = world.accounts.find((a) => a.id === instructeur.id)!;
    const foreign = world.cases.find((c) => c.tenant_id !== me.tenant_id)!;
    const send = (id: string) =>
      client.post(`/api/v1/cases/${id}/break-glass`, { json: { reason: REASON, minutes: 30 } });
    const refused = await send(foreign.id);
    const missing = await send('00000000-0000-4000-8000-00000000dead');
    expect(refused.status).toBe(404);
    expect(refused.text).toBe(missing.text);
    expect(
      queryDb(server.dbFile, 'select id from break_glass_grants where case_id = ?', foreign.id),
    ).toHaveLength(0);
  });

  it('is listed for the DPO with its reason, reviewed once, and by nobody else', async () => {
    const instructeur = server.account('instructeur');
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    const list = await dpo.get('/api/v1/break-glass');
    expect(list.status).toBe(200);
    const items = (list.json as { items: Array<{ id: string; reason: string; accountId: string }> })
      .items;
    const mine = items.find((i) => i.accountId === instructeur.id)!;
    expect(mine.reason).toBe(REASON);

    const otherDpo = await new Client(server.baseUrl).login(server.account('dpo', '85'));
    expect((await otherDpo.get('/api/v1/break-glass')).json).toEqual({ items: [] });
    const foreignReview = await otherDpo.post(`/api/v1/break-glass/${mine.id}/review`, {
      json: { verdict: 'unjustified' },
    });
    const missingReview = await otherDpo.post(
      '/api/v1/break-glass/00000000-0000-4000-8000-00000000dead/review',
      { json: { verdict: 'unjustified' } },
    );
    expect(foreignReview.status).toBe(404);
    expect(foreignReview.text).toBe(missingReview.text);

    const holder = await new Client(server.baseUrl).login(instructeur);
    expect((await holder.get('/api/v1/break-glass')).status).toBe(403);

    const review = await dpo.post(`/api/v1/break-glass/${mine.id}/review`, {
      json: { verdict: 'justified' },
    });
    expect(review.status).toBe(204);
    const twice = await dpo.post(`/api/v1/break-glass/${mine.id}/review`, {
      json: { verdict: 'unjustified' },
    });
    expect(twice.status).toBe(409);
    const pending = (await dpo.get('/api/v1/break-glass')).json as { items: Array<{ id: string }> };
    expect(pending.items.map((i) => i.id)).not.toContain(mine.id);
  });

  it('does not stand in the way of erasing the person', async () => {
    const target = unreachableCase(server.account('instructeur').id);
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    const erased = await dpo.post(`/api/v1/persons/${target.person_id}/erasure`, {
      json: { reason: 'right-to-erasure' },
    });
    expect(erased.status, erased.text).toBe(201);
    expect(
      queryDb(server.dbFile, 'select id from break_glass_grants where case_id = ?', target.id),
    ).toHaveLength(0);
    // What happened stays in the audit log.
    expect(auditOf('case.breakGlass', target.id)).toHaveLength(1);
  });

  it('ends on time: past its expiry the case answers 404 again', async () => {
    const instructeur = server.account('instructeur');
    const me = world.accounts.find((a) => a.id === instructeur.id)!;
    const erased = unreachableCase(instructeur.id).person_id;
    const other = world.cases.find(
      (c) =>
        c.tenant_id === me.tenant_id &&
        c.status !== 'brouillon' &&
        c.person_id !== erased &&
        c.instructeur_id !== me.id &&
        (me.team === null || c.team !== me.team),
    )!;
    const client = await new Client(server.baseUrl).login(instructeur);
    const opened = await client.post(`/api/v1/cases/${other.id}/break-glass`, {
      json: { reason: REASON, minutes: 5 },
    });
    expect(opened.status).toBe(201);
    expect((await client.get(`/api/v1/cases/${other.id}`)).status).toBe(200);
    const dataDir = server.dataDir;
    await server.stop();
    server = await startServer({ dataDir, env: { CLOISON_CLOCK_OFFSET: '6m', NODE_ENV: 'test' } });
    const later = await new Client(server.baseUrl).login(server.account('instructeur'));
    expect((await later.get(`/api/v1/cases/${other.id}`)).status).toBe(404);
  });
});
