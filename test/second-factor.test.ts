import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { totpNow } from './harness/second-factor.js';
import { queryDb } from './harness/world.js';
import { SoftAuthenticator, originOf } from './support/authenticator.js';
import { readDataFiles, stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

/**
 * THREATS.md T5, issue 4 item 2: staff cannot read anything before a second factor (TOTP or a
 * passkey), codes work once, recovery codes work once, changing factors asks for the password,
 * and proving the factor gives the session a new id.
 */

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => stopAndRemove(server));

const MFA_REQUIRED = 'urn:cloison:problem:mfa-required';
const BAD_FACTOR = 'urn:cloison:problem:bad-second-factor';
const typeOf = (res: { json: unknown }) => (res.json as { type?: string } | undefined)?.type;

function events(kind: string, accountId: string): number {
  return queryDb<{ n: number }>(
    server.dbFile,
    'select count(*) as n from security_events where kind = ? and (account_id = ? or object_id = ?)',
    kind,
    accountId,
    accountId,
  )[0]!.n;
}

/** Removes every factor of an account, as for a staff member who just activated theirs. */
function withoutFactors(accountId: string): void {
  writeDb(server.dbFile, 'delete from totp_credentials where account_id = ?', accountId);
  writeDb(server.dbFile, 'delete from passkeys where account_id = ?', accountId);
  writeDb(server.dbFile, 'delete from recovery_codes where account_id = ?', accountId);
  writeDb(server.dbFile, 'update accounts set mfa_enrolled_at = null where id = ?', accountId);
}

