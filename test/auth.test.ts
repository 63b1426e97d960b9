import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { domainFingerprint, queryDb, readWorld } from './harness/world.js';
import { expectProblem, problemSlug } from './support/problem.js';
import { stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

let server: RunningServer;
/** Idle timeout of one minute, the smallest CLOISON_SESSION_IDLE_MINUTES allows. */
let idle: RunningServer;
let limited: RunningServer;

beforeAll(async () => {
  [server, idle, limited] = await Promise.all([
    startServer(),
    startServer({ env: { CLOISON_SESSION_IDLE_MINUTES: '1' } }),
    startServer({ env: { CLOISON_LOGIN_RATE_LIMIT: '5' } }),
  ]);
});
afterAll(() => stopAndRemove(server, idle, limited));

const LOGIN = '/api/v1/auth/login';

function sessionsOf(target: RunningServer, accountId: string) {
  return queryDb<Record<string, unknown>>(
    target.dbFile,
    'select * from sessions where account_id = ?',
    accountId,
  );
}

/** The raw cookie value, as a browser would hold it. */
function tokenOf(client: Client): string {
  return (client.sessionCookie ?? '').split('=').slice(1).join('=');
}

/** Moves an account's session timestamps back, as if `seconds` had passed without use. */
function ageSession(target: RunningServer, accountId: string, seconds: number, column: string) {
  let changed = 0;
  for (const row of sessionsOf(target, accountId)) {
    const aged = new Date(new Date(String(row[column])).getTime() - seconds * 1000);
    changed += writeDb(
      target.dbFile,
      `update sessions set ${column} = ? where id_hash = ?`,
      aged.toISOString(),
      row.id_hash,
    );
  }
  return changed;
}

describe('logging in', () => {
  it('answers 200 with a session cookie that is HttpOnly, SameSite=Strict and Path=/', async () => {
    const client = new Client(server.baseUrl);
    const account = server.account('usager');
    const res = await client.post(LOGIN, {
      json: { email: account.email, password: account.password },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ next: 'done' });
    const attributes = (res.headers.get('set-cookie') ?? '')
      .split(';')
      .map((a) => a.trim().toLowerCase());
    expect(attributes[0]).toMatch(/^__host-cloison_session=[a-z0-9_-]{40,}$/);
    expect(attributes).toContain('secure');
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=strict');
    expect(attributes).toContain('path=/');
    expect((await client.get('/api/v1/me')).status).toBe(200);
  });

  it('gives a wrong password and an unknown e-mail the very same answer', async () => {
    const account = server.account('usager');
    const attempts = [
      { email: account.email, password: `${account.password}x` },
      { email: 'personne.44@demo.cloison.test', password: account.password },
      { email: account.email.toUpperCase(), password: 'wrong-password' },
    ];
    const answers = [];
    for (const body of attempts) {
      const res = await new Client(server.baseUrl).post(LOGIN, { json: body });
      expectProblem(res, 401, body.email);
      expect(res.headers.get('set-cookie')).toBeNull();
      answers.push({ status: res.status, type: res.headers.get('content-type'), body: res.text });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('keeps only a hash of the session token in the sessions table', async () => {
    const account = server.account('instructeur');
    const before = sessionsOf(server, account.id).length;
    const client = await new Client(server.baseUrl).login(account);
    const token = tokenOf(client);
    expect(token.length).toBeGreaterThanOrEqual(40);
    const rows = sessionsOf(server, account.id);
    expect(rows.length).toBe(before + 1);
    const everything = JSON.stringify(queryDb(server.dbFile, 'select * from sessions'));
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(Buffer.from(token, 'base64url').toString('hex'));
  });

  it('is throttled: the sixth attempt in a minute gets 429, even with the right password', async () => {
    const account = limited.account('usager');
    for (let i = 0; i < 5; i++) {
      const res = await new Client(limited.baseUrl).post(LOGIN, {
        json: { email: account.email, password: `wrong-${i}` },
      });
      expectProblem(res, 401, `attempt ${i + 1}`);
    }
    const sixth = await new Client(limited.baseUrl).post(LOGIN, {
      json: { email: account.email, password: account.password },
    });
    expectProblem(sixth, 429, 'sixth attempt');
    expect(problemSlug(sixth)).toBe('rate-limited');
    expect(sixth.headers.get('set-cookie')).toBeNull();
    expect(sessionsOf(limited, account.id)).toEqual([]);
  });
});

describe('a session', () => {
  it('dies on logout: replaying the old cookie gets 401', async () => {
    const account = server.account('accueil');
    const client = await new Client(server.baseUrl).login(account);
    const cookie = client.sessionCookie;
    expect(sessionsOf(server, account.id).length).toBe(1);
    const out = await client.post('/api/v1/auth/logout');
    expect(out.status).toBe(204);
    expect(sessionsOf(server, account.id)).toEqual([]);
    const replay = new Client(server.baseUrl);
    replay.sessionCookie = cookie;
    const res = await replay.get('/api/v1/me');
    expectProblem(res, 401);
    expect(problemSlug(res)).toBe('unauthenticated');
  });

  it('slides while in use and dies once idle longer than the idle timeout', async () => {
    const account = idle.account('usager');
    const client = await new Client(idle.baseUrl).login(account);
    // 45 s idle of a 60 s allowance: still alive, and this use must count as activity...
    expect(ageSession(idle, account.id, 45, 'last_seen_at')).toBe(1);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    // ...so 40 s more of silence (85 s since login, 40 s since last use) is still within it.
    ageSession(idle, account.id, 40, 'last_seen_at');
    expect((await client.get('/api/v1/me')).status).toBe(200);
    // 61 s since the last use: gone, and removed server-side.
    ageSession(idle, account.id, 61, 'last_seen_at');
    const res = await client.get('/api/v1/me');
    expectProblem(res, 401);
    expect(sessionsOf(idle, account.id)).toEqual([]);
  });

  it('dies at its absolute expiry even when in constant use', async () => {
    const account = idle.account('usager-2');
    const client = await new Client(idle.baseUrl).login(account);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    ageSession(idle, account.id, 13 * 3600, 'expires_at');
    expectProblem(await client.get('/api/v1/me'), 401);
    expect(sessionsOf(idle, account.id)).toEqual([]);
  });

  it('dies on the next request once its account is disabled, and login is refused', async () => {
    const account = server.account('usager-2');
    const client = await new Client(server.baseUrl).login(account);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect(
      writeDb(server.dbFile, "update accounts set status = 'disabled' where id = ?", account.id),
    ).toBe(1);
    const res = await client.get('/api/v1/me');
    expectProblem(res, 401);
    expect(sessionsOf(server, account.id)).toEqual([]);
    const again = await new Client(server.baseUrl).post(LOGIN, {
      json: { email: account.email, password: account.password },
    });
    const wrong = await new Client(server.baseUrl).post(LOGIN, {
      json: { email: account.email, password: 'not-the-password' },
    });
    expect(again.status).toBe(401);
    expect(again.text).toBe(wrong.text);
  });
});

describe('accounts', () => {
  it('hash every password with argon2id, m=19456, t=2, p=1', () => {
    const rows = queryDb<{ email: string; password_hash: string }>(
      server.dbFile,
      'select email, password_hash from accounts',
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      expect(row.password_hash, row.email).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    }
  });

  it('GET /api/v1/me describes exactly my own account, nothing else', async () => {
    const world = readWorld(server.dbFile);
    for (const [label, tenant] of [
      ['usager', '44'],
      ['responsable', '85'],
      ['operateur', null],
    ] as const) {
      const account = server.account(label, tenant);
      const res = await (await new Client(server.baseUrl).login(account)).get('/api/v1/me');
      expect(res.status).toBe(200);
      const row = world.accounts.find((a) => a.id === account.id)!;
      expect(res.json).toEqual({
        id: row.id,
        kind: row.kind,
        role: row.role,
        tenantId: row.tenant_id,
        displayName: row.display_name,
        email: row.email,
        secondFactor: 'done',
      });
      for (const other of world.accounts.filter((a) => a.id !== account.id)) {
        expect(res.text).not.toContain(other.id);
      }
    }
  });
});

describe('cross-origin requests', () => {
  it('are refused with a problem and change nothing; same-origin ones go through', async () => {
    const world = readWorld(server.dbFile);
    const account = server.account('parent');
    const person = world.mandates.find((m) => m.representative_account_id === account.id)!;
    const caseId = world.cases.find((c) => c.person_id === person.person_id)!.id;
    const client = await new Client(server.baseUrl).login(account);
    const before = domainFingerprint(server.dbFile);
    const sessions = sessionsOf(server, account.id).length;
    const foreign = [
      'https://evil.example',
      'null',
      `${server.baseUrl}.evil.example`,
      'http://localhost:1',
    ];
    for (const origin of foreign) {
      const headers = { origin };
      const message = await client.post(`/api/v1/cases/${caseId}/messages`, {
        json: { body: 'envoyé depuis un autre site' },
        headers,
      });
      expectProblem(message, 403, origin);
      expect(problemSlug(message)).toBe('cross-origin');
      const login = await new Client(server.baseUrl).post(LOGIN, {
        json: { email: account.email, password: account.password },
        headers,
      });
      expectProblem(login, 403, `login from ${origin}`);
      expect(login.headers.get('set-cookie')).toBeNull();
      expectProblem(await client.post('/api/v1/auth/logout', { headers }), 403, origin);
    }
    expect(domainFingerprint(server.dbFile)).toBe(before);
    expect(sessionsOf(server, account.id).length).toBe(sessions);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    // Each forged write is a security event (3 requests per origin), for the alerting issue.
    const events = queryDb<{ n: number }>(
      server.dbFile,
      "select count(*) as n from security_events where kind = 'request.cross-origin'",
    );
    expect(events[0]?.n).toBe(foreign.length * 3);

    // Fetch metadata saying cross-site or same-site (a sibling subdomain) is refused as well.
    for (const site of ['cross-site', 'same-site']) {
      const res = await client.post(`/api/v1/cases/${caseId}/messages`, {
        json: { body: 'envoyé depuis un autre site' },
        headers: { 'sec-fetch-site': site },
      });
      expectProblem(res, 403, site);
    }
    expect(domainFingerprint(server.dbFile)).toBe(before);

    // The control: the same request from the portal's own origin is accepted and is seen.
    const same = await client.post(`/api/v1/cases/${caseId}/messages`, {
      json: { body: 'envoyé depuis le portail' },
      headers: { origin: server.baseUrl },
    });
    expect(same.status, same.text).toBe(201);
    expect(domainFingerprint(server.dbFile)).not.toBe(before);
  });
});
