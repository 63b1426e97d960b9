import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { stopAndRemove } from './support/storage.js';

/**
 * Issue 4 item 1: changing one's sign-in address asks for the password again, and only takes
 * effect once a link sent to the new address is opened; then every session ends.
 */

let server: RunningServer;
let mailbox: Mailbox;
beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startServer({ env: { CLOISON_SMTP_URL: mailbox.url } });
});
afterAll(async () => {
  await stopAndRemove(server);
  await mailbox.close();
});

const tokenIn = (text: string) => /confirmer-adresse#jeton=([A-Za-z0-9_-]+)/.exec(text)?.[1];
const pending = (id: string) =>
  queryDb<{ email: string; pending_email: string | null }>(
    server.dbFile,
    'select email, pending_email from accounts where id = ?',
    id,
  )[0]!;

describe('changing the sign-in address', () => {
  it('needs the password, then the link sent to the new address; every session ends', async () => {
    const account = server.account('usager-2');
    const client = await new Client(server.baseUrl).login(account);
    const other = await new Client(server.baseUrl).login(account);
    const wrong = await client.post('/api/v1/me/email', {
      json: { currentPassword: 'not-the-password-000', newEmail: 'camille.neuve@exemple.fr' },
    });
    expect(wrong.status).toBe(401);
    expect(pending(account.id).pending_email).toBeNull();

    const asked = await client.post('/api/v1/me/email', {
      json: { currentPassword: account.password, newEmail: 'Camille.Neuve@Exemple.fr' },
    });
    expect(asked.status, asked.text).toBe(204);
    // Nothing changed yet: the old address still signs in.
    expect(pending(account.id)).toEqual({
      email: account.email,
      pending_email: 'camille.neuve@exemple.fr',
    });
    const mail = await mailbox.waitFor('camille.neuve@exemple.fr');
    const token = tokenIn(mail.text);
    expect(token).toBeDefined();

    const anyone = new Client(server.baseUrl);
    const confirmed = await anyone.post('/api/v1/auth/email-change/confirm', { json: { token } });
    expect(confirmed.status, confirmed.text).toBe(204);
    expect(pending(account.id)).toEqual({ email: 'camille.neuve@exemple.fr', pending_email: null });
    expect((await client.get('/api/v1/me')).status).toBe(401);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    const oldLogin = await new Client(server.baseUrl).post('/api/v1/auth/login', {
      json: { email: account.email, password: account.password },
    });
    expect(oldLogin.status).toBe(401);
    await new Client(server.baseUrl).login({ ...account, email: 'camille.neuve@exemple.fr' });
    // The old address is told, in case it was not its owner who did it.
    const notice = await mailbox.waitFor(account.email);
    expect(notice.subject).toMatch(/a changé/);
    // The link works once.
    const again = await anyone.post('/api/v1/auth/email-change/confirm', { json: { token } });
    expect(again.status).toBe(400);
  });

  it('answers the same for an address already taken, and sends it nothing', async () => {
    const account = server.account('usager');
    const taken = server.account('usager', '85').email;
    const client = await new Client(server.baseUrl).login(account);
    const before = mailbox.to(taken).length;
    const res = await client.post('/api/v1/me/email', {
      json: { currentPassword: account.password, newEmail: taken },
    });
    expect(res.status).toBe(204);
    expect(pending(account.id).pending_email).toBeNull();
    // A mail to a free address, sent after, arrives; none went to the taken one meanwhile.
    await client.post('/api/v1/me/email', {
      json: { currentPassword: account.password, newEmail: 'libre@exemple.fr' },
    });
    await mailbox.waitFor('libre@exemple.fr');
    expect(mailbox.to(taken).length).toBe(before);
  });

  it('refuses a shared mailbox for staff', async () => {
    const account = server.account('accueil');
    const client = await new Client(server.baseUrl).login(account);
    const res = await client.post('/api/v1/me/email', {
      json: { currentPassword: account.password, newEmail: 'accueil@mdph44.fr' },
    });
    expect(res.status).toBe(400);
    expect(pending(account.id).pending_email).toBeNull();
  });
});
