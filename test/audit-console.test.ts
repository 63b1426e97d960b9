import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { readWorld, type World } from './harness/world.js';
import { actionRows, chainRows, tamper } from './support/audit-db.js';
import { stopAndRemove } from './support/storage.js';

/**
 * The DPO's console on the audit log (issue 6 item 4): search of the tenant's own chain, and
 * verification of that chain on demand, as `cloison audit verify` does.
 */

interface Item {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  outcome: string;
  objectId: string | null;
}
interface Page {
  items: Item[];
  nextBefore: number | null;
}

let server: RunningServer;
let world: World;
let dpo: Client;
let tenant44 = '';
let tenant85 = '';

beforeAll(async () => {
  server = await startServer();
  world = readWorld(server.dbFile);
  tenant44 = world.tenants.find((t) => t.code === '44')!.id;
  tenant85 = world.tenants.find((t) => t.code === '85')!.id;
  dpo = await new Client(server.baseUrl).login(server.account('dpo'));
  // Some events in both tenants: sign-ins and refused reads.
  const admin85 = await new Client(server.baseUrl).login(server.account('admin', '85'));
  await admin85.get('/api/v1/staff');
  const usager = await new Client(server.baseUrl).login(server.account('usager'));
  await usager.get('/api/v1/staff');
});
afterAll(() => stopAndRemove(server));

const search = async (q: string) => {
  const res = await dpo.get(`/api/v1/audit/search${q}`);
  expect(res.status, res.text).toBe(200);
  return res.json as Page;
};

describe('audit search', () => {
  it('lists the tenant’s events newest first, narrowed by each filter', async () => {
    const all = await search('?limit=200');
    expect(all.items.length).toBeGreaterThan(2);
    const seqs = all.items.map((i) => i.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const refused = await search('?outcome=refused');
    expect(refused.items.length).toBeGreaterThan(0);
    expect(refused.items.every((i) => i.outcome === 'refused')).toBe(true);
    expect(refused.items.length).toBeLessThan(all.items.length);

    const action = refused.items[0]!.action;
    const byAction = await search(`?action=${encodeURIComponent(action)}`);
    expect(byAction.items.length).toBeGreaterThan(0);
    expect(byAction.items.every((i) => i.action === action)).toBe(true);

    const usager = server.account('usager');
    const byActor = await search(`?actor=${usager.id}`);
    expect(byActor.items.length).toBeGreaterThan(0);
    expect(byActor.items.every((i) => i.actor === usager.id)).toBe(true);

    const future = await search(`?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`);
    expect(future.items).toEqual([]);
  });

  it('pages with nextBefore, older events on the next page', async () => {
    const first = await search('?limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.nextBefore).toBe(first.items[1]!.seq);
    const second = await search(`?limit=2&before=${first.nextBefore}`);
    expect(second.items[0]!.seq).toBeLessThan(first.items[1]!.seq);
  });

  it('never shows another tenant’s events', async () => {
    const admin85 = server.account('admin', '85');
    expect(actionRows(server.dbFile, tenant85, 'staff.list').length).toBeGreaterThan(0);
    const res = await dpo.get('/api/v1/audit/search?limit=200');
    expect(res.text).not.toContain(admin85.id);
    expect(res.text).not.toContain(tenant85);
    expect((await search(`?actor=${admin85.id}`)).items).toEqual([]);
  });

  it('is the DPO’s only; bad parameters get a 400', async () => {
    const admin = await new Client(server.baseUrl).login(server.account('admin'));
    expect((await admin.get('/api/v1/audit/search')).status).toBe(403);
    expect((await admin.post('/api/v1/audit/verification', { json: {} })).status).toBe(403);
    expect((await new Client(server.baseUrl).get('/api/v1/audit/search')).status).toBe(401);
    for (const q of [
      '?limit=0',
      '?limit=201',
      '?outcome=maybe',
      '?actor=not-an-id',
      '?from=yesterday',
      '?before=-1',
      '?chain=85',
      '?action=BROUILLON',
      '?action=__proto__',
      '?objectType=..%2F..%2Fetc',
      '?objectId=2024-02-30',
      `?from=${encodeURIComponent('2026-02-01T00:00:00Z')}&to=${encodeURIComponent('2026-01-01T00:00:00Z')}`,
    ]) {
      const res = await dpo.get(`/api/v1/audit/search${q}`);
      expect(res.status, q).toBe(400);
    }
  });
});

describe('audit verification', () => {
  it('says the chain is intact on a fresh server', async () => {
    const res = await dpo.post('/api/v1/audit/verification', { json: {} });
    expect(res.status, res.text).toBe(200);
    const body = res.json as { ok: boolean; events: number; checkedAt: string; problem?: unknown };
    expect(body.ok).toBe(true);
    expect(body.events).toBeGreaterThan(0);
    expect(body.problem).toBeUndefined();
  });

  it('names the event edited behind its back', async () => {
    const row = chainRows(server.dbFile, tenant44)[2]!;
    const edited = row.entry.replace('"outcome":"', '"outcome":"x');
    expect(edited).not.toBe(row.entry);
    tamper(
      server.dbFile,
      'update audit_events set entry = ? where chain = ? and seq = ?',
      edited,
      tenant44,
      row.seq,
    );
    const res = await dpo.post('/api/v1/audit/verification', { json: {} });
    expect(res.status, res.text).toBe(200);
    const body = res.json as { ok: boolean; problem?: { seq: number; reason: string } };
    expect(body.ok).toBe(false);
    expect(body.problem?.seq).toBe(row.seq);
    expect(body.problem?.reason).toBeTruthy();
    // The break is recorded in the chain (the detection rules alert on it).
    expect(actionRows(server.dbFile, tenant44, 'audit.verification-failed')).toHaveLength(1);
  });

  it('verifies the DPO’s own chain only: another département’s break is not theirs to see', async () => {
    // Runs after the edit above: tenant 44's chain is broken, tenant 85's is not.
    const dpo85 = await new Client(server.baseUrl).login(server.account('dpo', '85'));
    const res = await dpo85.post('/api/v1/audit/verification', { json: {} });
    expect(res.status, res.text).toBe(200);
    const body = res.json as { ok: boolean; events: number; problem?: unknown };
    expect(body).toMatchObject({ ok: true });
    expect(body.problem).toBeUndefined();
    expect(body.events).toBeGreaterThan(0);
    expect(actionRows(server.dbFile, tenant85, 'audit.verification-failed')).toHaveLength(0);
    // Only the DPO of 44's own verification recorded 44's break; 85's did not record it again.
    expect(actionRows(server.dbFile, tenant44, 'audit.verification-failed')).toHaveLength(1);
  });
});

describe('consultation settings', () => {
  it('the DPO reads what is set and changes it; nobody else reads it', async () => {
    const read = async () => {
      const res = await dpo.get('/api/v1/consultation-settings');
      expect(res.status, res.text).toBe(200);
      return (res.json as { showNames: boolean }).showNames;
    };
    const dpo85 = await new Client(server.baseUrl).login(server.account('dpo', '85'));
    const read85 = async () =>
      ((await dpo85.get('/api/v1/consultation-settings')).json as { showNames: boolean }).showNames;
    const before = await read();
    const before85 = await read85();
    const put = await dpo.put('/api/v1/consultation-settings', { json: { showNames: !before } });
    expect(put.status, put.text).toBe(200);
    expect(await read()).toBe(!before);
    // Each département's choice is its own.
    expect(await read85()).toBe(before85);
    const admin = await new Client(server.baseUrl).login(server.account('admin'));
    expect((await admin.get('/api/v1/consultation-settings')).status).toBe(403);
  });
});
