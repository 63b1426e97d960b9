import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, fileForm } from './harness/client.js';
import { ONE_BUSY_ACCOUNT, runCli, startServer, type RunningServer } from './harness/server.js';
import { readWorld } from './harness/world.js';
import { samplePdf } from '../src/modules/documents/sample-files.js';
import { startSlowUpload, type SlowUpload } from './support/slow-upload.js';
import {
  blobDir,
  eventually,
  listFiles,
  snapshotStorage,
  stopAndRemove,
  storageKeys,
} from './support/storage.js';

let server: RunningServer;
let usager: Client;
let caseId: string;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const cli = (...args: string[]) => runCli(args, { CLOISON_DATA_DIR: server.dataDir });

beforeAll(async () => {
  // One usager uploads and downloads dozens of documents in seconds: this is about the lock,
  // not about fair shares between accounts.
  server = await startServer({ env: ONE_BUSY_ACCOUNT });
  usager = await new Client(server.baseUrl).login(server.account('usager'));
  const world = readWorld(server.dbFile);
  const person = world.persons.find((p) => p.account_id === server.account('usager').id);
  caseId = world.cases.find((c) => c.person_id === person?.id && c.status === 'brouillon')!.id;
});
afterAll(() => stopAndRemove(server));

const uploadUrl = () => `/api/v1/cases/${caseId}/documents?category=other`;

/** Uploads whose body is still arriving: the server has started writing each one's file. */
async function uploadsInFlight(count: number): Promise<SlowUpload[]> {
  const tmpDir = path.join(blobDir(server.dataDir), '.tmp');
  const before = listFiles(tmpDir).length;
  const uploads = Array.from({ length: count }, () =>
    startSlowUpload(server.baseUrl, uploadUrl(), usager.sessionCookie!),
  );
  for (const u of uploads) await u.send(32_768);
  expect(await eventually(() => listFiles(tmpDir).length === before + count)).toBe(true);
  return uploads;
}

/** Every document the server accepted is there, bytes intact, and no blob lacks its row. */
async function expectEveryDocumentServed(accepted: Array<{ id: string; sha256: string }>) {
  for (const doc of accepted) {
    const res = await usager.get(`/api/v1/documents/${doc.id}/content`);
    expect(res.status, `document ${doc.id}`).toBe(200);
    expect(sha256(res.bytes)).toBe(doc.sha256);
  }
  const after = snapshotStorage(server.dataDir, server.dbFile);
  expect(after.blobFiles).toEqual(storageKeys(server.dbFile));
}

describe('maintenance commands beside a running server', () => {
  it('`cloison routes` during uploads: every upload answered 201 keeps its bytes', async () => {
    const slow = await uploadsInFlight(3);
    const accepted: Array<{ id: string; sha256: string }> = [];
    const refused: string[] = [];
    // Uploads completing while the command runs, so blobs land between any listing and reading
    // of references it could make.
    let running = true;
    const burst = (async () => {
      for (let round = 0; running || round < 2; round += 1) {
        const bodies = Array.from({ length: 4 }, (_, i) => samplePdf(`rafale ${round}-${i}`));
        const answers = await Promise.all(
          bodies.map((b, i) => usager.post(uploadUrl(), { body: fileForm(b, `r${i}.pdf`) })),
        );
        answers.forEach((a, i) => {
          if (a.status === 201)
            accepted.push({ id: (a.json as { id: string }).id, sha256: sha256(bodies[i]!) });
          else refused.push(`${a.status} ${a.text}`);
        });
      }
    })();
    for (let i = 0; i < 2; i += 1) {
      const listed = await cli('routes', '--json');
      expect(listed.code, listed.output).toBe(0);
      expect(JSON.parse(listed.output)).toEqual(
        expect.arrayContaining([expect.objectContaining({ url: '/api/v1/cases/:caseId' })]),
      );
    }
    running = false;
    await burst;
    expect(refused).toEqual([]);

    const finished: number[] = [];
    for (const upload of slow) {
      await upload.send(16_384);
      finished.push(await upload.finish());
    }
    expect(finished).toEqual([201, 201, 201]);
    const listed = await usager.get(`/api/v1/cases/${caseId}/documents`);
    const big = (listed.json as { items: Array<{ id: string; originalName: string }> }).items;
    const slowDocs = big.filter((d) => d.originalName === 'big.pdf');
    expect(slowDocs.length).toBeGreaterThanOrEqual(3);
    for (const d of slowDocs) {
      const res = await usager.get(`/api/v1/documents/${d.id}/content`);
      expect(res.status).toBe(200);
      expect(res.bytes.subarray(0, 8).toString()).toBe('%PDF-1.7');
    }
    expect(accepted.length).toBeGreaterThanOrEqual(8);
    await expectEveryDocumentServed(accepted);
  });

  it('commands that write the data directory refuse while the server holds it, changing nothing', async () => {
    const slow = await uploadsInFlight(1);
    const before = snapshotStorage(server.dataDir, server.dbFile);
    const dbBytes = fs.statSync(server.dbFile).size;
    for (const args of [['demo'], ['decoys', 'seed'], ['migrate'], ['serve']]) {
      const run = await cli(...args);
      expect(run.code, `${args.join(' ')}: ${run.output}`).toBe(75);
      expect(run.output).toContain(`The data directory ${server.dataDir} is in use`);
    }
    // The upload under way lost nothing: its partial file is still being written.
    expect(snapshotStorage(server.dataDir, server.dbFile)).toEqual(before);
    expect(fs.statSync(server.dbFile).size).toBe(dbBytes);
    await slow[0]!.send(1024);
    expect(await slow[0]!.finish()).toBe(201);
    expect(snapshotStorage(server.dataDir, server.dbFile).temporaries).toEqual([]);
  });

  it('a stopped server gives the lock back', async () => {
    const dataDir = server.dataDir;
    await server.stop();
    const migrated = await runCli(['migrate'], { CLOISON_DATA_DIR: dataDir });
    expect(migrated.code, migrated.output).toBe(0);
    expect(migrated.output).toContain('database is up to date');
    server = await startServer({ dataDir, env: ONE_BUSY_ACCOUNT });
  });
});
