import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type HttpResult } from './harness/client.js';
import { ROOT, startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld } from './harness/world.js';
import { startSlowUpload } from './support/slow-upload.js';
import { blobDir, eventually, listFiles, stopAndRemove } from './support/storage.js';

/**
 * One account or token cannot starve the others: a few requests in flight at most (the default,
 * 8) and a budget per minute (60 here, so that it shows in a few seconds: 15 at once, then one a
 * second). Over either, a 429 problem with Retry-After, recorded as a refusal.
 */
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ env: { CLOISON_ACCOUNT_REQUESTS_PER_MINUTE: '60' } });
});
afterAll(() => stopAndRemove(server));

function expectRateLimited(res: HttpResult): void {
  expect(res.status).toBe(429);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.json).toMatchObject({ type: 'urn:cloison:problem:rate-limited', status: 429 });
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
}

const rateLimitedEventsOf = (accountId: string) =>
  queryDb<{ detail: string }>(
    server.dbFile,
    "select detail from security_events where kind = 'request.rate-limited' and account_id = ?",
    accountId,
  );

describe('fair shares between accounts', () => {
  it('admits eight requests of one account at once; the ninth waits, another account does not', async () => {
    const owner = server.account('usager');
    const usager = await new Client(server.baseUrl).login(owner);
    const other = await new Client(server.baseUrl).login(server.account('usager-2'));
    const world = readWorld(server.dbFile);
    const person = world.persons.find((p) => p.account_id === owner.id);
    const draft = world.cases.find((c) => c.person_id === person?.id && c.status === 'brouillon');
    const url = `/api/v1/cases/${draft!.id}/documents?category=other`;
    const pinned = Array.from({ length: 8 }, () =>
      startSlowUpload(server.baseUrl, url, usager.sessionCookie!),
    );
    try {
      for (const upload of pinned) await upload.send(1024);
      // Each one admitted and being written.
      const tmpDir = path.join(blobDir(server.dataDir), '.tmp');
      expect(await eventually(() => listFiles(tmpDir).length === 8, 10_000)).toBe(true);

      const ninth = await usager.get('/api/v1/cases');
      expectRateLimited(ninth);
      expect(Number(ninth.headers.get('retry-after'))).toBe(1);
      expect((await other.get('/api/v1/cases')).status).toBe(200);
      const recorded = () =>
        rateLimitedEventsOf(owner.id)
          .map((e) => e.detail)
          .join() === JSON.stringify({ limit: 'account-concurrency' });
      expect(await eventually(recorded)).toBe(true);

      // One upload done: its place is free again.
      await pinned[0]!.send(64);
      expect(await pinned[0]!.finish()).toBe(201);
      expect((await usager.get('/api/v1/cases')).status).toBe(200);
    } finally {
      for (const upload of pinned) upload.abort();
      await Promise.all(pinned.map((u) => u.settled));
    }
  });

  it('spends a budget per minute: a burst, then one request a second, Retry-After saying when', async () => {
    const agent = await new Client(server.baseUrl).login(server.account('instructeur'));
    const colleague = await new Client(server.baseUrl).login(server.account('responsable'));
    const statuses: number[] = [];
    let refused: HttpResult | null = null;
    for (let i = 0; i < 40; i += 1) {
      const res = await agent.get('/api/v1/me');
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
    }
    // The login's own requests spent a few of the fifteen.
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(200));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expectRateLimited(refused!);
    expect((await colleague.get('/api/v1/me')).status).toBe(200);
    const wait = Number(refused!.headers.get('retry-after'));
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 200));
    expect((await agent.get('/api/v1/me')).status).toBe(200);
  });

  it('a flood of one session on 32 connections gets 429s, counted by refusal-burst; the rest are served', async () => {
    const flooder = server.account('accueil');
    const flood = await new Client(server.baseUrl).login(flooder);
    const bystander = await new Client(server.baseUrl).login(server.account('evaluateur'));
    const child = spawn(process.execPath, [path.join(ROOT, 'test/support/flood-client.mjs')], {
      env: {
        FLOOD_URL: `${server.baseUrl}/api/v1/cases`,
        FLOOD_COOKIE: flood.sessionCookie!,
        FLOOD_CONNECTIONS: '32',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let floodCounts: Record<string, number> = {};
    const bystanderStatuses: number[] = [];
    try {
      expect(await eventually(() => out.includes('flooding'), 20_000)).toBe(true);
      // While the flood goes on, another account and an anonymous probe are served, every time.
      for (let i = 0; i < 10; i += 1) {
        bystanderStatuses.push((await bystander.get('/api/v1/cases')).status);
        bystanderStatuses.push((await fetch(`${server.baseUrl}/api/health`)).status);
      }
    } finally {
      child.kill('SIGTERM');
      await exited;
      floodCounts = JSON.parse(out.split('\n').filter(Boolean).at(-1) ?? '{}') as Record<
        string,
        number
      >;
    }
    expect(bystanderStatuses).toEqual(Array(20).fill(200));
    expect(floodCounts['429']).toBeGreaterThanOrEqual(50);
    expect(floodCounts['200']).toBeGreaterThan(0);
    expect(Object.keys(floodCounts).sort()).toEqual(['200', '429']);

    // Each refusal is a security event of the flooding account (sampled past 120 a minute), and
    // the burst raises the refusal-burst alert in its département's inbox.
    expect(await eventually(() => rateLimitedEventsOf(flooder.id).length >= 50)).toBe(true);
    const alertFor = () =>
      queryDb<{ rule: string; subject: string }>(
        server.dbFile,
        "select rule, subject from alerts where rule = 'refusal-burst' and subject = ?",
        flooder.id,
      ).length === 1;
    expect(await eventually(alertFor, 10_000)).toBe(true);
  });
});
