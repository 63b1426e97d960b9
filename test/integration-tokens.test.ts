import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type HttpResult } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { expectProblem, problemSlug } from './support/problem.js';
import { readDataFiles, stopAndRemove } from './support/storage.js';
import { promoteToAdmin } from './support/staff-admins.js';
import { writeDb } from './support/writable-db.js';

/**
 * Issue 4, item 8 over HTTP: integration tokens scoped to a tenant and to permissions, stored
 * hashed, expiring, revocable, bound to address ranges, approved by a second admin, and dead as
 * soon as their creator's account is (THREATS.md T5).
 */

const TOKENS = '/api/v1/integration-tokens';
let server: RunningServer;
let world: World;
const admins: Record<string, { creator: Client; second: Client }> = {};

beforeAll(async () => {
  server = await startServer();
  world = readWorld(server.dbFile);
  for (const tenant of ['44', '85']) {
    admins[tenant] = {
      creator: await new Client(server.baseUrl).login(server.account('admin', tenant)),
      second: await new Client(server.baseUrl).login(server.account('admin-2', tenant)),
    };
  }
});
afterAll(() => stopAndRemove(server));

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

interface TokenBody {
  name?: string;
  permissions?: string[];
  expiresAt?: string;
  allowedRanges?: string[];
}

/** Asks the tenant's admin for a token; returns the raw answer. */
function create(tenant: string, body: TokenBody = {}): Promise<HttpResult> {
  return admins[tenant]!.creator.post(TOKENS, {
    json: {
      name: 'SI PCH du département',
      permissions: ['case.list', 'case.read'],
      expiresAt: inDays(30),
      ...body,
    },
  });
}

/** A token created by the tenant's admin and approved by the second admin: ready to use. */
async function issue(tenant = '44', body: TokenBody = {}) {
  const res = await create(tenant, body);
  expect(res.status, res.text).toBe(201);
  const { id, token } = res.json as { id: string; token: string };
  const approved = await admins[tenant]!.second.post(`${TOKENS}/${id}/approve`);
  expect(approved.status, approved.text).toBe(200);
  const client = new Client(server.baseUrl);
  client.bearer = token;
  return { id, token, client };
}

function caseOf(tenant: string): World['cases'][number] {
  const tenantId = world.tenants.find((t) => t.code === tenant)!.id;
  return world.cases.find((c) => c.tenant_id === tenantId && c.summary !== null)!;
}

function rejections(tokenId: string): string[] {
  return queryDb<{ detail: string }>(
    server.dbFile,
    "select detail from security_events where kind = 'token.rejected' and object_id = ? order by id",
    tokenId,
  ).map((r) => (JSON.parse(r.detail) as { reason: string }).reason);
}

function tokenRow(id: string) {
  return queryDb<Record<string, string | null>>(
    server.dbFile,
    'select * from api_tokens where id = ?',
    id,
  )[0]!;
}

