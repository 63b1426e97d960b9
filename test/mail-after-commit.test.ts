import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

/**
 * A mail announces a change (a reset link, a confirmation): it must not leave for a change that
 * is never committed. Inside a request a transaction returns before its group is on disk, so
 * the mail waits for the request's commits; a group that fails sends nothing.
 */

let mailbox: Mailbox;
let server: RunningServer;
beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startServer({ env: { CLOISON_SMTP_URL: mailbox.url } });
});
afterAll(async () => {
  await stopAndRemove(server);
  await mailbox?.close();
});

describe('a mail about a change', () => {
  it('is not sent when the change is not committed, and is once it is', async () => {
    const email = server.account('usager').email;
    const anonymous = new Client(server.baseUrl);
    // A deferred foreign key is only checked by COMMIT: the token is inserted, the request's
    // statements all succeed, and its group's commit is what fails.
    writeDb(server.dbFile, 'create table poison_parent (id text primary key)');
    writeDb(
      server.dbFile,
      'create table poison (ref text references poison_parent (id) deferrable initially deferred)',
    );
    writeDb(
      server.dbFile,
      `create trigger account_tokens_poison after insert on account_tokens
       begin insert into poison (ref) values ('nowhere'); end`,
    );
    try {
      const failed = await anonymous.post('/api/v1/auth/password-reset', { json: { email } });
      expect(failed.status, failed.text).toBe(500);
      // Long enough for a mail handed over at once to arrive (the one below takes far less).
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(mailbox.to(email).map((m) => m.subject)).toEqual([]);
    } finally {
      writeDb(server.dbFile, 'drop trigger account_tokens_poison');
    }
    const since = mailbox.messages.length;
    const sent = await anonymous.post('/api/v1/auth/password-reset', { json: { email } });
    expect(sent.status, sent.text).toBeLessThan(300);
    const mail = await mailbox.waitFor(email, { since });
    expect(mail.text).toContain('jeton=');
  });
});
