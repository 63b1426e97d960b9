import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { aad } from '../src/crypto/aead.js';
import { KeyRetiredError } from '../src/crypto/key-manager.js';
import { LocalKeyManager } from '../src/crypto/local-key-manager.js';
import { masterKeyFile } from '../src/crypto/master-key.js';
import { Client } from './harness/client.js';
import { makeDataDir, startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld } from './harness/world.js';
import { expectProblem, problemSlug } from './support/problem.js';
import { stopAndRemove } from './support/storage.js';

/**
 * THREATS.md T3, the end of a migration (the Dedalus case: the old copy was never deleted). The
 * recipient's acknowledgement of the manifest it received starts a grace period; then the
 * migrated persons are erased from the source by crypto-shredding, one certificate each, and a
 * signed summary says who was erased and who was kept (a person with an open case, unless the
 * acknowledgement decided otherwise). Cancelled before the end, nothing is erased.
 */

let server: RunningServer;
let work: string;
let identity: string;
let recipient: string;
let copyDir: string;
const ids: Record<
  'kept' | 'erased' | 'cancelled',
  { instruction: string; person: string; caseId: string }
> = {} as never;

const login = (label: string) => new Client(server.baseUrl).login(server.account(label, '44'));

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-migration-'));
  identity = path.join(work, 'recipient.txt');
  execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
  recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity]).toString().trim();
  server = await startServer();
});
afterAll(async () => {
  await stopAndRemove(server);
  fs.rmSync(work, { recursive: true, force: true });
  if (copyDir) fs.rmSync(copyDir, { recursive: true, force: true });
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

/**
 * Orders and approves the migration of a person's cases (the whole file: a migration takes
 * every field), waits for its file, downloads and opens it as the recipient would; returns the
 * manifest's hash and the receipt code only the file holds.
 */
async function migrate(
  caseIds: string[],
  eraseOpenCases: boolean,
  beforeDownload: (id: string) => Promise<void> = async () => undefined,
): Promise<{ id: string; manifestSha256: string; receipt: string }> {
  const responsable = await login('responsable');
  const created = await responsable.post('/api/v1/export-instructions', {
    json: {
      kind: 'migration',
      purpose: 'Reprise par le nouveau logiciel de la MDPH',
      legalBasis: 'Mission d’intérêt public (RGPD art. 6.1.e)',
      recipient: {
        name: 'Service médical de reprise',
        contact: 'reprise@editeur.example.fr',
        ageRecipient: recipient,
        medical: true,
      },
      medicalReason: 'Le nouveau logiciel reprend tout le dossier, pièces médicales comprises.',
      scope: { caseIds },
      fields: ALL_FIELDS,
      documentCategories: ALL_CATEGORIES,
      eraseOpenCases,
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    },
  });
  expect(created.status, created.text).toBe(201);
  const { id } = created.json as { id: string };
  const approved = await (await login('dpo')).post(`/api/v1/export-instructions/${id}/approval`);
  expect(approved.status, approved.text).toBe(200);
  await vi.waitFor(
    async () => {
      const view = (await responsable.get(`/api/v1/export-instructions/${id}`)).json;
      expect(view).toMatchObject({ status: 'ready' });
    },
    { timeout: 30_000, interval: 250 },
  );
  await beforeDownload(id);
  // What the recipient does: download, decrypt, read the manifest, hash it.
  const file = path.join(work, `${id}.age`);
  fs.writeFileSync(file, (await responsable.get(`/api/v1/exports/${id}/content`)).bytes);
  const tarFile = path.join(work, `${id}.tar`);
  fs.writeFileSync(tarFile, execFileSync('/usr/bin/age', ['-d', '-i', identity, file]));
  const manifest = execFileSync('tar', ['-xOf', tarFile, 'MANIFEST.json']);
  return {
    id,
    manifestSha256: createHash('sha256').update(manifest).digest('hex'),
    receipt: (JSON.parse(manifest.toString()) as { receipt: string }).receipt,
  };
}

describe('the end of a migration (T3)', () => {
  it('is acknowledged only with what the recipient holds, then waits its grace period', async () => {
    const world = readWorld(server.dbFile);
    const t44 = world.tenants.find((t) => t.code === '44')!.id;
    const decoys = new Set(world.decoys.map((d) => d.person_id));
    // Persons in no mandate (mandates are not exported) with a case still open.
    const inMandate = new Set(
      world.mandates.flatMap((m) => [
        m.person_id,
        ...world.persons
          .filter((p) => p.account_id === m.representative_account_id)
          .map((p) => p.id),
      ]),
    );
    const open = (status: string) => !['cloture', 'archive', 'retire', 'caduc'].includes(status);
    const candidates = world.persons.filter(
      (p) =>
        p.tenant_id === t44 &&
        !decoys.has(p.id) &&
        !inMandate.has(p.id) &&
        world.cases.some((c) => c.person_id === p.id && open(c.status)),
    );
    expect(candidates.length).toBeGreaterThanOrEqual(2);
    const casesOf = (personId: string) =>
      world.cases.filter((c) => c.person_id === personId).map((c) => c.id);
    const [stays, goes] = [candidates[0]!, candidates[1]!];
    const dpo = await login('dpo');
    // One person twice: kept by an instruction that leaves open cases alone, and by the
    // cancelling of one that would have erased them; another person erased.
    const plan = [
      ['kept', stays.id, false],
      ['cancelled', stays.id, true],
      ['erased', goes.id, true],
    ] as const;
    for (const [which, personId, eraseOpenCases] of plan) {
      const caseIds = casesOf(personId);
      // Nobody has downloaded it yet: there is nothing anyone could have received.
      const notDownloaded = async (id: string) => {
        const early = await dpo.post(`/api/v1/export-instructions/${id}/acknowledgement`, {
          json: { manifestSha256: 'f'.repeat(64), receipt: 'f'.repeat(32) },
        });
        expect(problemSlug(early)).toBe('export-not-downloaded');
      };
      const { id, manifestSha256, receipt } = await migrate(
        caseIds,
        eraseOpenCases,
        which === 'kept' ? notDownloaded : undefined,
      );
      ids[which] = { instruction: id, person: personId, caseId: caseIds[0]! };
      if (which === 'kept') {
        // The manifest's hash alone proves nothing (the DPO can read it); the receipt code is
        // only in the file. Wrong either way: refused, recorded, nothing starts.
        for (const body of [
          { manifestSha256, receipt: '0'.repeat(32) },
          { manifestSha256: 'a'.repeat(64), receipt },
        ]) {
          expectProblem(
            await dpo.post(`/api/v1/export-instructions/${id}/acknowledgement`, { json: body }),
            400,
          );
        }
        const refused = queryDb<{ n: number }>(
          server.dbFile,
          "select count(*) as n from security_events where kind = 'export.acknowledgement-refused' and object_id = ?",
          id,
        )[0]!.n;
        expect(refused).toBe(2);
        // The orderer does not acknowledge what they ordered.
        const responsable = await login('responsable');
        expectProblem(
          await responsable.post(`/api/v1/export-instructions/${id}/acknowledgement`, {
            json: { manifestSha256, receipt },
          }),
          403,
        );
      }
      const ack = await dpo.post(`/api/v1/export-instructions/${id}/acknowledgement`, {
        json: { manifestSha256, receipt },
      });
      expect(ack.status, ack.text).toBe(200);
      expect(ack.json).toMatchObject({
        status: 'acknowledged',
        eraseOpenCases,
        migration: { erasedAt: null },
      });
    }
    const cancel = () =>
      dpo.post(`/api/v1/export-instructions/${ids.cancelled.instruction}/erasure-cancellation`);
    expect((await cancel()).json).toMatchObject({ status: 'cancelled' });
    expect(problemSlug(await cancel())).toBe('erasure-not-pending');
  });

  it(
    'erases the migrated persons at the end of the grace period, with certificates and a signed summary',
    { timeout: 120_000 },
    async () => {
      // A copy of the data directory before the erasure, as a backup would be.
      await server.stop();
      copyDir = makeDataDir('cloison-before-erasure-');
      fs.cpSync(server.dataDir, copyDir, { recursive: true });
      server = await startServer({ dataDir: server.dataDir, env: { CLOISON_CLOCK_OFFSET: '15d' } });
      const status = (id: string) =>
        queryDb<{ status: string }>(
          server.dbFile,
          'select status from export_instructions where id = ?',
          id,
        )[0]!.status;
      await vi.waitFor(
        () => {
          expect(status(ids.kept.instruction)).toBe('erased');
          expect(status(ids.erased.instruction)).toBe('erased');
        },
        { timeout: 60_000, interval: 250 },
      );
      expect(status(ids.cancelled.instruction)).toBe('cancelled');

      const person = (id: string) =>
        queryDb<{ id: string }>(server.dbFile, 'select id from persons where id = ?', id).length;
      expect(person(ids.erased.person)).toBe(0);
      expect(
        queryDb(server.dbFile, 'select 1 from person_keys where person_id = ?', ids.erased.person),
      ).toHaveLength(0);
      expect(
        queryDb(server.dbFile, 'select 1 from cases where id = ?', ids.erased.caseId),
      ).toHaveLength(0);
      // Kept: an open case, and the acknowledgement did not decide to erase it; cancelled: stays.
      expect(person(ids.kept.person)).toBe(1);
      expect(person(ids.cancelled.person)).toBe(1);

      const [certificate] = queryDb<{ id: string; reason: string; detail: string }>(
        server.dbFile,
        'select id, reason, detail from erasure_certificates where person_id = ?',
        ids.erased.person,
      );
      expect(certificate).toMatchObject({ reason: 'after-migration' });
      expect(JSON.parse(certificate!.detail)).toMatchObject({
        reference: `migration ${ids.erased.instruction}`,
      });

      const summaries = queryDb<{ id: string; erasure_summary: string; erasure_signature: string }>(
        server.dbFile,
        'select id, erasure_summary, erasure_signature from export_instructions where id in (?, ?)',
        ids.kept.instruction,
        ids.erased.instruction,
      );
      const [key] = queryDb<{ public_key: Buffer }>(
        server.dbFile,
        "select public_key from audit_log_keys where chain = (select id from tenants where code = '44')",
      );
      const publicKey = createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: key!.public_key.toString('base64url') },
        format: 'jwk',
      });
      for (const s of summaries) {
        const signature = Buffer.from(s.erasure_signature, 'base64');
        const signed = Buffer.concat([
          Buffer.from('cloison migration-erasure v1\n'),
          Buffer.from(s.erasure_summary),
        ]);
        expect(verify(null, signed, publicKey, signature)).toBe(true);
        const summary = JSON.parse(s.erasure_summary) as {
          erased: Array<{ personId: string; certificateId: string }>;
          kept: Array<{ personId: string; reason: string }>;
        };
        if (s.id === ids.erased.instruction) {
          expect(summary.erased).toEqual([
            { personId: ids.erased.person, certificateId: certificate!.id },
          ]);
          expect(summary.kept).toEqual([]);
        } else {
          expect(summary.erased).toEqual([]);
          expect(summary.kept).toEqual([{ personId: ids.kept.person, reason: 'open-case' }]);
        }
      }
    },
  );

  it('leaves the copy taken before unable to open the erased person’s key', async () => {
    const copyDb = path.join(copyDir, 'cloison.sqlite');
    const [row] = queryDb<{
      wrapped_key: Buffer;
      kek_version: number;
      version: number;
      tenant_id: string;
    }>(
      copyDb,
      'select wrapped_key, kek_version, version, tenant_id from person_keys where person_id = ?',
      ids.erased.person,
    );
    expect(row).toBeDefined();
    // In demo mode the master key lives in the data directory; what makes the copy's key
    // useless is that the tenant key version which wrapped it is retired (key-management.test.ts
    // proves the rest with a master key kept outside).
    const live = LocalKeyManager.open(
      path.join(server.dataDir, 'keyring.json'),
      masterKeyFile(path.join(server.dataDir, 'demo-master.key')),
    );
    try {
      await expect(
        live.unwrap(
          row!.tenant_id,
          row!.kek_version,
          row!.wrapped_key,
          aad('person-key', row!.tenant_id, ids.erased.person, row!.version),
        ),
      ).rejects.toBeInstanceOf(KeyRetiredError);
    } finally {
      await live.close();
    }
  });
});