describe('creating a token', () => {
  it('shows the token once and stores only its SHA-256, nowhere else on disk or in the logs', async () => {
    const { id, token, client } = await issue();
    expect(token).toMatch(new RegExp(`^clo_${id}_[A-Za-z0-9_-]{43}$`));
    expect((await client.get('/api/v1/cases')).status).toBe(200);

    const row = tokenRow(id);
    expect(row.secret_hash).toBe(createHash('sha256').update(token).digest('hex'));
    const list = await admins['44']!.creator.get(TOKENS);
    expect(list.status).toBe(200);
    const listed = (list.json as { items: Array<Record<string, unknown>> }).items;
    expect(listed.map((t) => t.id)).toContain(id);
    expect(list.text).not.toContain('clo_');
    expect(list.text).not.toContain(row.secret_hash!);

    // A rejected use too: its security event must not keep the secret either.
    const wrong = new Client(server.baseUrl);
    wrong.bearer = `${token.slice(0, -4)}AAAA`;
    expect((await wrong.get('/api/v1/cases')).status).toBe(401);
    const secret = token.slice(`clo_${id}_`.length);
    const hits = readDataFiles(server.dataDir)
      .filter(({ bytes }) => bytes.includes(secret) || bytes.includes(secret.slice(0, 20)))
      .map(({ file }) => file);
    expect(hits).toEqual([]);
    expect(server.output()).not.toContain(secret.slice(0, 20));
  });

  it('refuses expiries in the past or beyond a year, unknown permissions and bad ranges', async () => {
    const refused: TokenBody[] = [
      { expiresAt: inDays(-1) },
      { expiresAt: new Date().toISOString() },
      { expiresAt: inDays(367) },
      { expiresAt: 'demain' },
      { permissions: [] },
      { permissions: ['document.read'] },
      { permissions: ['note.list'] },
      { permissions: ['message.list'] },
      { permissions: ['case.transition'] },
      { permissions: ['token.manage'] },
      { allowedRanges: [] },
      { allowedRanges: ['10.0.0.0/33'] },
      { allowedRanges: ['10.0.0.0/8/8'] },
      { allowedRanges: ['fe80::1%eth0/64'] },
      { allowedRanges: ['intranet.cd44.fr'] },
      { allowedRanges: ['010.0.0.1/8'] },
      { name: '' },
      { name: 'ligne\nnouvelle' },
    ];
    const before = queryDb<{ n: number }>(server.dbFile, 'select count(*) as n from api_tokens');
    for (const body of refused) {
      const res = await create('44', body);
      expectProblem(res, 400, JSON.stringify(body));
    }
    const after = queryDb<{ n: number }>(server.dbFile, 'select count(*) as n from api_tokens');
    expect(after).toEqual(before);
    // The bounds themselves are fine: almost a year, a single address, an IPv6 range.
    const ok = await create('44', {
      expiresAt: inDays(364),
      allowedRanges: ['192.0.2.7', '2001:db8::/32'],
    });
    expect(ok.status, ok.text).toBe(201);
    expect((ok.json as { allowedRanges: string[] }).allowedRanges).toEqual([
      '192.0.2.7/32',
      '2001:db8::/32',
    ]);
  });

  it('is the admin’s: other roles get 403, a token cannot create or list tokens', async () => {
    const responsable = await new Client(server.baseUrl).login(server.account('responsable'));
    expectProblem(await responsable.get(TOKENS), 403);
    const { client } = await issue();
    expectProblem(await client.get(TOKENS), 403);
    expectProblem(
      await client.post(TOKENS, {
        json: { name: 'x', permissions: ['case.read'], expiresAt: inDays(1) },
      }),
      403,
    );
  });
});

describe('approval by a second admin', () => {
  it('a pending token is refused; its creator cannot approve it; another admin can', async () => {
    const created = await create('44');
    const { id, token } = created.json as { id: string; token: string };
    const client = new Client(server.baseUrl);
    client.bearer = token;
    expectProblem(await client.get('/api/v1/cases'), 401);
    expect(rejections(id)).toEqual(['unapproved']);

    const own = await admins['44']!.creator.post(`${TOKENS}/${id}/approve`);
    const missing = await admins['44']!.creator.post(`${TOKENS}/${crypto.randomUUID()}/approve`);
    expect(own.status).toBe(404);
    expect(own.text).toBe(missing.text);
    expectProblem(await client.get('/api/v1/cases'), 401);

    const approved = await admins['44']!.second.post(`${TOKENS}/${id}/approve`);
    expect(approved.json).toMatchObject({ status: 'active', approvedBy: expect.any(String) });
    expect((await client.get('/api/v1/cases')).status).toBe(200);
    const again = await admins['44']!.second.post(`${TOKENS}/${id}/approve`);
    expect(problemSlug(again)).toBe('token-not-pending');
  });
});

