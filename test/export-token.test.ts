import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client, type HttpResult } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld } from './harness/world.js';
import { expectProblem, problemSlug } from './support/problem.js';
import { eventually, stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

/**
 * THREATS.md T3, the recipient's side: the orderer of an approved export mints a token for the
 * recipient's system, which downloads that one export (and acknowledges it, a migration) until
 * the instruction's expiry, and reaches nothing else: another instruction is missing to it,
 * every other route refuses it. The admins see it and revoke it like any token.
 */

let server: RunningServer;
let work: string;
let identity: string;
let recipient: string;
/** The export of the first tests; the expiry test at the end tries to mint on it again. */
let exportId: string;

const login = (label: string, tenant = '44') =>
  new Client(server.baseUrl).login(server.account(label, tenant));
const withToken = (token: string) => {
  const client = new Client(server.baseUrl);
  client.bearer = token;
  return client;
};
/** The answer with an id blanked out, to compare a refusal with a missing object's answer. */
const without = (res: HttpResult, id: string) => `${res.status} ${res.text.split(id).join('?')}`;
const missingId = () => crypto.randomUUID();

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-xtoken-'));
  identity = path.join(work, 'recipient.txt');
  execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
  recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity]).toString().trim();
  server = await startServer();
});
afterAll(async () => {
  await stopAndRemove(server);
  fs.rmSync(work, { recursive: true, force: true });
});

const ALL_FIELDS = [
  'case.reference',
  'case.status',
  'case.dates',
  'case.rights',
  'case.decisions',
  'case.situation',
  'case.history',
  'case.messages',
  'case.notes',
  'person.firstName',
  'person.lastName',
  'person.birthDate',
  'person.address',
  'person.nir',
];
const ALL_CATEGORIES = [
  'identity',
  'address',
  'medical',
  'financial',
  'decision',
  'correspondence',
  'other',
];
const EXPIRES_IN_DAYS = 10;

/** Orders an instruction as the responsable of the tenant; approved by its DPO unless told. */
async function order(
  over: Record<string, unknown> = {},
  { tenant = '44', approve = true } = {},
): Promise<string> {
  const created = await (
    await login('responsable', tenant)
  ).post('/api/v1/export-instructions', {
    json: {
      kind: 'export',
      purpose: 'Transmission des décisions au système du destinataire',
      legalBasis: 'Mission d’intérêt public (RGPD art. 6.1.e)',
      recipient: {
        name: 'Service statistique',
        contact: 'stats@example.fr',
        ageRecipient: recipient,
      },
      scope: { statuses: ['notifie'] },
      fields: ['case.reference', 'case.status'],
      documentCategories: [],
      expiresAt: new Date(Date.now() + EXPIRES_IN_DAYS * 86_400_000).toISOString(),
      ...over,
    },
  });
  expect(created.status, created.text).toBe(201);
  const { id } = created.json as { id: string };
  if (approve) {
    const approved = await (
      await login('dpo', tenant)
    ).post(`/api/v1/export-instructions/${id}/approval`);
    expect(approved.status, approved.text).toBe(200);
  }
  return id;
}

async function waitReady(id: string, tenant = '44'): Promise<void> {
  const responsable = await login('responsable', tenant);
  await vi.waitFor(
    async () => {
      const view = (await responsable.get(`/api/v1/export-instructions/${id}`)).json;
      expect(view).toMatchObject({ status: 'ready' });
    },
    { timeout: 30_000, interval: 250 },
  );
}

const mint = async (client: Client, id: string, json: Record<string, unknown> = {}) =>
  client.post(`/api/v1/export-instructions/${id}/recipient-token`, { json });

/** Decrypts a downloaded export as the recipient does, with Debian's age; returns the manifest. */
function openAsRecipient(bytes: Uint8Array, name: string): Buffer {
  const file = path.join(work, `${name}.age`);
  fs.writeFileSync(file, bytes);
  const tarFile = path.join(work, `${name}.tar`);
  fs.writeFileSync(tarFile, execFileSync('/usr/bin/age', ['-d', '-i', identity, file]));
  return execFileSync('tar', ['-xOf', tarFile, 'MANIFEST.json']);
}

const events = (kind: string, objectId: string) =>
  queryDb<{ token_id: string | null; account_id: string | null; detail: string | null }>(
    server.dbFile,
    'select token_id, account_id, detail from security_events where kind = ? and object_id = ?',
    kind,
    objectId,
  );

