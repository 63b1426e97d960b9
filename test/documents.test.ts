import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, fileForm, type HttpResult } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { readWorld, type World } from './harness/world.js';
import { sampleJpeg, samplePdf, samplePng } from '../src/modules/documents/sample-files.js';
import { MULTIPART_TYPE, filePart, multipartBody, type RawPart } from './support/multipart.js';
import { expectProblem } from './support/problem.js';
import { startSlowUpload } from './support/slow-upload.js';
import {
  blobDir,
  blobPath,
  eventually,
  listFiles,
  snapshotStorage,
  stopAndRemove,
  storageKeys,
} from './support/storage.js';

const SMALL_LIMIT = 200_000;

let server: RunningServer;
let small: RunningServer;
let world: World;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  [server, small] = await Promise.all([
    startServer(),
    startServer({ env: { CLOISON_UPLOAD_MAX_BYTES: String(SMALL_LIMIT) } }),
  ]);
  world = readWorld(server.dbFile);
});
afterAll(() => stopAndRemove(server, small));

/** The usager's own draft case (demo seed: one per tenant), open for pieces. */
function draftCaseOf(target: RunningServer): string {
  const w = target === server ? world : readWorld(target.dbFile);
  const usager = target.account('usager');
  const person = w.persons.find((p) => p.account_id === usager.id);
  const found = w.cases.find((c) => c.person_id === person?.id && c.status === 'brouillon');
  if (!found) throw new Error('demo seed has no draft case for the usager');
  return found.id;
}

function uploadUrl(caseId: string, query = 'category=other'): string {
  return `/api/v1/cases/${caseId}/documents?${query}`;
}

function postRaw(client: Client, url: string, parts: RawPart[]): Promise<HttpResult> {
  return client.post(url, {
    body: multipartBody(parts),
    headers: { 'content-type': MULTIPART_TYPE },
  });
}

/** Asserts that nothing was added to the database or the blob store since `before`. */
function expectNothingKept(target: RunningServer, before: ReturnType<typeof snapshotStorage>) {
  const after = snapshotStorage(target.dataDir, target.dbFile);
  expect(after.documentIds).toEqual(before.documentIds);
  expect(after.blobFiles).toEqual(before.blobFiles);
  expect(after.temporaries).toEqual([]);
}

