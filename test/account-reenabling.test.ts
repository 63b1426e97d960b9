import { afterAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { accountRow, loginStatus } from './support/staff-admins.js';
import { eventually, stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

/**
 * THREATS.md T5 with a shifted clock: an account disabled as dormant and re-enabled by two
 * admins gets a fresh dormancy clock, so neither the login check nor the hourly job disables it
 * again at once; its last login is not made up for that.
 */

let server: RunningServer | undefined;
afterAll(() => stopAndRemove(server));

async function restartShifted(offset: string): Promise<RunningServer> {
  const dataDir = server!.dataDir;
  await server!.stop();
  server = await startServer({ dataDir, env: { CLOISON_CLOCK_OFFSET: offset, NODE_ENV: 'test' } });
  return server;
}

describe('re-enabling a dormant account', () => {
  it('is not disabled again by the dormancy rule, at login or by the job', async () => {
    server = await startServer();
    const evaluateur = server.account('evaluateur');

    // The admins keep their accounts alive; the évaluateur never signs in.
    let s = await restartShifted('89d');
    await new Client(s.baseUrl).login(s.account('admin'));
    await new Client(s.baseUrl).login(s.account('admin-2'));

    s = await restartShifted('91d');
    const disabledAsDormant = (id: string) =>
      accountRow(s, id)?.status === 'disabled' && accountRow(s, id)?.disabled_reason === 'dormant';
    expect(await eventually(() => disabledAsDormant(evaluateur.id))).toBe(true);
    const adminA = await new Client(s.baseUrl).login(s.account('admin'));
    const adminB = await new Client(s.baseUrl).login(s.account('admin-2'));
    const asked = await adminA.post(`/api/v1/accounts/${evaluateur.id}/enable`);
    expect(asked.status).toBe(201);
    const { requestId } = asked.json as { requestId: string };
    expect(await loginStatus(s, evaluateur)).toBe(401);
    expect((await adminB.post(`/api/v1/staff-requests/${requestId}/approve`)).status).toBe(200);

    const row = accountRow(s, evaluateur.id)!;
    expect(row).toMatchObject({ status: 'active', disabled_reason: null });
    expect(row.reenabled_at).not.toBeNull();
    const lastLogin = () =>
      queryDb<{ last_login_at: string | null }>(
        s.dbFile,
        'select last_login_at from accounts where id = ?',
        evaluateur.id,
      )[0]?.last_login_at;
    expect(lastLogin()).toBeNull();

    // A control brought back behind the API's back, with no fresh clock: the job must take it.
    const control = s.account('cdaph');
    writeDb(
      s.dbFile,
      "update accounts set status = 'active', disabled_at = null, disabled_reason = null where id = ?",
      control.id,
    );

    // A day later the job has run at start, before anyone signs in: it disabled the control,
    // not the account two admins re-enabled.
    s = await restartShifted('92d');
    expect(await eventually(() => disabledAsDormant(control.id))).toBe(true);
    expect(accountRow(s, evaluateur.id)?.status).toBe('active');
    // And the login check lets the holder in.
    const back = await new Client(s.baseUrl).login(evaluateur);
    expect((await back.get('/api/v1/me')).status).toBe(200);
    expect(lastLogin()).not.toBeNull();
    // Four server starts and a dozen sign-ins: minutes on a busy two-core machine.
  }, 300_000);
});