describe('the recipient’s token of an export (T3)', () => {
  let otherId: string;
  let token: string;
  let tokenId: string;

  it('is minted by the orderer only, once the DPO has approved, expiring with the instruction', async () => {
    const responsable = await login('responsable');
    const pending = await order({}, { approve: false });
    const early = await mint(responsable, pending);
    expectProblem(early, 409);
    expect(problemSlug(early)).toBe('instruction-not-approved');

    const refused = await order({}, { approve: false });
    const refusal = await (
      await login('dpo')
    ).post(`/api/v1/export-instructions/${refused}/refusal`, {
      json: { reason: 'Le destinataire n’a pas à recevoir ces dossiers.' },
    });
    expect(refusal.status, refusal.text).toBe(200);
    expect(problemSlug(await mint(responsable, refused))).toBe('instruction-not-approved');

    exportId = await order();
    otherId = pending;
    // Anyone but the orderer: the same answer as for an instruction that does not exist. The
    // DPO, whose role never takes an export away, is stopped by the role gate first.
    for (const [label, tenant] of [
      ['admin', '44'],
      ['responsable', '85'],
      ['admin', '85'],
    ] as const) {
      const client = await login(label, tenant);
      const missing = missingId();
      const refused = await mint(client, exportId);
      expectProblem(refused, 404);
      expect(without(refused, exportId)).toBe(without(await mint(client, missing), missing));
    }
    expectProblem(await mint(await login('dpo'), exportId), 403);
    expect(
      queryDb(server.dbFile, 'select 1 from api_tokens where export_instruction_id = ?', exportId),
    ).toHaveLength(0);

    const created = await mint(responsable, exportId);
    expect(created.status, created.text).toBe(201);
    const view = created.json as Record<string, unknown> & { token: string; id: string };
    const instruction = (await responsable.get(`/api/v1/export-instructions/${exportId}`)).json as {
      expiresAt: string;
      decidedBy: string;
    };
    expect(view).toMatchObject({
      status: 'active',
      exportInstructionId: exportId,
      permissions: ['export.download'],
      expiresAt: instruction.expiresAt,
      createdBy: server.account('responsable').id,
      approvedBy: instruction.decidedBy,
    });
    expect(view.token).toMatch(/^clo_/);
    token = view.token;
    tokenId = view.id;
    const [minted] = events('token.minted-for-export', tokenId);
    expect(minted).toMatchObject({ account_id: server.account('responsable').id });
    expect(JSON.parse(minted!.detail!)).toMatchObject({ exportInstructionId: exportId });
  });

  it('downloads its export, which the recipient opens with age, audited as the orderer’s are', async () => {
    await waitReady(exportId);
    const res = await withToken(token).get(`/api/v1/exports/${exportId}/content`);
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    const manifest = JSON.parse(openAsRecipient(res.bytes, exportId).toString()) as object;
    expect(manifest).toHaveProperty('receipt');
    expect(events('export.downloaded', exportId)).toEqual([
      expect.objectContaining({ token_id: tokenId, account_id: null }),
    ]);
    // The bulk-download rule counts the token's downloads as it counts an agent's.
    const settings = await (
      await login('dpo')
    ).put('/api/v1/alert-settings', {
      json: { rules: [{ rule: 'bulk-download', threshold: 2, windowMinutes: 10 }] },
    });
    expect(settings.status, settings.text).toBe(200);
    expect((await withToken(token).get(`/api/v1/exports/${exportId}/content`)).status).toBe(200);
    const alerts = () =>
      queryDb(
        server.dbFile,
        "select 1 from alerts where rule = 'bulk-download' and subject = ?",
        tokenId,
      );
    expect(await eventually(() => alerts().length === 1, 10_000)).toBe(true);
  });

  it('reaches nothing else: another instruction is missing, every other route refuses it', async () => {
    const client = withToken(token);
    const missing = missingId();
    const other = await client.get(`/api/v1/exports/${otherId}/content`);
    expectProblem(other, 404);
    expect(without(other, otherId)).toBe(
      without(await client.get(`/api/v1/exports/${missing}/content`), missing),
    );
    for (const url of [
      '/api/v1/cases',
      '/api/v1/export-instructions',
      `/api/v1/export-instructions/${exportId}`,
      '/api/v1/integration-tokens',
    ]) {
      expectProblem(await client.get(url), 403, url);
    }
    // It cannot mint its own successor, nor approve anything.
    expectProblem(await mint(client, exportId), 403);
    expectProblem(await client.post(`/api/v1/export-instructions/${otherId}/approval`), 403);
    // An export is no migration: nothing to acknowledge, as for the DPO.
    const ack = await client.post(`/api/v1/export-instructions/${exportId}/acknowledgement`, {
      json: { manifestSha256: 'a'.repeat(64), receipt: 'b'.repeat(32) },
    });
    expect(problemSlug(ack)).toBe('not-a-migration');
  });

  it('is refused on its instruction by a token of another département', async () => {
    const id85 = await order({}, { tenant: '85' });
    const created = await mint(await login('responsable', '85'), id85);
    expect(created.status, created.text).toBe(201);
    const foreign = withToken((created.json as { token: string }).token);
    const missing = missingId();
    const refused = await foreign.get(`/api/v1/exports/${exportId}/content`);
    expectProblem(refused, 404);
    expect(without(refused, exportId)).toBe(
      without(await foreign.get(`/api/v1/exports/${missing}/content`), missing),
    );
  });

  it('is never grantable to an ordinary token, and gives nothing to one holding it', async () => {
    const admin = await login('admin');
    const body = (permissions: string[]) => ({
      name: 'SI du département',
      permissions,
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    for (const action of ['export.download', 'export.acknowledge', 'export.mintRecipientToken']) {
      expectProblem(
        await admin.post('/api/v1/integration-tokens', { json: body([action]) }),
        400,
        action,
      );
    }
    const created = await admin.post('/api/v1/integration-tokens', { json: body(['case.list']) });
    expect(created.status, created.text).toBe(201);
    const ordinary = created.json as { id: string; token: string };
    expect(
      (await (await login('admin-2')).post(`/api/v1/integration-tokens/${ordinary.id}/approve`))
        .status,
    ).toBe(200);
    // Written behind the API's back: the stored permission still opens nothing.
    writeDb(
      server.dbFile,
      'update api_tokens set permissions = ? where id = ?',
      JSON.stringify(['case.list', 'export.download', 'export.acknowledge']),
      ordinary.id,
    );
    const client = withToken(ordinary.token);
    expect((await client.get('/api/v1/cases')).status).toBe(200);
    expectProblem(await client.get(`/api/v1/exports/${exportId}/content`), 403);
  });

  it('is listed for the admins with its instruction, replaced by a new mint, revoked like any token', async () => {
    const admin = await login('admin');
    const list = (await admin.get('/api/v1/integration-tokens')).json as {
      items: Array<{ id: string; exportInstructionId: string | null; status: string }>;
    };
    expect(list.items.find((t) => t.id === tokenId)).toMatchObject({
      exportInstructionId: exportId,
      status: 'active',
    });
    // The recipient lost it: the orderer mints another, the first stops at once.
    const again = await mint(await login('responsable'), exportId, {
      allowedRanges: ['127.0.0.0/8'],
    });
    expect(again.status, again.text).toBe(201);
    const second = again.json as { id: string; token: string; allowedRanges: string[] };
    expect(second.allowedRanges).toEqual(['127.0.0.0/8']);
    expectProblem(await withToken(token).get(`/api/v1/exports/${exportId}/content`), 401);
    expect(events('token.revoked', tokenId)).toHaveLength(1);
    expect(
      queryDb(
        server.dbFile,
        'select id from api_tokens where export_instruction_id = ? and revoked_at is null',
        exportId,
      ),
    ).toEqual([{ id: second.id }]);
    expect((await withToken(second.token).get(`/api/v1/exports/${exportId}/content`)).status).toBe(
      200,
    );
    // Bound to a range the client is not in: refused like any token.
    const elsewhere = await mint(await login('responsable'), exportId, {
      allowedRanges: ['10.0.0.0/8'],
    });
    expect(elsewhere.status).toBe(201);
    const far = elsewhere.json as { id: string; token: string };
    expectProblem(await withToken(far.token).get(`/api/v1/exports/${exportId}/content`), 401);
    expect((await admin.delete(`/api/v1/integration-tokens/${far.id}`)).status).toBe(204);
    // After revocation by the admin: nothing, and a mint is needed again.
    const third = await mint(await login('responsable'), exportId);
    const revocable = third.json as { id: string; token: string };
    expect((await admin.delete(`/api/v1/integration-tokens/${revocable.id}`)).status).toBe(204);
    expectProblem(await withToken(revocable.token).get(`/api/v1/exports/${exportId}/content`), 401);
  });
});

describe('the recipient’s token of a migration (T3)', () => {
  let migrationId: string;
  let token: string;
  let tokenId: string;
  let personId: string;

  it('posts the acknowledgement of what it received, and the grace period starts', async () => {
    const world = readWorld(server.dbFile);
    const t44 = world.tenants.find((t) => t.code === '44')!.id;
    const decoys = new Set(world.decoys.map((d) => d.person_id));
    const inMandate = new Set(
      world.mandates.flatMap((m) => [
        m.person_id,
        ...world.persons
          .filter((p) => p.account_id === m.representative_account_id)
          .map((p) => p.id),
      ]),
    );
    const person = world.persons.find(
      (p) =>
        p.tenant_id === t44 &&
        !decoys.has(p.id) &&
        !inMandate.has(p.id) &&
        world.cases.some((c) => c.person_id === p.id),
    )!;
    personId = person.id;
    migrationId = await order({
      kind: 'migration',
      purpose: 'Reprise par le nouveau logiciel de la MDPH',
      recipient: {
        name: 'Service médical de reprise',
        contact: 'reprise@editeur.example.fr',
        ageRecipient: recipient,
        medical: true,
      },
      medicalReason: 'Le nouveau logiciel reprend tout le dossier, pièces médicales comprises.',
      scope: { caseIds: world.cases.filter((c) => c.person_id === person.id).map((c) => c.id) },
      fields: ALL_FIELDS,
      documentCategories: ALL_CATEGORIES,
      eraseOpenCases: true,
    });
    const created = await mint(await login('responsable'), migrationId);
    expect(created.status, created.text).toBe(201);
    ({ token, id: tokenId } = created.json as { token: string; id: string });
    expect((created.json as { permissions: string[] }).permissions).toEqual([
      'export.download',
      'export.acknowledge',
    ]);
    await waitReady(migrationId);
    const client = withToken(token);
    const url = `/api/v1/export-instructions/${migrationId}/acknowledgement`;
    // Nothing downloaded yet: nothing to acknowledge, as for the DPO.
    const early = await client.post(url, {
      json: { manifestSha256: 'f'.repeat(64), receipt: 'f'.repeat(32) },
    });
    expect(problemSlug(early)).toBe('export-not-downloaded');

    const file = await client.get(`/api/v1/exports/${migrationId}/content`);
    expect(file.status).toBe(200);
    const manifest = openAsRecipient(file.bytes, migrationId);
    const manifestSha256 = createHash('sha256').update(manifest).digest('hex');
    const { receipt } = JSON.parse(manifest.toString()) as { receipt: string };

    expectProblem(
      await client.post(url, { json: { manifestSha256, receipt: '0'.repeat(32) } }),
      400,
    );
    expect(events('export.acknowledgement-refused', migrationId)).toEqual([
      expect.objectContaining({ token_id: tokenId }),
    ]);
    const ack = await client.post(url, { json: { manifestSha256, receipt } });
    expect(ack.status, ack.text).toBe(200);
    expect(ack.json).toMatchObject({
      status: 'acknowledged',
      migration: { acknowledgedBy: null, acknowledgedByToken: tokenId, erasedAt: null },
    });
    expect(events('export.acknowledged', migrationId)).toEqual([
      expect.objectContaining({ token_id: tokenId, account_id: null }),
    ]);
    // The DPO sees who acknowledged it.
    const seen = await (await login('dpo')).get(`/api/v1/export-instructions/${migrationId}`);
    expect(seen.json).toMatchObject({ migration: { acknowledgedByToken: tokenId } });
  });

  it('is the only token the database takes as a migration’s acknowledger', async () => {
    const other = queryDb<{ id: string }>(
      server.dbFile,
      'select id from api_tokens where id != ? limit 1',
      tokenId,
    )[0]!.id;
    expect(() =>
      writeDb(
        server.dbFile,
        'update export_instructions set acknowledged_by_token = ? where id = ?',
        other,
        migrationId,
      ),
    ).toThrow(/only the token bound to an export acknowledges it/);
  });

  it(
    'stops at the instruction’s expiry; the erasure after the grace period is the approving DPO’s',
    { timeout: 120_000 },
    async () => {
      await server.stop();
      server = await startServer({ dataDir: server.dataDir, env: { CLOISON_CLOCK_OFFSET: '15d' } });
      expectProblem(await withToken(token).get(`/api/v1/exports/${migrationId}/content`), 401);
      // Past its expiry an instruction gets no new token either.
      const late = await mint(await login('responsable'), exportId);
      expectProblem(late, 409);
      expect(problemSlug(late)).toBe('instruction-not-approved');
      await vi.waitFor(
        () => {
          const [row] = queryDb<{ status: string; erasure_summary: string | null }>(
            server.dbFile,
            'select status, erasure_summary from export_instructions where id = ?',
            migrationId,
          );
          expect(row!.status).toBe('erased');
          expect(JSON.parse(row!.erasure_summary!)).toMatchObject({
            acknowledgedBy: null,
            acknowledgedByToken: tokenId,
          });
        },
        { timeout: 60_000, interval: 250 },
      );
      const [decided] = queryDb<{ decided_by: string }>(
        server.dbFile,
        'select decided_by from export_instructions where id = ?',
        migrationId,
      );
      const certificates = queryDb<{ requested_by: string }>(
        server.dbFile,
        'select requested_by from erasure_certificates where person_id = ?',
        personId,
      );
      expect(certificates).toEqual([{ requested_by: decided!.decided_by }]);
    },
  );
});