describe('what a token may do', () => {
  it('reads statuses and decisions of its département, not the free text, documents or exchanges', async () => {
    const { client } = await issue();
    const c = caseOf('44');
    const res = await client.get(`/api/v1/cases/${c.id}`);
    expect(res.status).toBe(200);
    const detail = res.json as { summary: unknown; rights: Array<{ decisionReason: unknown }> };
    expect(detail.summary).toBeNull();
    expect(detail.rights.every((r) => r.decisionReason === null)).toBe(true);
    expect(res.text).not.toContain(c.summary!);
    // A person of the département still sees it, so the null above is the token's view.
    const responsable = await new Client(server.baseUrl).login(server.account('responsable'));
    const full = await responsable.get(`/api/v1/cases/${c.id}`);
    expect((full.json as { summary: unknown }).summary).toBe(c.summary);

    for (const url of ['documents', 'messages', 'notes']) {
      expectProblem(await client.get(`/api/v1/cases/${c.id}/${url}`), 403, url);
    }
    const doc = world.documents.find((d) => d.case_id === c.id)!;
    expectProblem(await client.get(`/api/v1/documents/${doc.id}/content`), 403);
  });

  it('gets 403 for an action its token does not hold, and on routes for people', async () => {
    const { client } = await issue('44', { permissions: ['case.list'] });
    expect((await client.get('/api/v1/cases')).status).toBe(200);
    expectProblem(await client.get(`/api/v1/cases/${caseOf('44').id}`), 403);
    expectProblem(await client.get('/api/v1/me'), 403);
    // A server-to-server write without Origin passes the same-origin check and meets the gate.
    const logout = await client.post('/api/v1/auth/logout');
    expectProblem(logout, 403);
    expect(problemSlug(logout)).toBe('forbidden');
    expectProblem(
      await client.post('/api/v1/cases', {
        json: { personId: caseOf('44').person_id, rights: ['AAH'] },
      }),
      403,
    );
  });

  it('answers a case of another département exactly like a missing one, and lists none', async () => {
    const { client } = await issue('44');
    const foreign = caseOf('85');
    const res = await client.get(`/api/v1/cases/${foreign.id}`);
    const missing = await client.get(`/api/v1/cases/${crypto.randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.text).toBe(missing.text);
    const list = await client.get('/api/v1/cases?limit=200');
    const tenant44 = world.tenants.find((t) => t.code === '44')!.id;
    const ids = (list.json as { items: Array<{ id: string }> }).items.map((i) => i.id).sort();
    // Every submitted case of its département but the decoy, which no listing shows: a draft
    // reaches no agent and no integration before it is submitted.
    expect(ids).toEqual(
      world.cases
        .filter(
          (x) =>
            x.tenant_id === tenant44 &&
            x.status !== 'brouillon' &&
            !world.decoys.some((d) => d.case_id === x.id),
        )
        .map((x) => x.id)
        .sort(),
    );
  });

  it('is managed only within its département: a foreign admin’s revoke answers like a missing one', async () => {
    const { id, client } = await issue('44');
    const foreign = await admins['85']!.creator.delete(`${TOKENS}/${id}`);
    const missing = await admins['85']!.creator.delete(`${TOKENS}/${crypto.randomUUID()}`);
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(missing.text);
    expect((await admins['85']!.second.post(`${TOKENS}/${id}/approve`)).text).toBe(missing.text);
    expect((await admins['85']!.creator.get(TOKENS)).text).not.toContain(id);
    expect((await client.get('/api/v1/cases')).status).toBe(200);
  });

  it('refuses a bearer token together with a session cookie (400)', async () => {
    const { token } = await issue();
    const both = await admins['44']!.creator.get('/api/v1/cases', {
      headers: { authorization: `Bearer ${token}` },
    });
    expectProblem(both, 400);
    expect(problemSlug(both)).toBe('ambiguous-credentials');
    // Even where the cookie alone would be enough.
    const me = await admins['44']!.creator.get('/api/v1/me', {
      headers: { authorization: `Bearer ${token}` },
    });
    expectProblem(me, 400);
  });

  it('records its use at most once a minute', async () => {
    const { id, client } = await issue();
    await client.get('/api/v1/cases');
    const first = tokenRow(id).last_used_at;
    expect(first).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client.get('/api/v1/cases');
    expect(tokenRow(id).last_used_at).toBe(first);
    const events = queryDb<{ token_id: string | null; account_id: string | null }>(
      server.dbFile,
      "select token_id, account_id from security_events where kind = 'access.forbidden' and token_id = ?",
      id,
    );
    expect(events).toEqual([]);
    // What it is refused is recorded against the token, not against a person.
    await client.get('/api/v1/me');
    expect(
      queryDb(
        server.dbFile,
        "select account_id from security_events where kind = 'access.forbidden' and token_id = ?",
        id,
      ),
    ).toEqual([{ account_id: null }]);
  });
});

describe('binding to address ranges', () => {
  it('a token bound to 10.0.0.0/8 is refused from 127.0.0.1; bound to 127.0.0.0/8 it works', async () => {
    const far = await issue('44', { allowedRanges: ['10.0.0.0/8', '2001:db8::/32'] });
    expectProblem(await far.client.get('/api/v1/cases'), 401);
    expect(rejections(far.id)).toEqual(['address-out-of-range']);
    const near = await issue('44', { allowedRanges: ['10.0.0.0/8', '127.0.0.0/8'] });
    expect((await near.client.get('/api/v1/cases')).status).toBe(200);
  });
});

describe('revocation', () => {
  it('takes effect on the very next request', async () => {
    const { id, client } = await issue();
    expect((await client.get('/api/v1/cases')).status).toBe(200);
    // Any admin of the département may revoke, the second one included.
    expect((await admins['44']!.second.delete(`${TOKENS}/${id}`)).status).toBe(204);
    expectProblem(await client.get('/api/v1/cases'), 401);
    expect(rejections(id)).toEqual(['revoked']);
    expect(tokenRow(id)).toMatchObject({ revoked_reason: 'revoked' });
    // Revoking twice changes nothing.
    const revokedAt = tokenRow(id).revoked_at;
    expect((await admins['44']!.creator.delete(`${TOKENS}/${id}`)).status).toBe(204);
    expect(tokenRow(id).revoked_at).toBe(revokedAt);
  });

  it('dies with its creator: disabled by another admin, the next request gets 401', async () => {
    const { id, client } = await issue('85');
    expect((await client.get('/api/v1/cases')).status).toBe(200);
    const creator = server.account('admin', '85');
    // Disabling an admin takes a third admin's approval, and two must remain: a third first.
    const third = await promoteToAdmin(
      server,
      admins['85']!.creator,
      admins['85']!.second,
      'cdaph',
      '85',
    );
    const asked = await admins['85']!.second.post(`/api/v1/accounts/${creator.id}/disable`);
    const { requestId } = asked.json as { requestId: string };
    expect((await client.get('/api/v1/cases')).status).toBe(200);
    expect((await third.post(`/api/v1/staff-requests/${requestId}/approve`)).status).toBe(200);
    expectProblem(await client.get('/api/v1/cases'), 401);
    expect(tokenRow(id)).toMatchObject({ revoked_reason: 'creator-credentials-ended' });
    expect(rejections(id)).toEqual(['revoked']);
  });

  it('works only while its creator is an admin of its département, whatever changed the role', async () => {
    const { id, client } = await issue('44');
    const creator = server.account('admin', '44');
    // Behind the API's back, as a database administrator could: the check at use still holds.
    writeDb(server.dbFile, "update accounts set role = 'responsable' where id = ?", creator.id);
    try {
      expectProblem(await client.get('/api/v1/cases'), 401);
      expect(rejections(id)).toEqual(['creator-inactive']);
    } finally {
      writeDb(server.dbFile, "update accounts set role = 'admin' where id = ?", creator.id);
    }
    expect((await client.get('/api/v1/cases')).status).toBe(200);
  });

  it('is revoked when its creator’s sessions are ended: a stolen session’s token goes too', async () => {
    const { id, client } = await issue('44');
    const creator = server.account('admin', '44');
    expect(
      (await admins['44']!.second.delete(`/api/v1/accounts/${creator.id}/sessions`)).status,
    ).toBe(204);
    expectProblem(await client.get('/api/v1/cases'), 401);
    expect(tokenRow(id)).toMatchObject({ revoked_reason: 'creator-credentials-ended' });
    admins['44']!.creator = await new Client(server.baseUrl).login(creator);
  });
});

describe('expiry', () => {
  it('works until it expires; after, even on a restarted server, it is refused', async () => {
    const { id, token } = await issue('44', {
      expiresAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
    });
    const dataDir = server.dataDir;
    await server.stop();
    server = await startServer({ dataDir, env: { CLOISON_CLOCK_OFFSET: '1h', NODE_ENV: 'test' } });
    const client = new Client(server.baseUrl);
    client.bearer = token;
    expect((await client.get('/api/v1/cases')).status).toBe(200);
    await server.stop();
    server = await startServer({ dataDir, env: { CLOISON_CLOCK_OFFSET: '3h', NODE_ENV: 'test' } });
    const later = new Client(server.baseUrl);
    later.bearer = token;
    expectProblem(await later.get('/api/v1/cases'), 401);
    expect(rejections(id)).toEqual(['expired']);
    const admin = await new Client(server.baseUrl).login(server.account('admin-2', '44'));
    const listed = (await admin.get(TOKENS)).json as {
      items: Array<{ id: string; status: string }>;
    };
    expect(listed.items.find((t) => t.id === id)?.status).toBe('expired');
  });
});

describe('a token whose creator is an admin only for a while', () => {
  it('stops at the end of the creator’s admin role, before any job runs', async () => {
    // A server of its own: earlier tests disabled or demoted this one's admins.
    const own = await startServer();
    try {
      const creator = await new Client(own.baseUrl).login(own.account('admin'));
      const second = await new Client(own.baseUrl).login(own.account('admin-2'));
      const created = await creator.post(TOKENS, {
        json: { name: 'SI PCH', permissions: ['case.list'], expiresAt: inDays(30) },
      });
      const { id, token } = created.json as { id: string; token: string };
      expect((await second.post(`${TOKENS}/${id}/approve`)).status).toBe(200);
      const client = new Client(own.baseUrl);
      client.bearer = token;
      expect((await client.get('/api/v1/cases')).status).toBe(200);
      // The creator's admin role was temporary and has just ended; no job has removed it yet.
      writeDb(
        own.dbFile,
        'update accounts set role_expires_at = ? where id = ?',
        new Date(Date.now() - 1000).toISOString(),
        own.account('admin').id,
      );
      expect((await client.get('/api/v1/cases')).status).toBe(401);
    } finally {
      await stopAndRemove(own);
    }
  });
});