describe('uploading and downloading documents', () => {
  it('gives back a PDF, a PNG and a JPEG byte for byte, as a guarded attachment', async () => {
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const caseId = draftCaseOf(server);
    const files = [
      {
        bytes: samplePdf('Avis d imposition 2024'),
        name: 'avis-zq81.pdf',
        type: 'application/pdf',
      },
      { bytes: samplePng(), name: 'justificatif-zq82.png', type: 'image/png' },
      { bytes: sampleJpeg(), name: 'piece-identite-zq83.jpg', type: 'image/jpeg' },
    ];
    for (const file of files) {
      // The declared type is a lie on purpose: the server must trust the bytes, not the client.
      const up = await usager.post(uploadUrl(caseId), {
        body: fileForm(file.bytes, file.name, 'text/html'),
      });
      expect(up.status, up.text).toBe(201);
      const view = up.json as { id: string; mediaType: string; sha256: string; sizeBytes: number };
      expect(view.mediaType).toBe(file.type);
      expect(view.sha256).toBe(sha256(file.bytes));
      expect(view.sizeBytes).toBe(file.bytes.length);

      const down = await usager.get(`/api/v1/documents/${view.id}/content`);
      expect(down.status).toBe(200);
      expect(sha256(down.bytes)).toBe(sha256(file.bytes));
      expect(down.headers.get('content-type')).toContain(file.type);
      expect(down.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(down.headers.get('x-content-type-options')).toBe('nosniff');
      expect(down.headers.get('cache-control')).toContain('no-store');

      const row = readWorld(server.dbFile).documents.find((d) => d.id === view.id);
      expect(row?.original_name).toBe(file.name);
      // The name on disk is the server's own random key, never anything the client sent.
      expect(row?.storage_key).toMatch(/^[0-9a-f]{32}$/);
      expect(fs.existsSync(blobPath(server.dataDir, row!.storage_key))).toBe(true);
    }
    const stems = files.map((f) => f.name.split('.')[0]!);
    const onDisk = listFiles(server.dataDir);
    expect(onDisk.filter((p) => stems.some((s) => p.includes(s)))).toEqual([]);
  });

  it('stores hostile file names sanitized and never lets them break Content-Disposition', async () => {
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const caseId = draftCaseOf(server);
    const hostile = [
      '../../etc/passwd',
      '..\\..\\windows\\win.ini',
      'tab\there\u0001and\u007fdel.pdf',
      'a\\"quoted\\" name.pdf',
      'x"; filename="evil.html',
      'facture\u202Efdp.exe',
      'isolate\u2066hidden\u2069 line\u2028sep.pdf',
      `${'a'.repeat(199)}\u{1F600}${'b'.repeat(96)}.pdf`,
      "l'attestation (1) *final*.pdf",
    ];
    for (const name of hostile) {
      const up = await postRaw(usager, uploadUrl(caseId), [filePart(name, samplePdf('x'))]);
      expect(up.status, `${JSON.stringify(name)}: ${up.text}`).toBe(201);
      const view = up.json as { id: string; originalName: string };
      const row = readWorld(server.dbFile).documents.find((d) => d.id === view.id);
      const stored = row!.original_name;
      const context = `${JSON.stringify(name)} stored as ${JSON.stringify(stored)}`;
      // What the client was told is what was kept (no lossy round trip through the database).
      expect(view.originalName, context).toBe(stored);
      expect(stored, context).not.toMatch(/[/\\"]/);
      expect(stored, context).not.toMatch(/^\.\.?$/);
      // Control, format (bidi overrides, isolates), line separators, lone surrogates, U+FFFD.
      expect(stored, context).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\uFFFD]/u);
      expect([...stored].length, context).toBeLessThanOrEqual(200);

      const down = await usager.get(`/api/v1/documents/${view.id}/content`);
      expect(down.status, context).toBe(200);
      const disposition = down.headers.get('content-disposition') ?? '';
      // RFC 6266 quoted fallback plus an RFC 8187 ext-value made of attr-chars only.
      const match =
        /^attachment; filename="([\x20-\x21\x23-\x5b\x5d-\x7e]*)"; filename\*=UTF-8''((?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})+)$/.exec(
          disposition,
        );
      expect(match, `${context}: ${disposition}`).not.toBeNull();
      expect(decodeURIComponent(match![2]!), context).toBe(stored);
    }
  });

  it('refuses bytes that are not PDF, JPEG or PNG and keeps nothing of them', async () => {
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const caseId = draftCaseOf(server);
    const before = snapshotStorage(server.dataDir, server.dbFile);
    const refused: Array<{ name: string; bytes: Buffer; type: string; status: number }> = [
      {
        name: 'page.html',
        bytes: Buffer.from('<!doctype html><script>alert(1)</script>'),
        type: 'text/html',
        status: 415,
      },
      {
        name: 'setup.exe',
        bytes: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4096, 0x90)]),
        type: 'application/octet-stream',
        status: 415,
      },
      {
        name: 'certificat.pdf',
        bytes: Buffer.from('<html><body onload="steal()">PDF</body></html>'),
        type: 'application/pdf',
        status: 415,
      },
      { name: 'tiny.pdf', bytes: Buffer.from('%PD'), type: 'application/pdf', status: 415 },
      { name: 'empty.pdf', bytes: Buffer.alloc(0), type: 'application/pdf', status: 400 },
    ];
    for (const file of refused) {
      const res = await usager.post(uploadUrl(caseId), {
        body: fileForm(file.bytes, file.name, file.type),
      });
      expectProblem(res, file.status, file.name);
      expectNothingKept(server, before);
    }
  });

  it('refuses a file over the size limit with 413 and keeps nothing, but takes one at the limit', async () => {
    const usager = await new Client(small.baseUrl).login(small.account('usager'));
    const caseId = draftCaseOf(small);
    const pdfOf = (size: number) =>
      Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(size - 9, 0x20)]);
    const before = snapshotStorage(small.dataDir, small.dbFile);
    for (const size of [SMALL_LIMIT + 1, 3 * SMALL_LIMIT]) {
      const res = await usager.post(uploadUrl(caseId), {
        body: fileForm(pdfOf(size), 'trop-gros.pdf', 'application/pdf'),
      });
      expectProblem(res, 413, `${size} bytes`);
      expectNothingKept(small, before);
    }
    const atLimit = await usager.post(uploadUrl(caseId), {
      body: fileForm(pdfOf(SMALL_LIMIT), 'juste.pdf', 'application/pdf'),
    });
    expect(atLimit.status, atLimit.text).toBe(201);
  });

  it('refuses multipart bodies with two files, an extra field, no file, or no multipart at all', async () => {
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const url = uploadUrl(draftCaseOf(server));
    const before = snapshotStorage(server.dataDir, server.dbFile);
    const pdf = samplePdf('un');
    const attempts: Array<[string, RawPart[]]> = [
      ['two files', [filePart('un.pdf', pdf), filePart('deux.pdf', samplePdf('deux'))]],
      ['file then field', [filePart('un.pdf', pdf), { disposition: 'name="x"', body: pdf }]],
      ['field only', [{ disposition: 'name="file"', body: pdf }]],
      ['no part', []],
    ];
    for (const [label, parts] of attempts) {
      expectProblem(await postRaw(usager, url, parts), 400, label);
      expectNothingKept(server, before);
    }
    expectProblem(await usager.post(url, { json: { file: pdf.toString('base64') } }), 415, 'json');
    expectNothingKept(server, before);
  });

  it('removes the temporary file at once when the client drops mid-upload', async () => {
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const before = snapshotStorage(server.dataDir, server.dbFile);
    const upload = startSlowUpload(
      server.baseUrl,
      uploadUrl(draftCaseOf(server)),
      usager.sessionCookie!,
    );
    const tmpDir = path.join(blobDir(server.dataDir), '.tmp');
    await upload.send(16_384);
    // The scenario is real only if the server had started writing.
    expect(await eventually(() => listFiles(tmpDir).length === 1)).toBe(true);
    await upload.send(16_384);
    upload.abort();
    await upload.settled;
    expect(await eventually(() => listFiles(tmpDir).length === 0)).toBe(true);
    expectNothingKept(server, before);
    // The server is still healthy and accepts the next upload.
    const next = await usager.post(uploadUrl(draftCaseOf(server)), {
      body: fileForm(samplePdf('apres'), 'apres.pdf'),
    });
    expect(next.status).toBe(201);
  });
});

