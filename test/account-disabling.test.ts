import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { expectProblem } from './support/problem.js';
import {
  accountRow,
  eventKinds,
  loginStatus,
  promoteToAdmin,
  slugOf,
} from './support/staff-admins.js';
import { stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

/**
 * THREATS.md T5 over HTTP: disabling an account that holds admin or DPO takes a second admin,
 * never the requester nor the account's holder; the département keeps at least two active
 * admins; a disabled staff account comes back only with a second admin's approval; a usager's
 * account is not an admin's to disable. An ordinary agent's offboarding stays immediate.
 */

interface Pending {
  items: Array<{ id: string; purpose: string; accountId: string; mayDecide: boolean }>;
}

let server: RunningServer;
let adminA: Client;
let adminB: Client;

beforeAll(async () => {
  server = await startServer();
  adminA = await new Client(server.baseUrl).login(server.account('admin'));
  adminB = await new Client(server.baseUrl).login(server.account('admin-2'));
});
afterAll(() => stopAndRemove(server));

const disable = (c: Client, id: string) => c.post(`/api/v1/accounts/${id}/disable`);
const decide = (c: Client, requestId: string, how: 'approve' | 'refuse') =>
  c.post(`/api/v1/staff-requests/${requestId}/${how}`);

describe('with exactly two admins', () => {
  it('disabling one of them is refused with 409, and nothing changes', async () => {
    const b = server.account('admin-2');
    const before = queryDb(server.dbFile, 'select * from account_status_requests').length;
    const res = await disable(adminA, b.id);
    expectProblem(res, 409);
    expect(slugOf(res)).toBe('too-few-admins');
    expect((res.json as { detail: string }).detail).toMatch(/au moins 2 administrateurs/);
    expect(accountRow(server, b.id)).toMatchObject({ status: 'active', role: 'admin' });
    expect(queryDb(server.dbFile, 'select * from account_status_requests').length).toBe(before);
    expect((await adminB.get('/api/v1/me')).status).toBe(200);
    expect(eventKinds(server, b.id)).toContain('account.too-few-admins');
  });

  it('an admin still cannot disable their own account', async () => {
    const self = await disable(adminA, server.account('admin').id);
    const missing = await disable(adminA, crypto.randomUUID());
    expect(self.status).toBe(404);
    expect(self.text).toBe(missing.text);
  });
});

describe('the DPO: one admin asks, another decides', () => {
  it('stays active and signs in while pending; only a second admin approves; then its session dies', async () => {
    const dpo = server.account('dpo');
    const dpoSession = await new Client(server.baseUrl).login(dpo);

    const asked = await disable(adminA, dpo.id);
    expect(asked.status).toBe(200);
    const { requestId, status } = asked.json as { requestId: string; status: string };
    expect(status).toBe('pending');
    expect(accountRow(server, dpo.id)).toMatchObject({ status: 'active', disabled_at: null });
    expect((await dpoSession.get('/api/v1/me')).status).toBe(200);
    expect(await loginStatus(server, dpo)).toBe(200);
    expect(slugOf(await disable(adminA, dpo.id))).toBe('request-pending');

    const inboxA = (await adminA.get('/api/v1/staff-requests')).json as Pending;
    expect(inboxA.items.find((i) => i.id === requestId)).toMatchObject({
      purpose: 'disable',
      accountId: dpo.id,
      mayDecide: false,
    });
    const inboxB = (await adminB.get('/api/v1/staff-requests')).json as Pending;
    expect(inboxB.items.find((i) => i.id === requestId)?.mayDecide).toBe(true);

    // The requester may not approve; the DPO is no admin; another département sees nothing.
    const own = await decide(adminA, requestId, 'approve');
    expect(own.status).toBe(403);
    expect(slugOf(own)).toBe('second-admin-required');
    expect(eventKinds(server, requestId)).toContain('approval.same-person');
    expect((await decide(dpoSession, requestId, 'approve')).status).toBe(403);
    const foreign = await new Client(server.baseUrl).login(server.account('admin', '85'));
    const foreignRes = await decide(foreign, requestId, 'approve');
    expect(foreignRes.status).toBe(404);
    expect(foreignRes.text).toBe((await decide(foreign, crypto.randomUUID(), 'approve')).text);
    expect(accountRow(server, dpo.id)?.status).toBe('active');

    const approved = await decide(adminB, requestId, 'approve');
    expect(approved.json).toEqual({ requestId, status: 'approved' });
    expect((await dpoSession.get('/api/v1/me')).status).toBe(401);
    expect(await loginStatus(server, dpo)).toBe(401);
    expect(accountRow(server, dpo.id)).toMatchObject({
      status: 'disabled',
      disabled_reason: 'offboarded',
    });
    expect(eventKinds(server, dpo.id)).toEqual(
      expect.arrayContaining(['account.disable-requested', 'account.disabled']),
    );
    expect((await decide(adminB, requestId, 'approve')).status).toBe(409);

    // The database refuses a same-person decision whatever the service does.
    for (const column of ['requested_by', 'account_id']) {
      expect(() =>
        writeDb(
          server.dbFile,
          `update account_status_requests set decided_by = ${column} where id = ?`,
          requestId,
        ),
      ).toThrow(/CHECK constraint/);
    }
  });

  it('comes back only when a second admin approves its re-enabling, and signs in again', async () => {
    const dpo = server.account('dpo');
    const asked = await adminB.post(`/api/v1/accounts/${dpo.id}/enable`);
    expect(asked.status).toBe(201);
    const { requestId } = asked.json as { requestId: string };
    expect(accountRow(server, dpo.id)?.status).toBe('disabled');
    expect(await loginStatus(server, dpo)).toBe(401);
    expect((await decide(adminB, requestId, 'approve')).status).toBe(403);

    expect((await decide(adminA, requestId, 'approve')).status).toBe(200);
    const row = accountRow(server, dpo.id)!;
    expect(row).toMatchObject({ status: 'active', disabled_at: null, disabled_reason: null });
    expect(row.reenabled_at).not.toBeNull();
    const back = await new Client(server.baseUrl).login(dpo);
    expect((await back.get('/api/v1/me')).status).toBe(200);
    expect(eventKinds(server, dpo.id)).toEqual(
      expect.arrayContaining(['account.enable-requested', 'account.enabled']),
    );
    // Active again: nothing left to re-enable.
    const again = await adminB.post(`/api/v1/accounts/${dpo.id}/enable`);
    expectProblem(again, 409);
    expect(slugOf(again)).toBe('account-not-reenablable');
  });
});

describe('with three admins', () => {
  let adminC: Client;
  beforeAll(async () => {
    adminC = await promoteToAdmin(server, adminA, adminB, 'cdaph');
  });

  it('one admin is disabled by a third, never by the requester nor themself; the last two stay', async () => {
    const a = server.account('admin');
    const b = server.account('admin-2');
    const first = (await disable(adminA, b.id)).json as { requestId: string; status: string };
    expect(first.status).toBe('pending');
    // The admin it is about may not decide it either.
    const target = await decide(adminB, first.requestId, 'refuse');
    expect(target.status).toBe(403);
    expect(slugOf(target)).toBe('second-admin-required');
    // Meanwhile B asks for A: at that moment three admins are active, so it may wait.
    const second = (await disable(adminB, a.id)).json as { requestId: string; status: string };
    expect(second.status).toBe('pending');

    expect((await decide(adminC, first.requestId, 'approve')).status).toBe(200);
    expect(accountRow(server, b.id)?.status).toBe('disabled');
    expect((await adminB.get('/api/v1/me')).status).toBe(401);

    // Approving the second would leave C alone: refused, A still active, still pending.
    const refused = await decide(adminC, second.requestId, 'approve');
    expectProblem(refused, 409);
    expect(slugOf(refused)).toBe('too-few-admins');
    expect(accountRow(server, a.id)?.status).toBe('active');
    expect(
      queryDb(
        server.dbFile,
        'select status from account_status_requests where id = ?',
        second.requestId,
      ),
    ).toEqual([{ status: 'pending' }]);
    expect((await decide(adminC, second.requestId, 'refuse')).status).toBe(200);

    // B comes back through two admins again.
    const enable = (await adminC.post(`/api/v1/accounts/${b.id}/enable`)).json as {
      requestId: string;
    };
    expect((await decide(adminA, enable.requestId, 'approve')).status).toBe(200);
    adminB = await new Client(server.baseUrl).login(b);
  });

  it('a role change that takes the admin role from one of the last two is refused at approval', async () => {
    const a = server.account('admin');
    const b = server.account('admin-2');
    const ask = async (c: Client, id: string) =>
      (
        (await c.post(`/api/v1/accounts/${id}/role-requests`, { json: { role: 'instructeur' } }))
          .json as { requestId: string }
      ).requestId;
    const moveB = await ask(adminA, b.id);
    const moveA = await ask(adminB, a.id);
    expect((await decide(adminC, moveB, 'approve')).status).toBe(200);
    expect(accountRow(server, b.id)?.role).toBe('instructeur');
    const refused = await decide(adminC, moveA, 'approve');
    expectProblem(refused, 409);
    expect(slugOf(refused)).toBe('too-few-admins');
    expect(accountRow(server, a.id)?.role).toBe('admin');
    expect(eventKinds(server, a.id)).toContain('account.too-few-admins');
  });
});

describe('ordinary agents and usagers', () => {
  it('an agent is disabled by one admin at once, and the live session gets 401', async () => {
    const agent = server.account('instructeur-sud');
    const session = await new Client(server.baseUrl).login(agent);
    const res = await disable(adminA, agent.id);
    expect(res.json).toEqual({ accountId: agent.id, status: 'disabled', requestId: null });
    expect((await session.get('/api/v1/me')).status).toBe(401);
  });

  it('an admin cannot disable or re-enable a usager: the answer of a missing account; the usager still signs in', async () => {
    const usager = server.account('usager');
    const session = await new Client(server.baseUrl).login(usager);
    for (const path of ['disable', 'enable']) {
      const res = await adminA.post(`/api/v1/accounts/${usager.id}/${path}`);
      const missing = await adminA.post(`/api/v1/accounts/${crypto.randomUUID()}/${path}`);
      expect(res.status, path).toBe(404);
      expect(res.text, path).toBe(missing.text);
    }
    // Ending a usager's sessions is no longer the staff emergency route either.
    const ended = await adminA.delete(`/api/v1/accounts/${usager.id}/sessions`);
    expect(ended.status).toBe(404);
    expect(ended.text).toBe(
      (await adminA.delete(`/api/v1/accounts/${crypto.randomUUID()}/sessions`)).text,
    );
    expect(accountRow(server, usager.id)?.status).toBe('active');
    expect((await session.get('/api/v1/me')).status).toBe(200);
    expect(await loginStatus(server, usager)).toBe(200);
  });

  it('ending a usager’s sessions is a support action with a reason, kept sealed', async () => {
    const usager = server.account('usager');
    const session = await new Client(server.baseUrl).login(usager);
    const path = `/api/v1/accounts/${usager.id}/support/end-sessions`;
    const reason = 'Téléphone perdu signalé par la personne au guichet ce matin';
    expectProblem(await adminA.post(path, { json: { category: 'usager-request' } }), 400);
    expectProblem(
      await adminA.post(path, { json: { category: 'usager-request', reason: 'x' } }),
      400,
    );
    expect((await session.get('/api/v1/me')).status).toBe(200);
    // Not for staff accounts: those have the emergency route.
    const staffTarget = await adminA.post(
      `/api/v1/accounts/${server.account('accueil').id}/support/end-sessions`,
      { json: { category: 'other', reason } },
    );
    expect(staffTarget.status).toBe(404);

    expect((await adminA.post(path, { json: { category: 'usager-request', reason } })).status).toBe(
      204,
    );
    expect((await session.get('/api/v1/me')).status).toBe(401);
    await new Client(server.baseUrl).login(usager);
    const event = queryDb<{ detail: string }>(
      server.dbFile,
      "select detail from security_events where kind = 'account.sessions-ended' and object_id = ?",
      usager.id,
    );
    expect(JSON.parse(event[0]!.detail)).toMatchObject({ category: 'usager-request' });
    const stored = queryDb<{ category: string; reason_enc: Buffer }>(
      server.dbFile,
      'select category, reason_enc from support_actions where account_id = ?',
      usager.id,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.category).toBe('usager-request');
    const everywhere = JSON.stringify([
      queryDb(server.dbFile, 'select * from security_events'),
      queryDb(server.dbFile, 'select entry from audit_events'),
    ]);
    for (const text of [everywhere, stored[0]!.reason_enc.toString('utf8'), server.output()])
      expect(text).not.toContain('perdu signalé');

    // Erasing the person erases the support reasons about their account too.
    const person = queryDb<{ id: string }>(
      server.dbFile,
      'select id from persons where account_id = ?',
      usager.id,
    )[0]!;
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    const erased = await dpo.post(`/api/v1/persons/${person.id}/erasure`, {
      json: { reason: 'right-to-erasure' },
    });
    expect(erased.status, erased.text).toBe(201);
    expect(
      queryDb(server.dbFile, 'select id from support_actions where account_id = ?', usager.id),
    ).toEqual([]);
  });
});

describe('access reviews', () => {
  it('a reviewer cannot revoke the admin role of one of the last two admins', async () => {
    const admin85 = await new Client(server.baseUrl).login(server.account('admin', '85'));
    const second85 = await new Client(server.baseUrl).login(server.account('admin-2', '85'));
    const deadline = new Date(Date.now() + 2 * 3_600_000).toISOString();
    expect((await admin85.post('/api/v1/access-reviews', { json: { deadline } })).status).toBe(201);
    const items = (await second85.get('/api/v1/access-reviews/items')).json as {
      items: Array<{ id: string; accountId: string }>;
    };
    const target = server.account('admin', '85');
    const item = items.items.find((i) => i.accountId === target.id)!;
    const res = await second85.post(`/api/v1/access-reviews/items/${item.id}`, {
      json: { decision: 'revoke' },
    });
    expectProblem(res, 409);
    expect(slugOf(res)).toBe('too-few-admins');
    expect(accountRow(server, target.id)?.role).toBe('admin');
    expect((await admin85.get('/api/v1/me')).status).toBe(200);
    // Confirming stays possible.
    const kept = await second85.post(`/api/v1/access-reviews/items/${item.id}`, {
      json: { decision: 'confirm' },
    });
    expect(kept.status).toBe(200);
  });
});
