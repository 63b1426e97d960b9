import { afterAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { SoftAuthenticator, originOf } from './support/authenticator.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { eventually, stopAndRemove } from './support/storage.js';

/**
 * The limits around credentials hold against the ways they get attacked in practice: guesses sent
 * in parallel, guessing that goes on for days, and a hijacked session whose owner's password was
 * phished.
 */

let server: RunningServer | undefined;
let mailbox: Mailbox | undefined;
afterAll(async () => {
  await stopAndRemove(server);
  await mailbox?.close();
});

async function restart(env: Record<string, string>): Promise<RunningServer> {
  const dataDir = server!.dataDir;
  await server!.stop();
  server = await startServer({ dataDir, env: { NODE_ENV: 'test', ...env } });
  return server;
}

const LOGIN = '/api/v1/auth/login';

describe('the per-account lock', () => {
  it('holds against guesses sent all at once: at most 10 are ever checked', async () => {
    server = await startServer();
    const s = server;
    const account = s.account('usager-2');
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        new Client(s.baseUrl).post(LOGIN, {
          json: { email: account.email, password: `wrong-password-${i}-xyz` },
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((x) => x === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(30);
    expect(statuses.every((x) => x === 401 || x === 429)).toBe(true);
  });

  it('lasts twice as long each time it is hit again without a success in between', async () => {
    const account = server!.account('usager-2');
    const lockOf = (s: RunningServer) =>
      queryDb<{ locked_until: string; lock_count: number }>(
        s.dbFile,
        'select locked_until, lock_count from login_throttle where locked_until is not null',
      );
    const first = lockOf(server!);
    expect(first).toHaveLength(1);
    expect(first[0]!.lock_count).toBe(1);
    // 16 minutes later the first lock (15 min) is over; ten more wrong guesses lock for 30.
    const s = await restart({ CLOISON_CLOCK_OFFSET: '16m' });
    for (let i = 0; i < 10; i += 1) {
      const res = await new Client(s.baseUrl).post(LOGIN, {
        json: { email: account.email, password: `still-wrong-${i}-xyz` },
      });
      expect(res.status).toBe(401);
    }
    const second = lockOf(s)[0]!;
    expect(second.lock_count).toBe(2);
    const minutes = (Date.parse(second.locked_until) - (Date.now() + 16 * 60_000)) / 60_000;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThanOrEqual(30);
    expect(
      (
        await new Client(s.baseUrl).post(LOGIN, {
          json: { email: account.email, password: account.password },
        })
      ).status,
    ).toBe(429);
  });
});

describe('changing credentials on a session signed in a while ago', () => {
  it('needs the second factor again (step-up), not only the password', async () => {
    mailbox = await startMailbox();
    await stopAndRemove(server);
    server = await startServer({ env: { CLOISON_SMTP_URL: mailbox.url } });
    const account = server.account('responsable');
    const client = await new Client(server.baseUrl).login(account);
    // Fresh after the login: adding a passkey works with the password.
    const key = new SoftAuthenticator(originOf(server.baseUrl));
    const options = await client.post('/api/v1/me/passkeys/options', {
      json: { currentPassword: account.password },
    });
    expect(options.status).toBe(200);
    const added = await client.post('/api/v1/me/passkeys', {
      json: {
        name: 'Clé du bureau',
        credential: key.register((options.json as { publicKey: never }).publicKey),
      },
    });
    expect(added.status).toBe(201);
    const told = (what: string) =>
      eventually(() => mailbox!.to(account.email).some((m) => m.text.includes(what)));
    expect(await told('clé d’accès a été ajoutée')).toBe(true);

    // Eleven minutes later, same session (still within the 30-minute idle limit).
    const cookie = client.sessionCookie;
    const s = await restart({ CLOISON_SMTP_URL: mailbox.url, CLOISON_CLOCK_OFFSET: '11m' });
    const later = new Client(s.baseUrl);
    later.sessionCookie = cookie;
    const stale = await later.post('/api/v1/me/recovery-codes', {
      json: { currentPassword: account.password },
    });
    expect(stale.status).toBe(403);
    expect((stale.json as { type: string }).type).toBe(
      'urn:cloison:problem:recent-second-factor-required',
    );
    const address = await later.post('/api/v1/me/email', {
      json: { currentPassword: account.password, newEmail: 'ailleurs@exemple.fr' },
    });
    expect((address.json as { type: string }).type).toBe(
      'urn:cloison:problem:recent-second-factor-required',
    );
    expect(
      (
        await later.post('/api/v1/me/password', {
          json: { currentPassword: account.password, newPassword: 'une toute nouvelle phrase' },
        })
      ).status,
    ).toBe(403);
    // Every other credential change asks the same (one re-authentication for all of them).
    const passkeyId = (added.json as { id: string }).id;
    for (const [url, json] of [
      ['/api/v1/me/second-factors/totp', {}],
      ['/api/v1/me/second-factors/totp/removal', {}],
      ['/api/v1/me/passkeys/options', {}],
      ['/api/v1/me/passkeys/removal', { passkeyId }],
    ] as const) {
      const res = await later.post(url, { json: { currentPassword: account.password, ...json } });
      expect(res.status, url).toBe(403);
      expect((res.json as { type: string }).type, url).toBe(
        'urn:cloison:problem:recent-second-factor-required',
      );
    }

    // Step-up with the passkey: a new session id, and the change goes through.
    const challenge = await later.post('/api/v1/auth/second-factor/passkey/options');
    expect(challenge.status).toBe(200);
    const proved = await later.post('/api/v1/auth/second-factor/passkey', {
      json: {
        credential: key.assert((challenge.json as { publicKey: { challenge: string } }).publicKey, {
          origin: originOf(s.baseUrl),
        }),
      },
    });
    expect(proved.status, proved.text).toBe(204);
    expect(later.sessionCookie).not.toBe(cookie);

    // Another session of the same person, to see it end when codes are renewed.
    const elsewhere = await new Client(s.baseUrl).login(account);
    const renewed = await later.post('/api/v1/me/recovery-codes', {
      json: { currentPassword: account.password },
    });
    expect(renewed.status, renewed.text).toBe(200);
    expect((await elsewhere.get('/api/v1/me')).status).toBe(401);
    expect((await later.get('/api/v1/me')).status).toBe(200);
    expect(await told('codes de secours')).toBe(true);
  });
});
