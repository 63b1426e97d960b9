import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';

/**
 * Behind nginx, the client's address comes in X-Forwarded-For. Cloison believes it only from the
 * proxies CLOISON_TRUST_PROXY names: otherwise any client could pick the address its rate limits
 * and audit events are counted against.
 */

async function failedLoginFrom(s: RunningServer, forwardedFor: string): Promise<string | null> {
  const email = `personne-${Math.random().toString(36).slice(2)}@example.org`;
  const res = await fetch(`${s.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ email, password: 'pas le bon mot de passe' }),
  });
  expect(res.status).toBe(401);
  const rows = queryDb<{ ip: string | null }>(
    s.dbFile,
    "select ip from security_events where kind = 'login.failed' order by id desc limit 1",
  );
  return rows[0]?.ip ?? null;
}

describe('the client address behind a reverse proxy', () => {
  let direct: RunningServer;
  let proxied: RunningServer;

  beforeAll(async () => {
    [direct, proxied] = await Promise.all([
      startServer(),
      startServer({ env: { CLOISON_TRUST_PROXY: '127.0.0.1' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([direct?.stop(), proxied?.stop()]);
  });

  it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
    expect(await failedLoginFrom(direct, '203.0.113.7')).toBe('127.0.0.1');
  });

  it('takes the client address from a trusted proxy', async () => {
    expect(await failedLoginFrom(proxied, '203.0.113.7')).toBe('203.0.113.7');
  });

  it('refuses a malformed list at start', async () => {
    for (const value of ['true', '0.0.0.0/0', '::/0', 'fe80::1%eth0', '10.0.0.0/33']) {
      const run = await runCli(['serve'], { CLOISON_TRUST_PROXY: value });
      expect(run.code, `${value}: ${run.output}`).toBe(78);
      expect(run.output).toContain('CLOISON_TRUST_PROXY');
    }
  });
});
