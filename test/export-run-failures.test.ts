import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Decrypter, generateHybridIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { blobPath, stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

/**
 * THREATS.md T3, when a run goes wrong: a stored piece altered or missing stops the run with
 * nothing left behind (no export, no partial file, no file still open by the threads that read
 * and encrypt), and a run the process died in is started again from nothing at the next start,
 * its leftover partial file never taken for an export; one interrupted too often is given up.
 * Also the other path of the encryption: a hybrid post-quantum recipient (Debian's age does not
 * read those yet: age-encryption's Decrypter opens it).
 */

let server: RunningServer;
let work: string;
let identity: string;
let recipient: string;

const login = (label: string) => new Client(server.baseUrl).login(server.account(label, '44'));

const CATEGORIES = ['identity', 'address', 'decision', 'correspondence', 'other'];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-export-failures-'));
  identity = path.join(work, 'recipient.txt');
  execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
  recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity]).toString().trim();
  server = await startServer();
});
afterAll(async () => {
  await stopAndRemove(server);
  fs.rmSync(work, { recursive: true, force: true });
});

/** Orders an export of the département's whole file (responsable), not yet approved. */
async function order(ageRecipient = recipient): Promise<string> {
  const created = await (
    await login('responsable')
  ).post('/api/v1/export-instructions', {
    json: {
      kind: 'export',
      purpose: 'Transmission des pièces au service d’archives',
      legalBasis: 'Mission d’intérêt public (RGPD art. 6.1.e)',
      recipient: { name: 'Archives', contact: 'archives@cd44.example.fr', ageRecipient },
      scope: { all: true },
      fields: ['case.reference', 'case.status'],
      documentCategories: CATEGORIES,
      expiresAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    },
  });
  expect(created.status, created.text).toBe(201);
  return (created.json as { id: string }).id;
}

async function approve(id: string): Promise<void> {
  const approved = await (await login('dpo')).post(`/api/v1/export-instructions/${id}/approval`);
  expect(approved.status, approved.text).toBe(200);
}

async function waitStatus(id: string, status: string): Promise<Record<string, unknown>> {
  const responsable = await login('responsable');
  let view: Record<string, unknown> = {};
  await vi.waitFor(
    async () => {
      view = (await responsable.get(`/api/v1/export-instructions/${id}`)).json as typeof view;
      expect(view.status).toBe(status);
    },
    { timeout: 30_000, interval: 250 },
  );
  return view;
}

const exportsDir = () => path.join(server.dataDir, 'exports');
const filesOf = (id: string) =>
  fs.existsSync(exportsDir()) ? fs.readdirSync(exportsDir()).filter((f) => f.startsWith(id)) : [];

/** The export processes running now (`cloison exports run-job`), zombies aside. */
function exportProcesses(): { pid: number; args: string[] }[] {
  const found: { pid: number; args: string[] }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes('run-job') && statOf(Number(entry)).state !== 'Z')
        found.push({ pid: Number(entry), args });
    } catch {
      // A process that ended meanwhile.
    }
  }
  return found;
}

/** A process's state, parent and nice value, from /proc/PID/stat. */
function statOf(pid: number): { state: string; ppid: number; nice: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, ppid: Number(fields[1]), nice: Number(fields[16]) };
}

const alive = (pid: number) => {
  try {
    return statOf(pid).state !== 'Z';
  } catch {
    return false;
  }
};

/** What a process holds open: each descriptor's target and whether it may write through it. */
function openFilesOf(pid: number): { target: string; writable: boolean }[] {
  const fds = `/proc/${pid}/fd`;
  return fs.readdirSync(fds).flatMap((fd) => {
    try {
      const target = fs.readlinkSync(path.join(fds, fd));
      const flags = /^flags:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      return [{ target, writable: (parseInt(flags![1]!, 8) & 3) !== 0 }];
    } catch {
      return [];
    }
  });
}

/** Files of the exports directory the server, or a run of its, still holds open. */
function openExportFiles(): string[] {
  return [server.process.pid!, ...exportProcesses().map((p) => p.pid)]
    .flatMap((pid) => openFilesOf(pid).map((f) => f.target))
    .filter((target) => target.startsWith(exportsDir()));
}

/** A small current piece of 44 in an instructed category: the run reads it whole. */
function pieceInScope(): { id: string; storage_key: string } {
  const [piece] = queryDb<{ id: string; storage_key: string }>(
    server.dbFile,
    `select d.id, d.storage_key from documents d join cases c on c.id = d.case_id
     join tenants t on t.id = c.tenant_id
     where t.code = '44' and d.superseded_by is null and d.review_status != 'rejected'
       and d.category in ('identity', 'address', 'decision', 'correspondence', 'other') and d.size_bytes < 100000
     order by d.id limit 1`,
  );
  expect(piece).toBeDefined();
  return piece!;
}

