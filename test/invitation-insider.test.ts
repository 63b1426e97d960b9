import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type RequestOptions } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { eventually, stopAndRemove } from './support/storage.js';

/**
 * THREATS.md T6, the insider: the accueil agent who prints an invitation knows its code and the
 * person's birth date, and could claim the paper file with a usager account of their own. That
 * cannot be refused by construction, so it is detected: a claim from an address the inviting
 * agent used is recorded and raises an alert for the DPO, while the claim itself succeeds.
 * The client's address is chosen with X-Forwarded-For from a trusted proxy (127.0.0.1).
 */

const INSIDER_ADDRESS = '203.0.113.7';
const HOME_ADDRESS = '198.51.100.9';
const GOOD_PASSWORD = 'une tuile verte sous la pluie';
const RULE = 'invitation-claimed-from-inviter-address';

/** A browser behind the proxy: every request it sends says it comes from `address`. */
class ClientAt extends Client {
  constructor(
    baseUrl: string,
    private readonly address: string,
  ) {
    super(baseUrl);
  }

  override request(method: string, url: string, options: RequestOptions = {}) {
    return super.request(method, url, {
      ...options,
      headers: { 'x-forwarded-for': this.address, ...options.headers },
    });
  }
}

let mailbox: Mailbox;
let server: RunningServer;

beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startServer({
    env: {
      CLOISON_TRUST_PROXY: '127.0.0.1',
      CLOISON_METRICS_PORT: '0',
      CLOISON_SMTP_URL: mailbox.url,
    },
  });
});
afterAll(async () => {
  await stopAndRemove(server);
  await mailbox?.close();
});

let seq = 0;
/** Registers a person on paper and prints a letter invitation for them, from `address`. */
async function paperFileWithLetter(address: string) {
  seq += 1;
  const accueil = await new ClientAt(server.baseUrl, address).login(server.account('accueil'));
  const created = await accueil.post('/api/v1/persons/registrations', {
    json: {
      firstName: 'Gaston',
      lastName: `Guichet-${seq}-${Date.now()}`,
      birthDate: '1958-03-14',
      address: '3 rue de Strasbourg, 44000 Nantes',
    },
  });
  expect(created.status, created.text).toBe(201);
  const personId = (created.json as { id: string }).id;
  const invited = await accueil.post(`/api/v1/persons/${personId}/invitations`, {
    json: { channel: 'letter' },
  });
  expect(invited.status, invited.text).toBe(201);
  const { id: invitationId, code } = invited.json as { id: string; code: string };
  return { personId, invitationId, code, birthDate: '1958-03-14' };
}

/** A usager who signs up, verifies their address and signs in, all from `address`. */
async function freshUsagerAt(address: string): Promise<Client> {
  const email = `guichet-${seq}-${Date.now()}@exemple.test`;
  const since = mailbox.messages.length;
  const anonymous = new ClientAt(server.baseUrl, address);
  const signUp = await anonymous.post('/api/v1/auth/signup', {
    json: { email, password: GOOD_PASSWORD, displayName: 'Nouvel usager', tenant: '44' },
  });
  expect(signUp.status).toBe(202);
  const mail = await mailbox.waitFor(email, { since });
  const token = /#jeton=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
  expect((await anonymous.post('/api/v1/auth/verify-email', { json: { token } })).status).toBe(204);
  return new ClientAt(server.baseUrl, address).login({ email, password: GOOD_PASSWORD });
}

interface EventRow {
  account_id: string;
  object_type: string;
  ip: string;
  detail: string;
}
function insiderEvents(personId: string): EventRow[] {
  return queryDb<EventRow>(
    server.dbFile,
    "select account_id, object_type, ip, detail from security_events where kind = 'invitation.claimed-from-inviter-address' and object_id = ?",
    personId,
  );
}

interface AlertView {
  rule: string;
  severity: string;
  subject: string;
  title: string;
}
async function alertsAbout(dpo: Client, personId: string): Promise<AlertView[]> {
  const inbox = await dpo.get('/api/v1/alerts');
  expect(inbox.status).toBe(200);
  return (inbox.json as { items: AlertView[] }).items.filter(
    (a) => a.rule === RULE && a.subject === personId,
  );
}

function accountId(email: string): string {
  return queryDb<{ id: string }>(
    server.dbFile,
    'select id from accounts where email = ?',
    email,
  )[0]!.id;
}

describe('a paper file claimed from the inviting agent’s address', () => {
  it('is handed over, recorded for the DPO with the invitation and its agent, and raises a high alert', async () => {
    const file = await paperFileWithLetter(INSIDER_ADDRESS);
    const claimant = await freshUsagerAt(INSIDER_ADDRESS);
    const claimed = await claimant.post('/api/v1/invitations/claim', {
      json: { code: file.code, birthDate: file.birthDate },
    });
    // Detected, not refused: a relative on the accueil's public Wi-Fi claims the same way.
    expect(claimed.status, claimed.text).toBe(200);
    expect(claimed.json).toMatchObject({ id: file.personId, relation: 'self' });

    const [event, ...more] = insiderEvents(file.personId);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ object_type: 'person', ip: INSIDER_ADDRESS });
    expect(JSON.parse(event!.detail)).toEqual({
      invitationId: file.invitationId,
      inviterId: accountId(server.account('accueil').email),
    });
    // The address stays where every event keeps it (its own column), not copied into the detail.
    expect(event!.detail).not.toContain(INSIDER_ADDRESS);

    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    expect(
      await eventually(() => {
        const rows = queryDb<{ n: number }>(
          server.dbFile,
          'select count(*) as n from alerts where rule = ? and subject = ?',
          RULE,
          file.personId,
        );
        return rows[0]!.n === 1;
      }, 10_000),
    ).toBe(true);
    const [alert] = await alertsAbout(dpo, file.personId);
    expect(alert).toMatchObject({ severity: 'high' });
    expect(alert!.title).toMatch(/agent/);
  });

  it('raises nothing when the claim comes from another address, even one another agent used', async () => {
    const file = await paperFileWithLetter(INSIDER_ADDRESS);
    // Another agent of the accueil at the claimant's address: only the inviter's addresses count.
    await new ClientAt(server.baseUrl, HOME_ADDRESS).login(server.account('instructeur'));
    const claimant = await freshUsagerAt(HOME_ADDRESS);
    const claimed = await claimant.post('/api/v1/invitations/claim', {
      json: { code: file.code, birthDate: file.birthDate },
    });
    expect(claimed.status, claimed.text).toBe(200);
    expect(
      queryDb<{ n: number }>(
        server.dbFile,
        "select count(*) as n from security_events where kind = 'invitation.claimed' and object_id = ?",
        file.personId,
      )[0]!.n,
    ).toBe(1);
    expect(insiderEvents(file.personId)).toEqual([]);

    // Longer than a detection pass: an alert not raised by then was not raised.
    await new Promise((r) => setTimeout(r, 1_500));
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    expect(await alertsAbout(dpo, file.personId)).toEqual([]);
  });
});