describe('a staff session before its second factor', () => {
  it('reads nothing, learns nothing of its role, and cannot add a factor of its own', async () => {
    const account = server.account('instructeur');
    const client = new Client(server.baseUrl);
    expect(await client.loginFirstFactor(account)).toBe('second-factor');

    const cases = await client.get('/api/v1/cases');
    expect(cases.status).toBe(403);
    expect(typeOf(cases)).toBe(MFA_REQUIRED);
    expect((cases.json as { next?: string }).next).toBe('second-factor');
    // Not even a route its role could never use says "forbidden for your role".
    expect(typeOf(await client.get('/api/v1/staff'))).toBe(MFA_REQUIRED);
    // A stolen password must not be able to register the thief's own authenticator.
    const enrol = await client.post('/api/v1/me/passkeys/options', {
      json: { currentPassword: account.password },
    });
    expect(typeOf(enrol)).toBe(MFA_REQUIRED);
    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    // Who it is, not what it may do: no role, no département until the factor is proven.
    expect(me.json).toMatchObject({
      id: account.id,
      secondFactor: 'second-factor',
      role: null,
      tenantId: null,
    });
    expect(typeOf(await client.get('/api/v1/me/identities'))).toBe(MFA_REQUIRED);
    expect(events('access.second-factor-required', account.id)).toBeGreaterThanOrEqual(3);
    // Logging out needs nothing more.
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204);
  });

  it('is complete after a TOTP code, under a new session id; the old id is dead', async () => {
    const account = server.account('instructeur-sud');
    const client = new Client(server.baseUrl);
    await client.loginFirstFactor(account);
    const before = client.sessionCookie;
    const wrong = await client.post('/api/v1/auth/second-factor/totp', {
      json: { code: totpNow(server.baseUrl, account.totpSecret!, 5 * 60_000) },
    });
    expect(wrong.status).toBe(401);
    expect(typeOf(wrong)).toBe(BAD_FACTOR);
    const ok = await client.post('/api/v1/auth/second-factor/totp', {
      json: { code: totpNow(server.baseUrl, account.totpSecret!) },
    });
    expect(ok.status, ok.text).toBe(204);
    expect(client.sessionCookie).not.toBe(before);
    expect((await client.get('/api/v1/cases')).status).toBe(200);
    const stale = new Client(server.baseUrl);
    stale.sessionCookie = before;
    expect((await stale.get('/api/v1/me')).status).toBe(401);
  });

  it('accepts each TOTP code once, even from another session', async () => {
    const account = server.account('evaluateur');
    // The next time step's code (accepted for clock drift), so no earlier sign-in has spent it.
    const code = totpNow(server.baseUrl, account.totpSecret!, 30_000);
    const first = new Client(server.baseUrl);
    await first.loginFirstFactor(account);
    const ok = await first.post('/api/v1/auth/second-factor/totp', { json: { code } });
    expect(ok.status).toBe(204);
    const second = new Client(server.baseUrl);
    await second.loginFirstFactor(account);
    const replay = await second.post('/api/v1/auth/second-factor/totp', { json: { code } });
    expect(replay.status).toBe(401);
    expect(typeOf(replay)).toBe(BAD_FACTOR);
    expect(typeOf(await second.get('/api/v1/cases'))).toBe(MFA_REQUIRED);
    expect(events('second-factor.replayed', account.id)).toBe(1);
  });

  it('locks the second factor after 10 wrong codes, whatever the session', async () => {
    const account = server.account('cdaph');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const client = new Client(server.baseUrl);
      await client.loginFirstFactor(account);
      const res = await client.post('/api/v1/auth/second-factor/totp', {
        json: { code: String(100000 + i) },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Locked means locked: the right code does not get through either.
    const client = new Client(server.baseUrl);
    await client.loginFirstFactor(account);
    const right = await client.post('/api/v1/auth/second-factor/totp', {
      json: { code: totpNow(server.baseUrl, account.totpSecret!) },
    });
    expect(right.status).toBe(429);
  });
});

describe('enrolling a second factor', () => {
  it('a staff account without one must enrol before anything else: TOTP then recovery codes', async () => {
    const account = server.account('accueil', '85');
    withoutFactors(account.id);
    const client = new Client(server.baseUrl);
    expect(await client.loginFirstFactor(account)).toBe('enroll');
    const cases = await client.get('/api/v1/cases');
    expect(typeOf(cases)).toBe(MFA_REQUIRED);
    expect((cases.json as { next?: string }).next).toBe('enroll');
    expect(typeOf(await client.post('/api/v1/auth/second-factor/passkey/options'))).toBe(
      MFA_REQUIRED,
    );

    // Re-authentication: a wrong password starts nothing.
    const wrongPassword = await client.post('/api/v1/me/second-factors/totp', {
      json: { currentPassword: 'not-the-password-123' },
    });
    expect(wrongPassword.status).toBe(401);
    const start = await client.post('/api/v1/me/second-factors/totp', {
      json: { currentPassword: account.password },
    });
    expect(start.status).toBe(200);
    const { secret, uri } = start.json as { secret: string; uri: string };
    expect(uri).toMatch(/^otpauth:\/\/totp\/Cloison:/);
    // Not usable before confirmation: the login still asks for enrolment.
    expect(typeOf(await client.get('/api/v1/cases'))).toBe(MFA_REQUIRED);

    const before = client.sessionCookie;
    const bad = await client.post('/api/v1/me/second-factors/totp/confirm', {
      json: { code: totpNow(server.baseUrl, secret, 10 * 60_000) },
    });
    expect(bad.status).toBe(401);
    const confirmed = await client.post('/api/v1/me/second-factors/totp/confirm', {
      json: { code: totpNow(server.baseUrl, secret) },
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    const codes = (confirmed.json as { recoveryCodes: string[] }).recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(client.sessionCookie).not.toBe(before);
    expect((await client.get('/api/v1/cases')).status).toBe(200);

    // The secret and the codes exist nowhere on disk in clear.
    const raw = Buffer.from(
      secret.replace(/=+$/, ''),
      'utf8', // base32 text as typed
    );
    for (const { file: f, bytes } of readDataFiles(server.dataDir)) {
      if (f === 'demo-accounts.json') continue;
      expect(bytes.includes(raw), `TOTP secret in ${f}`).toBe(false);
      for (const c of codes) expect(bytes.includes(c), `recovery code in ${f}`).toBe(false);
    }

    // Next login: the TOTP is now due; a recovery code works once instead of it.
    const later = new Client(server.baseUrl);
    expect(await later.loginFirstFactor(account)).toBe('second-factor');
    const recovered = await later.post('/api/v1/auth/second-factor/recovery-code', {
      json: { code: codes[0]!.toLowerCase() },
    });
    expect(recovered.status, recovered.text).toBe(200);
    expect(recovered.json).toEqual({ recoveryCodesLeft: 9 });
    expect((await later.get('/api/v1/cases')).status).toBe(200);
    const again = new Client(server.baseUrl);
    await again.loginFirstFactor(account);
    const reused = await again.post('/api/v1/auth/second-factor/recovery-code', {
      json: { code: codes[0]! },
    });
    expect(reused.status).toBe(401);

    // Staff keep at least one factor.
    const removal = await later.post('/api/v1/me/second-factors/totp/removal', {
      json: { currentPassword: account.password },
    });
    expect(removal.status).toBe(409);
    expect(typeOf(removal)).toBe('urn:cloison:problem:last-second-factor');
  });

  it('the operator enrols a passkey (no TOTP without a tenant key to seal it)', async () => {
    const account = server.account('operateur', null);
    const client = new Client(server.baseUrl);
    expect(await client.loginFirstFactor(account)).toBe('enroll');
    const totp = await client.post('/api/v1/me/second-factors/totp', {
      json: { currentPassword: account.password },
    });
    expect(typeOf(totp)).toBe('urn:cloison:problem:totp-unavailable');
    const options = await client.post('/api/v1/me/passkeys/options', {
      json: { currentPassword: account.password },
    });
    const key = new SoftAuthenticator(originOf(server.baseUrl));
    const publicKey = (options.json as { publicKey: { challenge: string; rp: { id: string } } })
      .publicKey;
    expect(publicKey.rp.id).toBe('localhost');
    const res = await client.post('/api/v1/me/passkeys', {
      json: { name: 'Clé USB', credential: key.register(publicKey) },
    });
    expect(res.status, res.text).toBe(201);
    expect((res.json as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
    const me = await client.get('/api/v1/me');
    expect((me.json as { secondFactor: string }).secondFactor).toBe('done');
  });
});

describe('passkeys', () => {
  async function enrolled(label: string) {
    const account = server.account(label);
    const client = await new Client(server.baseUrl).login(account);
    const options = await client.post('/api/v1/me/passkeys/options', {
      json: { currentPassword: account.password },
    });
    const key = new SoftAuthenticator(originOf(server.baseUrl));
    const res = await client.post('/api/v1/me/passkeys', {
      json: {
        name: 'Téléphone',
        credential: key.register((options.json as { publicKey: never }).publicKey),
      },
    });
    expect(res.status, res.text).toBe(201);
    return { account, key };
  }

  async function challenge(client: Client) {
    const res = await client.post('/api/v1/auth/second-factor/passkey/options');
    expect(res.status).toBe(200);
    return (res.json as { publicKey: { challenge: string; rpId?: string } }).publicKey;
  }

  it('signs in with a registered passkey; a wrong origin, a replay or a cloned counter fail', async () => {
    const { account, key } = await enrolled('responsable');

    const phished = new Client(server.baseUrl);
    await phished.loginFirstFactor(account);
    const fromElsewhere = await phished.post('/api/v1/auth/second-factor/passkey', {
      json: {
        credential: key.assert(await challenge(phished), { origin: 'https://mdph-44.example' }),
      },
    });
    expect(fromElsewhere.status).toBe(401);

    const client = new Client(server.baseUrl);
    await client.loginFirstFactor(account);
    const options = await challenge(client);
    const assertion = key.assert(options);
    const ok = await client.post('/api/v1/auth/second-factor/passkey', {
      json: { credential: assertion },
    });
    expect(ok.status, ok.text).toBe(204);
    expect((await client.get('/api/v1/cases')).status).toBe(200);

    // The same assertion again, in another session: its challenge is spent.
    const replay = new Client(server.baseUrl);
    await replay.loginFirstFactor(account);
    await challenge(replay);
    const replayed = await replay.post('/api/v1/auth/second-factor/passkey', {
      json: { credential: assertion },
    });
    expect(replayed.status).toBe(401);

    // A copy of the authenticator whose counter lags behind is a clone.
    const clone = new Client(server.baseUrl);
    await clone.loginFirstFactor(account);
    const cloned = await clone.post('/api/v1/auth/second-factor/passkey', {
      json: { credential: key.assert(await challenge(clone), { counter: 1 }) },
    });
    expect(cloned.status).toBe(401);
    expect(typeOf(await clone.get('/api/v1/cases'))).toBe(MFA_REQUIRED);
  });

  it('removing a passkey asks for the password and only ever touches one’s own', async () => {
    const { account, key } = await enrolled('dpo');
    const client = await new Client(server.baseUrl).login(account);
    const wrong = await client.post('/api/v1/me/passkeys/removal', {
      json: { passkeyId: key.id, currentPassword: 'not-the-password-123' },
    });
    expect(wrong.status).toBe(401);
    const other = await new Client(server.baseUrl).login(server.account('admin'));
    const foreign = await other.post('/api/v1/me/passkeys/removal', {
      json: { passkeyId: key.id, currentPassword: server.account('admin').password },
    });
    expect(foreign.status).toBe(404);
    const listed = await client.get('/api/v1/me/second-factors');
    expect(
      (listed.json as { passkeys: Array<{ id: string }> }).passkeys.map((p) => p.id),
    ).toContain(key.id);
    const removed = await client.post('/api/v1/me/passkeys/removal', {
      json: { passkeyId: key.id, currentPassword: account.password },
    });
    expect(removed.status).toBe(204);
    expect(queryDb(server.dbFile, 'select id from passkeys where id = ?', key.id)).toHaveLength(0);
  });
});

describe('usagers', () => {
  it('may add a second factor; from then on their login asks for it', async () => {
    const account = server.account('usager');
    const client = await new Client(server.baseUrl).login(account);
    const factors = await client.get('/api/v1/me/second-factors');
    expect(factors.json).toMatchObject({ required: false, totp: 'none', passkeys: [] });
    const start = await client.post('/api/v1/me/second-factors/totp', {
      json: { currentPassword: account.password },
    });
    const { secret } = start.json as { secret: string };
    const confirmed = await client.post('/api/v1/me/second-factors/totp/confirm', {
      json: { code: totpNow(server.baseUrl, secret) },
    });
    expect(confirmed.status).toBe(200);

    const next = new Client(server.baseUrl);
    expect(await next.loginFirstFactor(account)).toBe('second-factor');
    expect(typeOf(await next.get('/api/v1/cases'))).toBe(MFA_REQUIRED);
    // Usagers may remove their only factor (it is optional for them), with their password.
    const removal = await client.post('/api/v1/me/second-factors/totp/removal', {
      json: { currentPassword: account.password },
    });
    expect(removal.status).toBe(204);
    expect(await new Client(server.baseUrl).loginFirstFactor(account)).toBe('done');
  });
});

describe('concurrent staff sessions', () => {
  it('are recorded as a signal when the same account is live on two devices', async () => {
    const account = server.account('responsable', '85');
    const before = events('session.concurrent', account.id);
    const office = new Client(server.baseUrl);
    await office.login(account);
    expect(events('session.concurrent', account.id)).toBe(before);
    const elsewhere = new Client(server.baseUrl);
    const original = elsewhere.request.bind(elsewhere);
    elsewhere.request = (method, url, options = {}) =>
      original(method, url, {
        ...options,
        headers: { ...options.headers, 'user-agent': 'Another browser/1.0' },
      });
    await elsewhere.login(account);
    expect(events('session.concurrent', account.id)).toBe(before + 1);
  });
});
