import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type DemoAccount, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { Browser, startTestProvider, type TestProvider } from './support/oidc-provider.js';
import { expectProblem, problemSlug } from './support/problem.js';
import { stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';
import { loadConfig } from '../src/config.js';

/**
 * Issue 4 item 7: signing in with FranceConnect (usagers) and ProConnect (staff), against a real
 * OpenID Provider on 127.0.0.1 playing both. The provider's login screen accepts any login: the
 * login typed is the `sub`, whose claims the test sets in `op.subjects`.
 */

const SESSION = '__Host-cloison_session';
const BINDING = '__Host-cloison_oidc';
const FC = 'franceconnect';
const PC = 'proconnect';
type ProviderName = typeof FC | typeof PC;

let op: TestProvider;
let server: RunningServer;
/** The origin the server builds its redirect URI from (http://localhost:<port>). */
let publicOrigin: string;

beforeAll(async () => {
  op = await startTestProvider();
  server = await startServer({
    env: {
      CLOISON_OIDC_FRANCECONNECT_ISSUER: op.issuer,
      CLOISON_OIDC_FRANCECONNECT_CLIENT_ID: 'cloison-fc',
      CLOISON_OIDC_FRANCECONNECT_CLIENT_SECRET: 'fc-secret-for-tests-only-0123456789',
      CLOISON_OIDC_PROCONNECT_ISSUER: op.issuer,
      CLOISON_OIDC_PROCONNECT_CLIENT_ID: 'cloison-pc',
      CLOISON_OIDC_PROCONNECT_CLIENT_SECRET: 'pc-secret-for-tests-only-0123456789',
    },
  });
  publicOrigin = `http://localhost:${new URL(server.baseUrl).port}`;
  op.configure([
    {
      clientId: 'cloison-fc',
      clientSecret: 'fc-secret-for-tests-only-0123456789',
      redirectUri: `${publicOrigin}/api/v1/auth/oidc/${FC}/callback`,
    },
    {
      clientId: 'cloison-pc',
      clientSecret: 'pc-secret-for-tests-only-0123456789',
      redirectUri: `${publicOrigin}/api/v1/auth/oidc/${PC}/callback`,
    },
  ]);
});
afterAll(async () => {
  await stopAndRemove(server);
  await op?.close();
});

const url = (path: string) => `${server.baseUrl}${path}`;

/** An FC identity with everything a sign-up needs, under an e-mail nobody uses. */
function fcSubject(sub: string, over: Record<string, unknown> = {}) {
  op.subjects.set(sub, {
    email: `${sub}@usager.example`,
    email_verified: true,
    given_name: 'Léa',
    family_name: `Fédérée-${sub}`,
    birthdate: '1990-05-17',
    ...over,
  });
}

/** Start → provider → the callback URL the provider sends back to (not visited yet). */
async function toCallback(browser: Browser, provider: ProviderName, sub: string, query = '') {
  const start = await browser.get(url(`/api/v1/auth/oidc/${provider}/start${query}`));
  expect(start.status, start.text).toBe(303);
  expect(start.location).toMatch(new RegExp(`^${op.issuer}/`));
  return browser.proveIdentity(start.location!, sub, publicOrigin);
}

/** A whole sign-in; returns the callback's answer (a 303 back to the web UI). */
async function signInWith(browser: Browser, provider: ProviderName, sub: string, query = '') {
  return browser.get(await toCallback(browser, provider, sub, query));
}

/** A browser holding a password session of the account (opened by Client.login). */
async function signedInBrowser(account: DemoAccount): Promise<Browser> {
  const client = await new Client(server.baseUrl).login(account);
  const browser = new Browser();
  browser.setCookie(server.baseUrl, SESSION, client.sessionCookie!.split('=').slice(1).join('='));
  return browser;
}

/** Links `sub` at `provider` to the signed-in account of `browser`; returns the callback's answer. */
async function link(browser: Browser, account: DemoAccount, provider: ProviderName, sub: string) {
  const started = await browser.request('POST', url(`/api/v1/me/identities/${provider}`), {
    json: { currentPassword: account.password },
  });
  expect(started.status, started.text).toBe(200);
  const authorizationUrl = (started.json as { authorizationUrl: string }).authorizationUrl;
  return browser.get(await browser.proveIdentity(authorizationUrl, sub, publicOrigin));
}

async function me(browser: Browser) {
  return browser.get(url('/api/v1/me'));
}

/** The `oidc.refused` events so far; each refusal must add exactly one. */
let refusalsSeen = 0;

function newRefusal(): { provider: string; reason: string } {
  const rows = queryDb<{ detail: string }>(
    server.dbFile,
    "select detail from security_events where kind = 'oidc.refused' order by id",
  );
  expect(rows.length).toBe(refusalsSeen + 1);
  refusalsSeen = rows.length;
  return JSON.parse(rows.at(-1)!.detail) as { provider: string; reason: string };
}

function count(sql: string, ...params: unknown[]): number {
  return queryDb<{ n: number }>(server.dbFile, sql, ...params)[0]!.n;
}

function identitiesOf(accountId: string): string[] {
  return queryDb<{ provider: string }>(
    server.dbFile,
    'select provider from account_identities where account_id = ?',
    accountId,
  ).map((r) => r.provider);
}

/** A refused callback: back to the web UI with a reason, no session, and an event saying why. */
function expectRefused(
  res: Awaited<ReturnType<Browser['get']>>,
  reason: string,
  purpose: 'login' | 'link' = 'login',
) {
  expect(res.status, res.text).toBe(303);
  expect(res.location).toBe(url(`/?${purpose}=failed&reason=${reason}`));
  expect(res.headers.getSetCookie().filter((c) => c.startsWith(`${SESSION}=`))).toEqual([]);
  expect(newRefusal().reason).toBe(reason);
}

describe('signing up and in with FranceConnect', () => {
  it('offers the configured providers to the sign-in page', async () => {
    const res = await new Browser().get(url('/api/v1/auth/oidc/providers'));
    expect(res.json).toEqual({
      items: [
        { name: FC, label: 'FranceConnect', accountKind: 'usager', signup: true },
        { name: PC, label: 'ProConnect', accountKind: 'staff', signup: false },
      ],
    });
  });

  it('?signup=44 creates a usager of the département and signs in; the next sign-in finds the link', async () => {
    fcSubject('fc-new');
    const accountsBefore = count('select count(*) as n from accounts');
    const browser = new Browser();
    const res = await signInWith(browser, FC, 'fc-new', '?signup=44');
    expect(res.status, res.text).toBe(303);
    expect(res.location).toBe(url('/?login=done'));
    expect(browser.cookie(server.baseUrl, BINDING)).toBeUndefined();
    const who = (await me(browser)).json as {
      id: string;
      kind: string;
      email: string;
      tenantId: string;
    };
    expect(who).toMatchObject({ kind: 'usager', email: 'fc-new@usager.example' });
    const tenant44 = queryDb<{ id: string }>(
      server.dbFile,
      "select id from tenants where code = '44'",
    )[0]!;
    expect(who.tenantId).toBe(tenant44.id);
    expect(count('select count(*) as n from accounts')).toBe(accountsBefore + 1);
    // The person the account is, from the identity FranceConnect certified.
    expect(count('select count(*) as n from persons where account_id = ?', who.id)).toBe(1);
    expect(identitiesOf(who.id)).toEqual([FC]);
    // The address came from FranceConnect's identity provider: verified, so a password reset
    // gives its owner a password rather than treating the account as squatted.
    expect(
      count(
        'select count(*) as n from accounts where id = ? and email_verified_at is not null',
        who.id,
      ),
    ).toBe(1);
    // The sub is not kept in clear, only its hash.
    const stored = queryDb<{ subject_hash: string }>(
      server.dbFile,
      'select subject_hash from account_identities where account_id = ?',
      who.id,
    )[0]!;
    expect(stored.subject_hash).toMatch(/^[0-9a-f]{64}$/);
    const session = queryDb<{ first_factor: string; mfa_at: string | null }>(
      server.dbFile,
      'select first_factor, mfa_at from sessions where account_id = ?',
      who.id,
    );
    expect(session).toEqual([{ first_factor: 'oidc', mfa_at: null }]);

    // Another browser, no sign-up this time: the link alone finds the account.
    const again = new Browser();
    const second = await signInWith(again, FC, 'fc-new');
    expect(second.location).toBe(url('/?login=done'));
    expect(((await me(again)).json as { id: string }).id).toBe(who.id);
    expect(count('select count(*) as n from accounts')).toBe(accountsBefore + 1);
  });

  it('an identity with the e-mail of an existing account never signs in to it, verified or not', async () => {
    const victim = server.account('usager');
    for (const verified of [true, false]) {
      const sub = `fc-takeover-${verified}`;
      fcSubject(sub, { email: victim.email.toUpperCase(), email_verified: verified });
      const accountsBefore = count('select count(*) as n from accounts');

      const login = new Browser();
      expectRefused(await signInWith(login, FC, sub), 'not-linked');
      expect((await me(login)).status).toBe(401);

      // Sign-up refuses too, and says to sign in with the password and link from the account.
      const signup = new Browser();
      expectRefused(await signInWith(signup, FC, sub, '?signup=44'), 'email-in-use');
      expect((await me(signup)).status).toBe(401);

      expect(identitiesOf(victim.id)).toEqual([]);
      expect(count('select count(*) as n from accounts')).toBe(accountsBefore);
    }
  });

  it('refuses an identity proven below eIDAS level 1', async () => {
    fcSubject('fc-weak', { acr: null });
    expectRefused(await signInWith(new Browser(), FC, 'fc-weak', '?signup=44'), 'acr-insufficient');
    expect(count("select count(*) as n from accounts where email = 'fc-weak@usager.example'")).toBe(
      0,
    );
  });

  it('refuses a sign-up without the identity an account needs, or in an unknown département', async () => {
    fcSubject('fc-nameless', { family_name: undefined });
    expectRefused(
      await signInWith(new Browser(), FC, 'fc-nameless', '?signup=44'),
      'identity-incomplete',
    );
    const unknown = await new Browser().get(url(`/api/v1/auth/oidc/${FC}/start?signup=99`));
    expectRefused(unknown, 'unknown-tenant');
  });
});

describe('linking an account to a provider identity', () => {
  it('happens from a signed-in session with the password, then the provider signs in to that account', async () => {
    const owner = server.account('usager-2');
    const browser = await signedInBrowser(owner);
    const flowsBefore = count('select count(*) as n from oidc_flows');

    const wrong = await browser.request('POST', url(`/api/v1/me/identities/${FC}`), {
      json: { currentPassword: 'not-the-password-0000' },
    });
    expectProblem(wrong, 401);
    expect(browser.cookie(server.baseUrl, BINDING)).toBeUndefined();
    expect(count('select count(*) as n from oidc_flows')).toBe(flowsBefore);

    fcSubject('fc-link', { email: 'someone-else@usager.example' });
    const linked = await link(browser, owner, FC, 'fc-link');
    expect(linked.location).toBe(url('/?link=done'));
    expect(identitiesOf(owner.id)).toEqual([FC]);
    const listed = await browser.get(url('/api/v1/me/identities'));
    expect(
      (listed.json as { items: Array<{ provider: string }> }).items.map((i) => i.provider),
    ).toEqual([FC]);

    const elsewhere = new Browser();
    expect((await signInWith(elsewhere, FC, 'fc-link')).location).toBe(url('/?login=done'));
    expect(((await me(elsewhere)).json as { id: string }).id).toBe(owner.id);

    // One identity per provider per account.
    const twice = await browser.request('POST', url(`/api/v1/me/identities/${FC}`), {
      json: { currentPassword: owner.password },
    });
    expect(twice.status).toBe(409);
    expect(problemSlug(twice)).toBe('identity-already-linked');
  });

  it('never moves an identity already linked to another account', async () => {
    const other = server.account('parent');
    const browser = await signedInBrowser(other);
    expectRefused(await link(browser, other, FC, 'fc-link'), 'link-conflict', 'link');
    expect(identitiesOf(other.id)).toEqual([]);
    expect(identitiesOf(server.account('usager-2').id)).toEqual([FC]);
  });

  it('offers FranceConnect to usagers only and ProConnect to staff only', async () => {
    const staff = await signedInBrowser(server.account('accueil'));
    const fc = await staff.request('POST', url(`/api/v1/me/identities/${FC}`), {
      json: { currentPassword: server.account('accueil').password },
    });
    expect(fc.status).toBe(403);
    expect(problemSlug(fc)).toBe('oidc-provider-not-for-account');
    const usager = await signedInBrowser(server.account('usager', '85'));
    const pc = await usager.request('POST', url(`/api/v1/me/identities/${PC}`), {
      json: { currentPassword: server.account('usager', '85').password },
    });
    expect(pc.status).toBe(403);
    // Without a session: the gate, not the provider, answers.
    const anonymous = await new Browser().request('POST', url(`/api/v1/me/identities/${FC}`), {
      json: { currentPassword: 'whatever-password' },
    });
    expect(anonymous.status).toBe(401);
  });

  it('is undone with the password, after which the identity signs in to nothing', async () => {
    const owner = server.account('usager-2');
    const browser = await signedInBrowser(owner);
    const wrong = await browser.request('DELETE', url(`/api/v1/me/identities/${FC}`), {
      json: { currentPassword: 'not-the-password-0000' },
    });
    expect(wrong.status).toBe(401);
    expect(identitiesOf(owner.id)).toEqual([FC]);
    const done = await browser.request('DELETE', url(`/api/v1/me/identities/${FC}`), {
      json: { currentPassword: owner.password },
    });
    expect(done.status, done.text).toBe(204);
    expect(identitiesOf(owner.id)).toEqual([]);
    expectRefused(await signInWith(new Browser(), FC, 'fc-link'), 'not-linked');
    const again = await browser.request('DELETE', url(`/api/v1/me/identities/${FC}`), {
      json: { currentPassword: owner.password },
    });
    expect(again.status).toBe(404);
  });
});

describe('the callback', () => {
  it('is single use: the same callback URL a second time is refused', async () => {
    const browser = new Browser();
    const callback = await toCallback(browser, FC, 'fc-new');
    expect((await browser.get(callback)).location).toBe(url('/?login=done'));
    const session = browser.cookie(server.baseUrl, SESSION);
    // Even with a binding cookie put back, the flow is gone.
    browser.setCookie(server.baseUrl, BINDING, 'replayed');
    expectRefused(await browser.get(callback), 'flow-unknown');
    expect(browser.cookie(server.baseUrl, SESSION)).toBe(session);
  });

  it('is refused in a browser that did not start the flow (login CSRF)', async () => {
    // The attacker proves their own identity, then has the victim's browser open the callback.
    const attacker = new Browser();
    const callback = await toCallback(attacker, FC, 'fc-new');
    const victim = await signedInBrowser(server.account('usager', '85'));
    const victimSession = victim.cookie(server.baseUrl, SESSION);
    expectRefused(await victim.get(callback), 'flow-unbound');
    expect(victim.cookie(server.baseUrl, SESSION)).toBe(victimSession);
    expect(((await me(victim)).json as { id: string }).id).toBe(server.account('usager', '85').id);
    // The refusal did not burn the flow for the browser it belongs to.
    expect((await attacker.get(callback)).location).toBe(url('/?login=done'));
  });

  it('refuses a code from another flow, a wrong nonce, a wrong issuer, a tampered state and an expired flow', async () => {
    // A code redeemed in a flow it was not issued for: PKCE and nonce both fail.
    const a = new Browser();
    const b = new Browser();
    const callbackA = await toCallback(a, FC, 'fc-new');
    const callbackB = await toCallback(b, FC, 'fc-new');
    const swapped = new URL(callbackB);
    swapped.searchParams.set('code', callbackA.searchParams.get('code')!);
    expectRefused(await b.get(swapped), 'token-invalid');

    // The nonce changed on the way to the provider: the ID token's nonce is not the flow's.
    const c = new Browser();
    const start = await c.get(url(`/api/v1/auth/oidc/${FC}/start`));
    const tampered = new URL(start.location!);
    tampered.searchParams.set('nonce', 'nonce-of-someone-else');
    expectRefused(
      await c.get(await c.proveIdentity(tampered.href, 'fc-new', publicOrigin)),
      'token-invalid',
    );

    // An authorization response that says it comes from another issuer (RFC 9207).
    const d = new Browser();
    const fromElsewhere = await toCallback(d, FC, 'fc-new');
    fromElsewhere.searchParams.set('iss', 'http://127.0.0.1:9/');
    expectRefused(await d.get(fromElsewhere), 'token-invalid');

    const e = new Browser();
    const wrongState = await toCallback(e, FC, 'fc-new');
    wrongState.searchParams.set('state', 'a-state-nobody-issued');
    expectRefused(await e.get(wrongState), 'flow-unknown');

    const f = new Browser();
    const late = await toCallback(f, FC, 'fc-new');
    writeDb(server.dbFile, "update oidc_flows set expires_at = '2000-01-01T00:00:00.000Z'");
    expectRefused(await f.get(late), 'flow-expired');

    // The provider's own refusal (the person cancelled) comes back as a reason too.
    const g = new Browser();
    const cancelled = await toCallback(g, FC, 'fc-new');
    cancelled.searchParams.delete('code');
    cancelled.searchParams.set('error', 'access_denied');
    expectRefused(await g.get(cancelled), 'provider-error');
  });

  it('opens a fresh session: an id planted before the callback is dead after it', async () => {
    const planted = await new Client(server.baseUrl).login(server.account('aidant-expire'));
    const plantedId = planted.sessionCookie!.split('=').slice(1).join('=');
    const browser = new Browser();
    browser.setCookie(server.baseUrl, SESSION, plantedId);
    expect((await signInWith(browser, FC, 'fc-new')).location).toBe(url('/?login=done'));
    const fresh = browser.cookie(server.baseUrl, SESSION);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(plantedId);
    expect((await planted.get('/api/v1/me')).status).toBe(401);
  });
});

describe('accounts that may not sign in', () => {
  it('a disabled account is refused, as a password login refuses it', async () => {
    const account = server.account('parent', '85');
    fcSubject('fc-disabled');
    expect((await link(await signedInBrowser(account), account, FC, 'fc-disabled')).location).toBe(
      url('/?link=done'),
    );
    writeDb(server.dbFile, "update accounts set status = 'disabled' where id = ?", account.id);
    expectRefused(await signInWith(new Browser(), FC, 'fc-disabled'), 'account-disabled');
    const events = queryDb<{ detail: string }>(
      server.dbFile,
      "select detail from security_events where kind = 'login.disabled-account' order by id desc limit 1",
    );
    expect(JSON.parse(events[0]!.detail)).toMatchObject({
      accountId: account.id,
      firstFactor: 'oidc',
    });
  });

  it('a dormant staff account is disabled at its ProConnect sign-in and refused', async () => {
    const account = server.account('cdaph');
    op.subjects.set('pc-dormant', {
      email: 'agent@mdph.example',
      given_name: 'A',
      usual_name: 'B',
    });
    expect((await link(await signedInBrowser(account), account, PC, 'pc-dormant')).location).toBe(
      url('/?link=done'),
    );
    writeDb(
      server.dbFile,
      "update accounts set last_login_at = '2000-01-01T00:00:00.000Z' where id = ?",
      account.id,
    );
    expectRefused(await signInWith(new Browser(), PC, 'pc-dormant'), 'account-disabled');
    const row = queryDb<{ status: string; disabled_reason: string }>(
      server.dbFile,
      'select status, disabled_reason from accounts where id = ?',
      account.id,
    )[0];
    expect(row).toEqual({ status: 'disabled', disabled_reason: 'dormant' });
  });

  it('an unlinked ProConnect identity is refused, even with a staff e-mail, and cannot sign up', async () => {
    op.subjects.set('pc-stranger', { email: server.account('admin').email, given_name: 'X' });
    expectRefused(await signInWith(new Browser(), PC, 'pc-stranger'), 'not-linked');
    const signup = await new Browser().get(url(`/api/v1/auth/oidc/${PC}/start?signup=44`));
    expectRefused(signup, 'signup-unavailable');
  });
});

describe('staff signing in with ProConnect', () => {
  let staffBrowser: Browser;

  it('links ProConnect, then signs in with it as a first factor only', async () => {
    const account = server.account('instructeur');
    op.subjects.set('pc-instructeur', { email: 'instructeur@mdph.example', uid: '1', siret: '1' });
    expect(
      (await link(await signedInBrowser(account), account, PC, 'pc-instructeur')).location,
    ).toBe(url('/?link=done'));
    staffBrowser = new Browser();
    const res = await signInWith(staffBrowser, PC, 'pc-instructeur');
    expect(res.location).toMatch(/\/\?login=(done|second-factor|enroll)$/);
    expect(((await me(staffBrowser)).json as { id: string }).id).toBe(account.id);
    // Nothing in the federated path vouches for a second factor.
    const sessions = queryDb<{ first_factor: string; mfa_at: string | null }>(
      server.dbFile,
      "select first_factor, mfa_at from sessions where account_id = ? and first_factor = 'oidc'",
      account.id,
    );
    expect(sessions).toEqual([{ first_factor: 'oidc', mfa_at: null }]);
  });

  it('a staff member signing in with ProConnect cannot list cases before the second factor', async () => {
    const res = await staffBrowser.get(url('/api/v1/cases'));
    expect(res.status).toBe(403);
    expect((res.json as { type?: string }).type).toBe('urn:cloison:problem:mfa-required');
  });
});

describe('what the server keeps and records', () => {
  it('no security event carries a sub or an e-mail in clear', () => {
    const details = queryDb<{ detail: string | null }>(
      server.dbFile,
      "select detail from security_events where kind like 'oidc.%' or kind like 'login.%'",
    )
      .map((r) => r.detail ?? '')
      .join('\n');
    expect(details).toContain('"reason"');
    for (const sub of op.subjects.keys()) expect(details).not.toContain(`"${sub}"`);
    expect(details).not.toMatch(/@/);
    const flows = queryDb<Record<string, unknown>>(server.dbFile, 'select * from oidc_flows');
    // A flow row holds hashes and a nonce: no state, no PKCE verifier, no binding cookie.
    for (const f of flows)
      expect(Object.keys(f).sort()).toEqual([
        'account_id',
        'binding_hash',
        'created_at',
        'expires_at',
        'intent',
        'nonce',
        'provider',
        'state_hash',
        'tenant_id',
      ]);
  });
});

describe('a provider that is down or not configured', () => {
  it('sends the browser back with a reason, and answers 503 to a link request', async () => {
    // A closed port on loopback: discovery fails.
    const down = await startServer({
      env: {
        CLOISON_OIDC_FRANCECONNECT_ISSUER: 'http://127.0.0.1:9',
        CLOISON_OIDC_FRANCECONNECT_CLIENT_ID: 'cloison-fc',
        CLOISON_OIDC_FRANCECONNECT_CLIENT_SECRET: 'secret',
      },
    });
    try {
      const start = await new Browser().get(`${down.baseUrl}/api/v1/auth/oidc/${FC}/start`);
      expect(start.status).toBe(303);
      expect(start.location).toBe(`${down.baseUrl}/?login=failed&reason=provider-unavailable`);
      const usager = down.account('usager');
      const client = await new Client(down.baseUrl).login(usager);
      const linkRes = await client.post(`/api/v1/me/identities/${FC}`, {
        json: { currentPassword: usager.password },
      });
      expectProblem(linkRes, 503);
      expect(problemSlug(linkRes)).toBe('oidc-provider-unavailable');
      // ProConnect is not configured there: its routes answer a plain 404 problem.
      const disabled = await client.get(`/api/v1/auth/oidc/${PC}/start`);
      expectProblem(disabled, 404);
      expect(problemSlug(disabled)).toBe('oidc-provider-disabled');
    } finally {
      await stopAndRemove(down);
    }
  });

  it('refuses half a configuration and plain HTTP to a remote issuer at start', () => {
    const base = { CLOISON_DATA_DIR: '/tmp/unused' };
    expect(() =>
      loadConfig({ ...base, CLOISON_OIDC_PROCONNECT_ISSUER: 'https://proconnect.example' }),
    ).toThrow(/CLOISON_OIDC_PROCONNECT_ISSUER, CLOISON_OIDC_PROCONNECT_CLIENT_ID and/);
    const remote = {
      ...base,
      CLOISON_OIDC_FRANCECONNECT_ISSUER: 'http://fc.example',
      CLOISON_OIDC_FRANCECONNECT_CLIENT_ID: 'id',
      CLOISON_OIDC_FRANCECONNECT_CLIENT_SECRET: 'a-secret-never-echoed',
    };
    expect(() => loadConfig(remote)).toThrow(/must be an https:\/\/ issuer URL/);
    expect(() => loadConfig(remote)).not.toThrow(/a-secret-never-echoed/);
    // Credentials typed into a URL are never repeated in the error (it reaches the console).
    const withPassword = {
      ...remote,
      CLOISON_OIDC_FRANCECONNECT_ISSUER: 'https://user:issuer-pass-never-echoed@fc.example',
    };
    expect(() => loadConfig(withPassword)).toThrow(/must be an https:\/\/ issuer URL/);
    expect(() => loadConfig(withPassword)).not.toThrow(/issuer-pass-never-echoed/);
    expect(() =>
      loadConfig({ ...base, CLOISON_PUBLIC_URL: 'https://admin:public-pass-never-echoed@x.fr/a' }),
    ).not.toThrow(/public-pass-never-echoed/);
    const ok = loadConfig({
      ...remote,
      CLOISON_OIDC_FRANCECONNECT_ISSUER: 'https://fc.example/api/v2',
    });
    expect(ok.oidc.franceconnect?.issuer).toBe('https://fc.example/api/v2');
    expect(ok.oidc.proconnect).toBeNull();
  });
});
