import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type DemoAccount, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { stopAndRemove } from './support/storage.js';

/**
 * A stranger guessing passwords must not lock the owner out. Every client here has the address
 * 127.0.0.1, as behind a shared NAT: only what the browser carries tells the owner from the
 * attacker. The per-address limit is the production default (10 a minute).
 */
const LOGIN = '/api/v1/auth/login';
const DEVICE = '__Host-cloison_device';

let server: RunningServer;
let usager: DemoAccount;
let admin: DemoAccount;
let intruder: DemoAccount;
/** The owners' own browsers, each signed in once before the attack. */
let usagerBrowser: Client;
let adminBrowser: Client;
let intruderBrowser: Client;
/** Another admin, signed in before the attack and still working. */
let otherAdmin: Client;

beforeAll(async () => {
  server = await startServer({ env: { CLOISON_LOGIN_RATE_LIMIT: '10' } });
  usager = server.account('usager');
  admin = server.account('admin');
  intruder = server.account('usager-2');
  usagerBrowser = await new Client(server.baseUrl).login(usager);
  adminBrowser = await new Client(server.baseUrl).login(admin);
  intruderBrowser = await new Client(server.baseUrl).login(intruder);
  otherAdmin = await new Client(server.baseUrl).login(server.account('admin-2'));
  for (const browser of [usagerBrowser, adminBrowser, intruderBrowser]) {
    expect((await browser.post('/api/v1/auth/logout')).status).toBe(204);
  }
});
afterAll(() => stopAndRemove(server));

const guess = (email: string, client = new Client(server.baseUrl)) =>
  client.post(LOGIN, { json: { email, password: `wrong-${randomBytes(6).toString('hex')}` } });

describe('a guessing attack from the address everyone shares', () => {
  it('turns a device token planted in a browser into nothing once its owner signs in there', async () => {
    // The intruder copies their own, genuine device token into the victim's browser beforehand.
    const planted = intruderBrowser.cookie(DEVICE)!;
    const victimBrowser = new Client(server.baseUrl);
    victimBrowser.setCookie(DEVICE, planted);
    await victimBrowser.login(server.account('parent'));
    const fresh = victimBrowser.cookie(DEVICE)!;
    expect(fresh).not.toBe(planted);
    const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
    const rows = (token: string) =>
      queryDb(server.dbFile, 'select * from trusted_devices where token_hash = ?', hashOf(token));
    // What the planted token was trusted for moved to the new one, which the intruder never saw.
    expect(rows(planted)).toEqual([]);
    expect(rows(fresh)).toHaveLength(2);
    expect((await victimBrowser.post('/api/v1/auth/logout')).status).toBe(204);
  });

  it('throttles the attacker: at most ten guesses per account are ever checked', async () => {
    for (const target of [usager, admin]) {
      const statuses: number[] = [];
      for (let i = 0; i < 25; i += 1) statuses.push((await guess(target.email)).status);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
      expect(statuses.slice(-10)).toEqual(Array(10).fill(429));
    }
    // The lock is the account's for every unknown client, the right password included.
    const stranger = await new Client(server.baseUrl).post(LOGIN, {
      json: { email: usager.email, password: usager.password },
    });
    expect(stranger.status).toBe(429);
    expect(stranger.headers.get('content-type')).toContain('application/problem+json');
    expect(stranger.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('lets the owners sign in from a browser that signed in before, second factor included', async () => {
    await usagerBrowser.login(usager);
    expect((await usagerBrowser.get('/api/v1/me')).status).toBe(200);
    await adminBrowser.login(admin);
    const me = await adminBrowser.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ role: 'admin', secondFactor: 'done' });
    // A typo from the owner's browser is a 401 of its own count, not the attacker's lock.
    expect((await usagerBrowser.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await guess(usager.email, usagerBrowser)).status).toBe(401);
    await usagerBrowser.login(usager);
  });

  it('gives no way around the lock with a forged, foreign or stolen-for-another-account cookie', async () => {
    const right = { email: usager.email, password: usager.password };
    const forged = new Client(server.baseUrl);
    forged.setCookie(DEVICE, randomBytes(32).toString('base64url'));
    expect((await forged.post(LOGIN, { json: right })).status).toBe(429);
    // The intruder's own browser is known, but to the intruder's account only.
    expect(intruderBrowser.cookie(DEVICE)).toBeDefined();
    expect((await intruderBrowser.post(LOGIN, { json: right })).status).toBe(429);
    expect((await guess(admin.email, intruderBrowser)).status).toBe(429);
  });

  it('counts a known browser on its own: a stolen device cookie buys ten guesses, not more', async () => {
    const copy = new Client(server.baseUrl);
    copy.setCookie(DEVICE, adminBrowser.cookie(DEVICE)!);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await guess(admin.email, copy)).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    const locked = await copy.post(LOGIN, {
      json: { email: admin.email, password: admin.password },
    });
    expect(locked.status).toBe(429);
    expect(locked.json).toMatchObject({ type: 'urn:cloison:problem:too-many-attempts' });
  });

  it('keeps only hashes of device tokens, and forgets them when the sessions are ended', async () => {
    const token = usagerBrowser.cookie(DEVICE)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = queryDb<Record<string, string>>(server.dbFile, 'select * from trusted_devices');
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(rows)).not.toContain(token);
    const owner = queryDb<{ id: string }>(
      server.dbFile,
      'select id from accounts where email = ?',
      usager.email,
    )[0]!;
    const before = rows.filter((r) => r.account_id === owner.id).length;
    expect(before).toBeGreaterThan(0);
    // A usager reports a lost phone: an admin ends every session of the account.
    const ended = await otherAdmin.post(`/api/v1/accounts/${owner.id}/support/end-sessions`, {
      json: {
        category: 'suspected-compromise',
        reason: 'Téléphone perdu, signalé par la personne au guichet',
      },
    });
    expect(ended.status).toBe(204);
    expect(
      queryDb(server.dbFile, 'select * from trusted_devices where account_id = ?', owner.id),
    ).toEqual([]);
    // From then on that browser is a stranger like any other while the lock lasts.
    const again = await usagerBrowser.post(LOGIN, {
      json: { email: usager.email, password: usager.password },
    });
    expect(again.status).toBe(429);
  });
});
