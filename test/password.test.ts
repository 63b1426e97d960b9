import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordProblem } from '../src/modules/auth/password-policy.js';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { stopAndRemove } from './support/storage.js';

const staff = {
  kind: 'staff' as const,
  email: 'marie.durand@mdph44.fr',
  displayName: 'Marie Durand',
};
const usager = { kind: 'usager' as const, email: 'paul@example.org', displayName: 'Paul Martin' };

describe('password policy', () => {
  it.each([
    ['a 14-character staff password', 'abcdefghijklmn', staff, /au moins 15/],
    ['an 11-character usager password', 'abcdefghijk', usager, /au moins 12/],
    ['more than 128 characters', 'x'.repeat(129) + 'yz', usager, /au plus 128/],
    ['a common password', 'qwerty123456', usager, /plus utilisés/],
    ['a common password with a year and a symbol', 'password2024!', usager, /courant complété/],
    ['one character repeated', 'aaaaaaaaaaaaaaaa', staff, /trop peu de caractères/],
    ['the e-mail inside', 'marie.durand@mdph44.fr!', staff, /adresse e-mail/],
    ['the name inside', 'ma fille durand est grande', staff, /votre nom/],
  ])('refuses %s, and says why', (_name, password, owner, reason) => {
    expect(passwordProblem(password, owner)).toMatch(reason);
  });

  it.each([
    ['a 12-character usager passphrase', 'tuile verte!', usager],
    ['a 15-character staff passphrase', 'cheval agrafe 7', staff],
    [
      '64 characters, no composition rule',
      'a'.repeat(20) + 'b'.repeat(20) + 'c'.repeat(20) + 'dddd',
      staff,
    ],
    ['spaces and unicode', 'Le café du Château à 7 h', usager],
  ])('accepts %s', (_name, password, owner) => {
    expect(passwordProblem(password, owner)).toBeNull();
  });
});

describe('changing one’s password over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => stopAndRemove(server));

  it('requires the current password, applies the policy, ends every session, rotates this one', async () => {
    const account = server.account('instructeur');
    const here = await new Client(server.baseUrl).login(account);
    const elsewhere = await new Client(server.baseUrl).login(account);
    const hashOf = () =>
      queryDb<{ password_hash: string }>(
        server.dbFile,
        'select password_hash from accounts where id = ?',
        account.id,
      )[0]!.password_hash;
    const before = hashOf();

    const wrong = await here.post('/api/v1/me/password', {
      json: {
        currentPassword: 'not-the-password-0',
        newPassword: 'une phrase de passe très longue',
      },
    });
    expect(wrong.status).toBe(401);
    const weak = await here.post('/api/v1/me/password', {
      json: { currentPassword: account.password, newPassword: 'qwerty123456' },
    });
    expect(weak.status).toBe(400);
    expect(weak.json).toMatchObject({ detail: expect.stringMatching(/au moins 15/) });
    expect(hashOf()).toBe(before);
    expect((await elsewhere.get('/api/v1/me')).status).toBe(200);

    const oldCookie = here.sessionCookie;
    const newPassword = 'une phrase de passe très longue';
    const ok = await here.post('/api/v1/me/password', {
      json: { currentPassword: account.password, newPassword },
    });
    expect(ok.status, ok.text).toBe(204);
    expect(hashOf()).not.toBe(before);
    expect(hashOf()).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // This browser continues on a new session id; the old id and every other session are dead.
    expect(here.sessionCookie).not.toBe(oldCookie);
    expect((await here.get('/api/v1/me')).status).toBe(200);
    expect((await elsewhere.get('/api/v1/me')).status).toBe(401);
    const replay = new Client(server.baseUrl);
    replay.sessionCookie = oldCookie;
    expect((await replay.get('/api/v1/me')).status).toBe(401);
    // The old password no longer opens a session; the new one does.
    const old = await new Client(server.baseUrl).post('/api/v1/auth/login', {
      json: { email: account.email, password: account.password },
    });
    expect(old.status).toBe(401);
    await new Client(server.baseUrl).login({ email: account.email, password: newPassword });
  });
});