describe('a server killed in the middle of an upload', () => {
  it('restarts with no orphan blob, no temporary file and no documents row', async () => {
    const first = await startServer();
    const dataDir = first.dataDir;
    const tmpDir = path.join(blobDir(dataDir), '.tmp');
    const usager = await new Client(first.baseUrl).login(first.account('usager'));
    const before = snapshotStorage(dataDir, first.dbFile);

    const upload = startSlowUpload(
      first.baseUrl,
      uploadUrl(draftCaseOf(first)),
      usager.sessionCookie!,
    );
    await upload.send(65_536);
    expect(await eventually(() => listFiles(tmpDir).length === 1)).toBe(true);
    await upload.send(65_536);
    await first.kill();
    await upload.settled;
    // SIGKILL gave the server no chance to clean up: the partial file is still there.
    expect(listFiles(tmpDir).length).toBe(1);

    // A crash between the blob's rename and the row's insert leaves a complete, unreferenced
    // blob; plant one to show the startup sweep removes that case too.
    const planted = 'ab'.padEnd(32, '0');
    fs.mkdirSync(path.dirname(blobPath(dataDir, planted)), { recursive: true });
    fs.writeFileSync(blobPath(dataDir, planted), samplePdf('orphan'));

    const second = await startServer({ dataDir });
    try {
      const after = snapshotStorage(dataDir, second.dbFile);
      expect(after.temporaries).toEqual([]);
      expect(after.documentIds).toEqual(before.documentIds);
      expect(after.blobFiles).toEqual(before.blobFiles);
      expect(after.blobFiles).toEqual(storageKeys(second.dbFile));
      // The restarted server still serves the documents that were there before the crash.
      const again = await new Client(second.baseUrl).login(second.account('usager'));
      const listed = await again.get(`/api/v1/cases/${draftCaseOf(second)}/documents`);
      expect(listed.status).toBe(200);
    } finally {
      await second.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('medical documents in a case listing', () => {
  it('are shown to the usager and the assigned évaluateur, never to the instructeur', async () => {
    const usager = server.account('usager');
    const person = world.persons.find((p) => p.account_id === usager.id);
    const evaluation = world.cases.find(
      (c) => c.person_id === person?.id && c.status === 'evaluation',
    )!;
    const medical = world.documents.filter(
      (d) => d.case_id === evaluation.id && d.category === 'medical',
    );
    expect(medical.length).toBeGreaterThan(0);
    const instructeur = server.account('instructeur');
    // The seeded case is the instructeur's own, so any hiding is by category, not by scope.
    expect(evaluation.instructeur_id).toBe(instructeur.id);
    expect(evaluation.evaluateur_id).toBe(server.account('evaluateur').id);

    const categoriesFor = async (label: string) => {
      const client = await new Client(server.baseUrl).login(server.account(label));
      const res = await client.get(`/api/v1/cases/${evaluation.id}/documents`);
      expect(res.status, `${label}: ${res.text}`).toBe(200);
      return {
        client,
        items: (res.json as { items: Array<{ id: string; category: string }> }).items,
      };
    };
    for (const label of ['usager', 'evaluateur']) {
      const { items } = await categoriesFor(label);
      expect(items.filter((d) => d.category === 'medical').length, label).toBe(medical.length);
    }
    for (const label of ['instructeur', 'responsable', 'accueil']) {
      const { client, items } = await categoriesFor(label);
      expect(items.length, label).toBeGreaterThan(0);
      expect(
        items.filter((d) => d.category === 'medical'),
        label,
      ).toEqual([]);
      // Asking for a medical document by id answers exactly like a missing one.
      const refused = await client.get(`/api/v1/documents/${medical[0]!.id}/content`);
      const missing = await client.get(
        '/api/v1/documents/00000000-0000-4000-8000-000000000000/content',
      );
      expect(refused.status, label).toBe(404);
      expect(refused.text, label).toBe(missing.text);
    }
  });
});
