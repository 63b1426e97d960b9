import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld } from './harness/world.js';
import { expectProblem, problemSlug } from './support/problem.js';
import { stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

/**
 * THREATS.md T3, its first wall: nothing leaves in bulk without a recorded instruction (who
 * ordered it, why, for whom, the exact fields and categories, the recipient's key, an expiry)
 * approved by the DPO, never by the orderer; an approved instruction never changes.
 */

const RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
let server: RunningServer;
const login = (label: string, tenant = '44') =>
  new Client(server.baseUrl).login(server.account(label, tenant));

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

function instruction(over: Record<string, unknown> = {}) {
  return {
    kind: 'export',
    purpose: 'Reprise des dossiers par le nouveau logiciel de la MDPH',
    legalBasis: 'Mission d’intérêt public (RGPD art. 6.1.e)',
    recipient: {
      name: 'Éditeur du nouveau logiciel',
      contact: 'reprise@editeur.example.fr',
      ageRecipient: RECIPIENT,
    },
    scope: { statuses: ['notifie'] },
    fields: ['case.reference', 'case.status', 'person.lastName'],
    documentCategories: ['decision'],
    expiresAt: inDays(14),
    ...over,
  };
}

const countInstructions = () =>
  queryDb<{ n: number }>(server.dbFile, 'select count(*) as n from export_instructions')[0]!.n;
const eventsOf = (kind: string) =>
  queryDb<{ n: number }>(
    server.dbFile,
    'select count(*) as n from security_events where kind = ?',
    kind,
  )[0]!.n;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => stopAndRemove(server));