describe('an export run that goes wrong (T3)', () => {
  it('stops at an altered piece: failed, no export, no partial file, nothing left open', async () => {
    const piece = pieceInScope();
    const stored = blobPath(server.dataDir, piece.storage_key);
    const original = fs.readFileSync(stored);
    const altered = Buffer.from(original);
    altered[altered.length - 20]! ^= 0x01;
    fs.writeFileSync(stored, altered);
    try {
      const id = await order();
      await approve(id);
      const view = await waitStatus(id, 'failed');
      expect((view.run as { failure: string }).failure).toBe(
        'a stored document failed its integrity check',
      );
      expect(filesOf(id)).toEqual([]);
      await vi.waitFor(() => expect(openExportFiles()).toEqual([]), { timeout: 10_000 });
      const events = queryDb<{ n: number }>(
        server.dbFile,
        `select count(*) as n from security_events where kind = 'export.failed' and object_id = ?`,
        id,
      );
      expect(events[0]!.n).toBe(1);
    } finally {
      fs.writeFileSync(stored, original);
    }
  });

  it('stops at a missing piece the same way, and the next instruction runs whole', async () => {
    const piece = pieceInScope();
    const stored = blobPath(server.dataDir, piece.storage_key);
    fs.renameSync(stored, `${stored}.aside`);
    let id: string;
    try {
      id = await order();
      await approve(id);
      const view = await waitStatus(id, 'failed');
      expect((view.run as { failure: string }).failure).toBe('the run failed (see the server log)');
      expect(filesOf(id)).toEqual([]);
      await vi.waitFor(() => expect(openExportFiles()).toEqual([]), { timeout: 10_000 });
    } finally {
      fs.renameSync(`${stored}.aside`, stored);
    }
    // The failed one stays failed (one-shot); a new instruction, with the piece back, runs.
    const again = await order();
    await approve(again);
    await waitStatus(again, 'ready');
    expect(filesOf(again)).toEqual([`${again}.age`]);
    const listing = execFileSync('/usr/bin/age', [
      '-d',
      '-i',
      identity,
      path.join(exportsDir(), `${again}.age`),
    ]);
    const names = execFileSync('tar', ['-t'], { input: listing }).toString().split('\n');
    expect(names).toContain(`documents/${piece.id}`);
    // Exactly the current pieces of the instructed categories: none rejected, none replaced.
    const pieces = queryDb<{ id: string; left: number }>(
      server.dbFile,
      `select d.id, (d.superseded_by is null and d.review_status != 'rejected') as left
       from documents d join cases c on c.id = d.case_id join tenants t on t.id = c.tenant_id
       where t.code = '44' and d.category in ('identity', 'address', 'decision', 'correspondence', 'other')`,
    );
    const stayed = pieces.filter((p) => !p.left).map((p) => `documents/${p.id}`);
    expect(stayed.length).toBeGreaterThan(0);
    expect(names.filter((n) => stayed.includes(n))).toEqual([]);
    const left = pieces.filter((p) => p.left).map((p) => `documents/${p.id}`);
    expect(names.filter((n) => n.startsWith('documents/') && !n.endsWith('.jsonl')).sort()).toEqual(
      left.sort(),
    );
    expect(
      (await (await login('responsable')).get(`/api/v1/export-instructions/${id}`)).json,
    ).toMatchObject({ status: 'failed' });
  });

  it('starts a run the process died in again from nothing, and gives one up after three', async () => {
    const id = await order();
    await approve(id);
    await waitStatus(id, 'ready');
    const stuck = await order();
    const file = path.join(exportsDir(), `${id}.age`);
    // What a process killed in the middle of the run leaves: the row running, a partial file.
    await server.kill();
    fs.rmSync(file);
    fs.writeFileSync(`${file}.partial`, 'age-encryption.org/v1\n-> X25519 cut off here');
    writeDb(
      server.dbFile,
      `update export_instructions set status = 'running', run_finished_at = null, progress = null,
       output_sha256 = null, output_bytes = null, manifest_sha256 = null where id = ?`,
      id,
    );
    // And one the process died in three times already (approved by the same DPO).
    writeDb(
      server.dbFile,
      `update export_instructions set status = 'running', run_attempts = 3, run_started_at = '2026-01-01T00:00:00.000Z',
       decided_by = (select decided_by from export_instructions where id = ?),
       decided_at = (select decided_at from export_instructions where id = ?) where id = ?`,
      id,
      id,
      stuck,
    );
    server = await startServer({ dataDir: server.dataDir });
    const view = await waitStatus(id, 'ready');
    expect(filesOf(id)).toEqual([`${id}.age`]);
    const clear = execFileSync('/usr/bin/age', ['-d', '-i', identity, file]);
    const names = execFileSync('tar', ['-t'], { input: clear }).toString().trim().split('\n');
    expect(names.slice(-2)).toEqual(['MANIFEST.json', 'MANIFEST.sig']);
    expect(view.run).toMatchObject({ bytes: fs.statSync(file).size });
    const attempts = queryDb<{ run_attempts: number }>(
      server.dbFile,
      'select run_attempts from export_instructions where id = ?',
      id,
    );
    expect(attempts[0]!.run_attempts).toBe(2);
    const given = await waitStatus(stuck, 'failed');
    expect((given.run as { failure: string }).failure).toBe('interrupted 3 times');
    expect(filesOf(stuck)).toEqual([]);
  });
});

