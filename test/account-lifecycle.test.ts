import { afterAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { stopAndRemove } from './support/storage.js';

/**
 * THREATS.md T5 over HTTP with a shifted clock: staff accounts unused for 90 days stop working,
 * whether the scheduled job or the login attempt notices first. Usagers are not subject to it.
 */

const LOGIN = '/api/v1/auth/login';
let server: RunningServer | undefined;
afterAll(() => stopAndRemove(server));

async function restartShifted(offset: string): Promise<RunningServer> {
  const dataDir = server!.dataDir;
  await server!.stop();
  server = await startServer({
    dataDir,
    env: { CLOISON_CLOCK_OFFSET: offset, NODE_ENV: 'test' },
  });
  return server;
}

function accountRow(s: RunningServer, id: string) {
  return queryDb<{ status: string; disabled_reason: string | null }>(
    s.dbFile,
    'select status, disabled_reason from accounts where id = ?',
    id,
  )[0];
}

describe('dormant staff accounts', () => {
  it('still work at 89 days, are refused and disabled at 91, and usagers are not affected', async () => {
    server = await startServer();
    const instructeur = server.account('instructeur');
    await new Client(server.baseUrl).login(instructeur);

    // 89 days later: under the 90-day threshold, the responsable (never logged in) still can.
    let s = await restartShifted('89d');
    await new Client(s.baseUrl).login(s.account('responsable'));
    expect(accountRow(s, instructeur.id)?.status).toBe('active');

    // 91 days after the instructeur's last login: the job at start has already disabled them.
    s = await restartShifted('91d');
    const wrong = await new Client(s.baseUrl).post(LOGIN, {
      json: { email: instructeur.email, password: 'not-the-password-0000' },
    });
    const refused = await new Client(s.baseUrl).post(LOGIN, {
      json: { email: instructeur.email, password: instructeur.password },
    });
    expect(refused.status).toBe(401);
    // Indistinguishable from a wrong password: the account's state is not disclosed.
    expect(refused.text).toBe(wrong.text);
    expect(accountRow(s, instructeur.id)).toEqual({
      status: 'disabled',
      disabled_reason: 'dormant',
    });
    const sessions = queryDb<{ n: number }>(
      s.dbFile,
      'select count(*) as n from sessions where account_id = ?',
      instructeur.id,
    );
    expect(sessions[0]!.n).toBe(0);
    const events = queryDb<{ kind: string }>(
      s.dbFile,
      "select kind from security_events where kind in ('account.disabled', 'login.disabled-account') and (object_id = ? or detail like ?)",
      instructeur.id,
      `%${instructeur.id}%`,
    ).map((e) => e.kind);
    expect(events).toContain('account.disabled');
    expect(events).toContain('login.disabled-account');

    // Usagers come back after months: they are not staff and are not disabled.
    await new Client(s.baseUrl).login(s.account('usager'));
    // The responsable logged in at day 89: two days later, still active.
    await new Client(s.baseUrl).login(s.account('responsable'));
  });

  it('a shifted clock is refused outside demo mode and tests', async () => {
    const attempt = startServer({ demo: false, env: { CLOISON_CLOCK_OFFSET: '91d' } });
    await expect(attempt).rejects.toThrow(/exited with 78[\s\S]*CLOISON_CLOCK_OFFSET/);
  });
});

describe('per-account login throttling', () => {
  it('locks an account after 10 failures, whatever the address, and unknown e-mails alike', async () => {
    const s = await startServer();
    try {
      const target = s.account('accueil', '85');
      const attempt = (email: string, password: string) =>
        new Client(s.baseUrl).post(LOGIN, { json: { email, password } });
      const statuses: number[] = [];
      for (let i = 0; i < 101; i++)
        statuses.push((await attempt(target.email, `wrong-${i}-xxxxxxxx`)).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(new Set(statuses.slice(10))).toEqual(new Set([429]));
      const locked = await attempt(target.email, target.password);
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(locked.json).toMatchObject({ type: 'urn:cloison:problem:too-many-attempts' });

      // An address nobody has: the same lock, so the lock reveals no account.
      const ghost = `ghost-${Date.now()}@demo.cloison.test`;
      const ghostStatuses: number[] = [];
      for (let i = 0; i < 12; i++)
        ghostStatuses.push((await attempt(ghost, 'wrong-password-xx')).status);
      expect(ghostStatuses).toEqual([...Array(10).fill(401), 429, 429]);

      // Other accounts are not affected.
      await new Client(s.baseUrl).login(s.account('usager', '85'));

      // Sixteen minutes later the lock is over and the right password works again.
      await s.stop();
      const later = await startServer({
        dataDir: s.dataDir,
        env: { CLOISON_CLOCK_OFFSET: '16m', NODE_ENV: 'test' },
      });
      try {
        await new Client(later.baseUrl).login(target);
      } finally {
        await later.stop();
      }
    } finally {
      await stopAndRemove(s);
    }
  });
});

describe('offboarding and ending sessions', () => {
  it('an admin disables a colleague: the live session dies on the next request', async () => {
    const s = await startServer();
    try {
      const instructeur = await new Client(s.baseUrl).login(s.account('instructeur'));
      expect((await instructeur.get('/api/v1/cases')).status).toBe(200);
      const target = s.account('instructeur').id;

      const otherAdmin = await new Client(s.baseUrl).login(s.account('admin', '85'));
      const foreign = await otherAdmin.post(`/api/v1/accounts/${target}/disable`);
      const missing = await otherAdmin.post(`/api/v1/accounts/${crypto.randomUUID()}/disable`);
      expect(foreign.status).toBe(404);
      expect(foreign.text).toBe(missing.text);
      const responsable = await new Client(s.baseUrl).login(s.account('responsable'));
      expect((await responsable.post(`/api/v1/accounts/${target}/disable`)).status).toBe(403);
      expect((await instructeur.get('/api/v1/cases')).status).toBe(200);

      const admin = await new Client(s.baseUrl).login(s.account('admin'));
      expect((await admin.post(`/api/v1/accounts/${s.account('admin').id}/disable`)).status).toBe(
        404,
      );
      // An ordinary agent: one admin, at once (admins and the DPO take two: account-disabling).
      expect((await admin.post(`/api/v1/accounts/${target}/disable`)).json).toEqual({
        accountId: target,
        status: 'disabled',
        requestId: null,
      });
      expect((await instructeur.get('/api/v1/cases')).status).toBe(401);
      const again = await new Client(s.baseUrl).post(LOGIN, {
        json: {
          email: s.account('instructeur').email,
          password: s.account('instructeur').password,
        },
      });
      expect(again.status).toBe(401);
      expect(accountRow(s, target)).toEqual({ status: 'disabled', disabled_reason: 'offboarded' });
    } finally {
      await stopAndRemove(s);
    }
  });

  it('an admin ends the sessions of a staff account at once, or of a usager with a reason; both may log in again', async () => {
    const s = await startServer();
    try {
      const admin = await new Client(s.baseUrl).login(s.account('admin'));
      const agent = await new Client(s.baseUrl).login(s.account('instructeur'));
      const agentElsewhere = await new Client(s.baseUrl).login(s.account('instructeur'));
      expect(
        (await admin.delete(`/api/v1/accounts/${s.account('instructeur').id}/sessions`)).status,
      ).toBe(204);
      expect((await agent.get('/api/v1/me')).status).toBe(401);
      expect((await agentElsewhere.get('/api/v1/me')).status).toBe(401);
      await new Client(s.baseUrl).login(s.account('instructeur'));

      // A usager's sessions: a support action, its reason written (test/account-disabling).
      const usager = await new Client(s.baseUrl).login(s.account('usager'));
      const second = await new Client(s.baseUrl).login(s.account('usager'));
      expect(
        (
          await admin.post(`/api/v1/accounts/${s.account('usager').id}/support/end-sessions`, {
            json: {
              category: 'suspected-compromise',
              reason: 'Connexions inhabituelles signalées par la personne au téléphone',
            },
          })
        ).status,
      ).toBe(204);
      expect((await usager.get('/api/v1/me')).status).toBe(401);
      expect((await second.get('/api/v1/me')).status).toBe(401);
      await new Client(s.baseUrl).login(s.account('usager'));
    } finally {
      await stopAndRemove(s);
    }
  });
});