describe('export instructions (T3)', () => {
  it('lists every exportable field with its sensitivity, to those who order or approve', async () => {
    for (const label of ['responsable', 'admin', 'dpo']) {
      const res = await (await login(label)).get('/api/v1/export-fields');
      expect(res.status, label).toBe(200);
      const items = (res.json as { items: Array<{ name: string; sensitivity: string }> }).items;
      expect(items).toContainEqual(
        expect.objectContaining({ name: 'person.nir', sensitivity: 'nir' }),
      );
      expect(items).toContainEqual(
        expect.objectContaining({ name: 'documents.medical', sensitivity: 'health' }),
      );
    }
    for (const label of ['instructeur', 'usager', 'cdaph']) {
      expectProblem(await (await login(label)).get('/api/v1/export-fields'), 403, label);
    }
  });

  it('records an instruction as ordered, pending, with what its scope covers', async () => {
    const responsable = await login('responsable');
    const before = eventsOf('export.ordered');
    const res = await responsable.post('/api/v1/export-instructions', { json: instruction() });
    expect(res.status, res.text).toBe(201);
    const view = res.json as Record<string, unknown> & {
      counts: { cases: number; persons: number };
    };
    expect(view).toMatchObject({
      status: 'pending',
      kind: 'export',
      orderedBy: server.account('responsable').id,
      decidedBy: null,
      fields: ['case.reference', 'case.status', 'person.lastName'],
    });
    const notified = queryDb<{ n: number; p: number }>(
      server.dbFile,
      `select count(*) as n, count(distinct person_id) as p from cases
        where status = 'notifie' and tenant_id = (select id from tenants where code = '44')`,
    )[0]!;
    expect(notified.n).toBeGreaterThan(0);
    expect(view.counts).toEqual({ cases: notified.n, persons: notified.p });
    expect(eventsOf('export.ordered')).toBe(before + 1);
  });

  it('counts what a filter by right and filing days selects', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await (
      await login('responsable')
    ).post('/api/v1/export-instructions', {
      json: instruction({ scope: { rights: ['AAH'], from: '2000-01-01', to: today } }),
    });
    expect(res.status, res.text).toBe(201);
    const expected = queryDb<{ n: number; p: number }>(
      server.dbFile,
      `select count(*) as n, count(distinct person_id) as p from cases c
        where c.tenant_id = (select id from tenants where code = '44')
          and exists (select 1 from case_rights r where r.case_id = c.id and r.right_code = 'AAH')`,
    )[0]!;
    expect(expected.n).toBeGreaterThan(0);
    expect((res.json as { counts: unknown }).counts).toEqual({
      cases: expected.n,
      persons: expected.p,
    });
    // A period that ended before any case was filed selects none.
    const none = await (
      await login('responsable')
    ).post('/api/v1/export-instructions', {
      json: instruction({ scope: { rights: ['AAH'], from: '2000-01-01', to: '2000-12-31' } }),
    });
    expect((none.json as { counts: unknown }).counts).toEqual({ cases: 0, persons: 0 });
  });

  it.each([
    ['a field outside the catalogue', { fields: ['person.password'] }, /pas au catalogue/],
    ['a document entry as a field', { fields: ['documents.medical'] }, /par catégorie/],
    ['health data to a plain recipient', { fields: ['case.situation'] }, /destinataire médical/],
    [
      'medical pieces without a reason',
      {
        documentCategories: ['medical'],
        recipient: { ...instruction().recipient, medical: true },
      },
      /raison/,
    ],
    [
      'a recipient key with a bad checksum',
      { recipient: { ...instruction().recipient, ageRecipient: `${RECIPIENT.slice(0, -1)}q` } },
      /clé publique age/,
    ],
    [
      'a recipient key that is an identity',
      {
        recipient: {
          ...instruction().recipient,
          ageRecipient: 'age1secretkey1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq',
        },
      },
      /clé publique age/,
    ],
    ['an expiry in the past', { expiresAt: inDays(-1) }, /futur/],
    // Its source is erased after: a migration that left fields behind would lose them.
    ['a migration that leaves fields behind', { kind: 'migration' }, /il manque/],
    ['an export that says to erase open cases', { eraseOpenCases: true }, /Seule une migration/],
    ['an expiry beyond 90 days', { expiresAt: inDays(91) }, /au plus tard/],
  ])('refuses %s, records it and stores nothing', async (_name, over, message) => {
    const responsable = await login('responsable');
    const before = { rows: countInstructions(), events: eventsOf('export.order-refused') };
    const res = await responsable.post('/api/v1/export-instructions', {
      json: instruction(over),
    });
    expectProblem(res, 400);
    expect((res.json as { detail: string }).detail).toMatch(message);
    expect(countInstructions()).toBe(before.rows);
    expect(eventsOf('export.order-refused')).toBe(before.events + 1);
  });

  it('refuses a field slipped in beside the instruction by its schema', async () => {
    const res = await (
      await login('responsable')
    ).post('/api/v1/export-instructions', {
      json: { ...instruction(), extraFields: ['person.nir'] },
    });
    expectProblem(res, 400);
  });

  it('lets health data go only to a medical recipient that says why', async () => {
    const res = await (
      await login('responsable')
    ).post('/api/v1/export-instructions', {
      json: instruction({
        fields: ['case.reference', 'case.situation'],
        documentCategories: ['medical'],
        recipient: { ...instruction().recipient, medical: true },
        medicalReason: 'Suivi médical repris par le service de santé publique du département.',
      }),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ recipient: { medical: true } });
  });

  it('refuses a case of another département in the scope exactly like a case that does not exist', async () => {
    const world = readWorld(server.dbFile);
    const t85 = world.tenants.find((t) => t.code === '85')!.id;
    const foreign = world.cases.find((c) => c.tenant_id === t85)!.id;
    const missing = crypto.randomUUID();
    const responsable = await login('responsable');
    const before = countInstructions();
    const send = (id: string) =>
      responsable.post('/api/v1/export-instructions', {
        json: instruction({ scope: { caseIds: [id] } }),
      });
    const a = await send(foreign);
    const b = await send(missing);
    expectProblem(a, 400);
    expect(a.text.replace(foreign, '?')).toBe(b.text.replace(missing, '?'));
    expect(countInstructions()).toBe(before);
  });

  it('is approved by the DPO of its département only, never by its orderer, then once only', async () => {
    const responsable = await login('responsable');
    const created = await responsable.post('/api/v1/export-instructions', {
      json: instruction(),
    });
    const { id } = created.json as { id: string };
    const approve = (c: Client, what = id) =>
      c.post(`/api/v1/export-instructions/${what}/approval`);

    // The orderer and the admin are not approvers: the role gate says so.
    expectProblem(await approve(responsable), 403, 'orderer');
    expectProblem(await approve(await login('admin')), 403, 'admin');
    // The DPO of another département finds nothing, exactly as for an id that names nothing.
    const dpo85 = await login('dpo', '85');
    const foreign = await approve(dpo85);
    const missing = await approve(dpo85, crypto.randomUUID());
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(missing.text);

    const dpo = await login('dpo');
    const approved = await approve(dpo);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json).toMatchObject({ decidedBy: server.account('dpo').id });
    // The export job may already have picked it up.
    expect(['approved', 'running', 'ready']).toContain(
      (approved.json as { status: string }).status,
    );
    expect(problemSlug(await approve(dpo))).toBe('instruction-not-pending');
    const refusal = await dpo.post(`/api/v1/export-instructions/${id}/refusal`, {
      json: { reason: 'Trop tard pour changer d’avis' },
    });
    expect(problemSlug(refusal)).toBe('instruction-not-pending');
    const audited = queryDb<{ n: number }>(
      server.dbFile,
      "select count(*) as n from security_events where kind = 'export.approved' and object_id = ?",
      id,
    )[0]!.n;
    expect(audited).toBe(1);
  });

  it('is refused by the DPO with a reason, which the orderer reads', async () => {
    const responsable = await login('responsable');
    const { id } = (await responsable.post('/api/v1/export-instructions', { json: instruction() }))
      .json as { id: string };
    const dpo = await login('dpo');
    const res = await dpo.post(`/api/v1/export-instructions/${id}/refusal`, {
      json: { reason: 'Le nom n’est pas nécessaire à la reprise' },
    });
    expect(res.status, res.text).toBe(200);
    const seen = await responsable.get(`/api/v1/export-instructions/${id}`);
    expect(seen.json).toMatchObject({
      status: 'refused',
      refusalReason: 'Le nom n’est pas nécessaire à la reprise',
    });
    expect(problemSlug(await dpo.post(`/api/v1/export-instructions/${id}/approval`))).toBe(
      'instruction-not-pending',
    );
  });

  it('shows the orderer their own instructions and the DPO all of the département', async () => {
    const admin = await login('admin');
    const mine = await admin.post('/api/v1/export-instructions', { json: instruction() });
    const adminId = (mine.json as { id: string }).id;
    const ids = async (c: Client) =>
      (
        (await c.get('/api/v1/export-instructions')).json as { items: Array<{ id: string }> }
      ).items.map((i) => i.id);
    const all = queryDb<{ id: string }>(
      server.dbFile,
      "select id from export_instructions where tenant_id = (select id from tenants where code = '44')",
    ).map((r) => r.id);
    expect((await ids(await login('dpo'))).sort()).toEqual([...all].sort());
    expect(await ids(admin)).toEqual([adminId]);
    const responsableIds = await ids(await login('responsable'));
    expect(responsableIds).not.toContain(adminId);
    // The responsable did not order the admin's: it answers as missing.
    const other = await (await login('responsable')).get(`/api/v1/export-instructions/${adminId}`);
    const none = await (
      await login('responsable')
    ).get(`/api/v1/export-instructions/${crypto.randomUUID()}`);
    expect(other.status).toBe(404);
    expect(other.text).toBe(none.text);
  });

  it('never changes once written, and its approver is never its orderer, even behind the API', () => {
    const [row] = queryDb<{ id: string; ordered_by: string }>(
      server.dbFile,
      'select id, ordered_by from export_instructions where decided_by is not null and refusal_reason is null limit 1',
    );
    expect(row).toBeDefined();
    expect(() =>
      writeDb(
        server.dbFile,
        'update export_instructions set fields = ? where id = ?',
        '["person.nir"]',
        row!.id,
      ),
    ).toThrow(/never changes/);
    expect(() =>
      writeDb(
        server.dbFile,
        'update export_instructions set decided_by = ordered_by where id = ?',
        row!.id,
      ),
    ).toThrow(/CHECK constraint/);
    // Whether a migration erases open cases is part of what was approved: it never changes either.
    expect(() =>
      writeDb(
        server.dbFile,
        'update export_instructions set erase_open_cases = 1 where id = ?',
        row!.id,
      ),
    ).toThrow(/never changes/);
  });

  it('expires unapproved: past its expiry it can no longer be approved', async () => {
    const dataDir = server.dataDir;
    await server.stop();
    server = await startServer({ dataDir, env: { CLOISON_CLOCK_OFFSET: '31d' } });
    const dpo = await login('dpo');
    // The demo's pending instruction expires 30 days after the seed.
    const demo = queryDb<{ id: string }>(
      server.dbFile,
      `select id from export_instructions where purpose like 'Statistiques annuelles%' and tenant_id = (select id from tenants where code = '44')`,
    )[0]!;
    const seen = await dpo.get(`/api/v1/export-instructions/${demo.id}`);
    expect(seen.json).toMatchObject({ status: 'expired' });
    expect(problemSlug(await dpo.post(`/api/v1/export-instructions/${demo.id}/approval`))).toBe(
      'instruction-not-pending',
    );
  });
});