describe('the process an export runs in (T3)', () => {
  it('only reads, below the requests’ priority, and ends with the server; a stop is no attempt', async () => {
    const piece = pieceInScope();
    const stored = blobPath(server.dataDir, piece.storage_key);
    fs.renameSync(stored, `${stored}.aside`);
    // A piece that never comes: the run waits on it for as long as the test needs.
    execFileSync('mkfifo', [stored]);
    let id = '';
    try {
      id = await order();
      await approve(id);
      const running = async () => {
        let found: { pid: number; args: string[] }[] = [];
        await vi.waitFor(
          () => {
            found = exportProcesses();
            expect(found).toHaveLength(1);
          },
          { timeout: 15_000, interval: 100 },
        );
        return found[0]!;
      };
      const first = await running();
      expect(first.args).toContain(id);
      expect(statOf(first.pid).ppid).toBe(server.process.pid);
      // Lowered as soon as it starts, before it opens anything.
      await vi.waitFor(() => expect(statOf(first.pid).nice).toBe(10), { timeout: 5_000 });
      await vi.waitFor(
        () => expect(openFilesOf(first.pid).map((f) => f.target)).toContain(server.dbFile),
        { timeout: 10_000 },
      );
      // SQLite's own refusal of any write: the database file is open read-only.
      const database = openFilesOf(first.pid).filter((f) => f.target === server.dbFile);
      expect(database.length).toBeGreaterThan(0);
      expect(database.filter((f) => f.writable)).toEqual([]);
      // A stop of the server stops the run, which is approved again and not counted.
      await server.stop();
      expect(alive(first.pid)).toBe(false);
      const released = queryDb<{ status: string; run_attempts: number }>(
        server.dbFile,
        'select status, run_attempts from export_instructions where id = ?',
        id,
      );
      expect(released).toEqual([{ status: 'approved', run_attempts: 0 }]);
      // A server killed outright: its run ends too, on its own, and counts as an attempt.
      server = await startServer({ dataDir: server.dataDir });
      const second = await running();
      await server.kill();
      await vi.waitFor(() => expect(alive(second.pid)).toBe(false), { timeout: 10_000 });
    } finally {
      fs.rmSync(stored);
      fs.renameSync(`${stored}.aside`, stored);
    }
    server = await startServer({ dataDir: server.dataDir });
    await waitStatus(id, 'ready');
    expect(filesOf(id)).toEqual([`${id}.age`]);
    const attempts = queryDb<{ run_attempts: number }>(
      server.dbFile,
      'select run_attempts from export_instructions where id = ?',
      id,
    );
    expect(attempts[0]!.run_attempts).toBe(2);
  });
});

describe('an export to a hybrid post-quantum recipient', () => {
  it('is written by age-encryption and opened by its Decrypter with the hybrid identity', async () => {
    const hybrid = await generateHybridIdentity();
    const id = await order(await identityToRecipient(hybrid));
    await approve(id);
    await waitStatus(id, 'ready');
    const res = await (await login('responsable')).get(`/api/v1/exports/${id}/content`);
    expect(res.status).toBe(200);
    expect(res.bytes.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
    expect(res.bytes.toString('latin1')).toMatch(/\n-> mlkem768x25519 /);
    const decrypter = new Decrypter();
    decrypter.addIdentity(hybrid);
    const clear = Buffer.from(await decrypter.decrypt(new Uint8Array(res.bytes)));
    const names = execFileSync('tar', ['-t'], { input: clear }).toString().trim().split('\n');
    expect(names.slice(-2)).toEqual(['MANIFEST.json', 'MANIFEST.sig']);
    expect(names.some((n) => n.startsWith('documents/') && !n.endsWith('.jsonl'))).toBe(true);
  });
});
