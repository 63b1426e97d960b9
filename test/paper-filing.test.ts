import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, fileForm } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { expectProblem, problemSlug } from './support/problem.js';
import { stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';
import { samplePdf } from '../src/modules/documents/sample-files.js';

/**
 * A request that reaches the MDPH on paper, end to end over HTTP: the accueil registers a
 * person who has no account (a NIR already known is refused), files the case for them with the
 * scanned pieces, and invites them by a code printed on a letter; the person signs up and takes
 * the file over with that code and their birth date, and nothing else does.
 */

const GOOD_PASSWORD = 'une tuile verte sous la pluie';
const PERSON = {
  firstName: 'Hortense',
  lastName: `Papier-${Date.now()}`,
  birthDate: '1971-09-23',
  nir: '2710944109123',
  address: '12 quai de la Fosse, 44000 Nantes',
};

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

let seq = 0;
/** A usager account that signed up and verified its address, and is no person yet. */
async function freshUsager(tenant = '44'): Promise<{ client: Client; id: string }> {
  seq += 1;
  const email = `papier-${seq}-${Date.now()}@exemple.test`;
  const since = mailbox.messages.length;
  const anonymous = new Client(server.baseUrl);
  const signUp = await anonymous.post('/api/v1/auth/signup', {
    json: { email, password: GOOD_PASSWORD, displayName: 'Nouvel usager', tenant },
  });
  expect(signUp.status).toBe(202);
  const mail = await mailbox.waitFor(email, { since });
  const token = /#jeton=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
  expect((await anonymous.post('/api/v1/auth/verify-email', { json: { token } })).status).toBe(204);
  const client = await new Client(server.baseUrl).login({ email, password: GOOD_PASSWORD });
  const [row] = queryDb<{ id: string }>(
    server.dbFile,
    'select id from accounts where email = ?',
    email,
  );
  return { client, id: row!.id };
}

function personCount(): number {
  return queryDb<{ n: number }>(server.dbFile, 'select count(*) as n from persons')[0]!.n;
}

describe('paper filing', () => {
  let personId = '';
  let caseId = '';
  let code = '';

  it('registers a person without an account, every field sealed, and refuses a NIR already known', async () => {
    const accueil = await new Client(server.baseUrl).login(server.account('accueil'));
    const created = await accueil.post('/api/v1/persons/registrations', { json: PERSON });
    expect(created.status, created.text).toBe(201);
    personId = (created.json as { id: string }).id;
    expect(created.json).toMatchObject({
      firstName: PERSON.firstName,
      birthDate: PERSON.birthDate,
    });
    const [row] = queryDb<{ account_id: string | null; nir_index: string | null }>(
      server.dbFile,
      'select account_id, nir_index from persons where id = ?',
      personId,
    );
    expect(row).toMatchObject({ account_id: null, nir_index: expect.any(String) });

    // The same NIR typed with its control key is the same person: refused, nothing created.
    const before = personCount();
    const again = await accueil.post('/api/v1/persons/registrations', {
      json: {
        ...PERSON,
        firstName: 'Autre',
        nir: `${PERSON.nir}47`,
      },
    });
    expectProblem(again, 409);
    expect(problemSlug(again)).toBe('duplicate-person');
    expect(personCount()).toBe(before);
    // ...and the search the agent is sent to finds the one person.
    const found = await accueil.post('/api/v1/persons/search', { json: { nir: PERSON.nir } });
    expect((found.json as { items: { id: string }[] }).items.map((p) => p.id)).toEqual([personId]);

    const future = await accueil.post('/api/v1/persons/registrations', {
      json: { ...PERSON, nir: undefined, birthDate: '2999-01-01' },
    });
    expectProblem(future, 400);
    expect(personCount()).toBe(before);

    // Only the accueil registers: an instructeur is refused by the role gate.
    const instructeur = await new Client(server.baseUrl).login(server.account('instructeur'));
    const refused = await instructeur.post('/api/v1/persons/registrations', {
      json: { ...PERSON, nir: undefined },
    });
    expectProblem(refused, 403);
    expect(personCount()).toBe(before);
  });

  it('files the case with the scanned pieces and submits it for the person', async () => {
    const accueil = await new Client(server.baseUrl).login(server.account('accueil'));
    const opened = await accueil.post('/api/v1/cases', {
      json: { personId, rights: ['AAH', 'CMI'] },
    });
    expect(opened.status, opened.text).toBe(201);
    caseId = (opened.json as { id: string }).id;
    const pdf = samplePdf('formulaire');
    const upload = await accueil.post(
      `/api/v1/cases/${caseId}/documents?category=correspondence&piece=cerfa_15692`,
      { body: fileForm(pdf, 'cerfa-15692-scan.pdf', 'application/pdf') },
    );
    expect(upload.status, upload.text).toBe(201);
    const submitted = await accueil.post(`/api/v1/cases/${caseId}/transitions`, {
      json: { to: 'depose' },
    });
    expect(submitted.status, submitted.text).toBe(200);
    expect(submitted.json).toMatchObject({ status: 'depose' });
  });

  it('invites by a printed code that the database does not hold, for that person only', async () => {
    const accueil = await new Client(server.baseUrl).login(server.account('accueil'));
    const invited = await accueil.post(`/api/v1/persons/${personId}/invitations`, {
      json: { channel: 'letter' },
    });
    expect(invited.status, invited.text).toBe(201);
    code = (invited.json as { code: string }).code;
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const bare = code.replace(/-/g, '');
    for (const p of [server.dbFile, `${server.dbFile}-wal`]) {
      if (!fs.existsSync(p)) continue;
      const file = path.basename(p);
      const bytes = fs.readFileSync(p);
      expect(bytes.includes(Buffer.from(bare)), file).toBe(false);
      expect(bytes.includes(Buffer.from(code)), file).toBe(false);
    }

    // A person who has an account is reached through it: no invitation hands them to another.
    const owned = queryDb<{ id: string }>(
      server.dbFile,
      "select p.id from persons p join tenants t on t.id = p.tenant_id where t.code = '44' and p.account_id is not null limit 1",
    )[0]!.id;
    const refused = await accueil.post(`/api/v1/persons/${owned}/invitations`, {
      json: { channel: 'letter' },
    });
    const missing = await accueil.post(`/api/v1/persons/${crypto.randomUUID()}/invitations`, {
      json: { channel: 'letter' },
    });
    expect(refused.status).toBe(404);
    expect(refused.text).toBe(missing.text);
  });

  it('gives one answer to a wrong code and to a right code with a wrong birth date, and retires a code tried too often', async () => {
    const guesser = await freshUsager();
    const wrongCode = await guesser.client.post('/api/v1/invitations/claim', {
      json: { code: 'ZZZZ-ZZZZ-ZZZZ', birthDate: PERSON.birthDate },
    });
    const wrongDate = await guesser.client.post('/api/v1/invitations/claim', {
      json: { code, birthDate: '1971-09-24' },
    });
    expectProblem(wrongCode, 400);
    expect(problemSlug(wrongCode)).toBe('invitation-invalid');
    expect(wrongDate.status).toBe(wrongCode.status);
    expect(wrongDate.text).toBe(wrongCode.text);
    const failures = queryDb<{ n: number }>(
      server.dbFile,
      "select count(*) as n from security_events where kind = 'invitation.claim-failed' and account_id = ?",
      guesser.id,
    )[0]!.n;
    expect(failures).toBe(2);
    expect(
      queryDb<{ account_id: string | null }>(
        server.dbFile,
        'select account_id from persons where id = ?',
        personId,
      )[0]!.account_id,
    ).toBeNull();

    // Wrong birth dates against the real code, from several accounts: after five the code is
    // retired, and then even the right birth date is refused with the same answer.
    for (let i = 0; i < 4; i += 1) {
      const other = await freshUsager();
      await other.client.post('/api/v1/invitations/claim', {
        json: { code, birthDate: `1972-01-0${i + 1}` },
      });
    }
    const late = await freshUsager();
    const right = await late.client.post('/api/v1/invitations/claim', {
      json: { code, birthDate: PERSON.birthDate },
    });
    expect(right.text).toBe(wrongCode.text);

    // The accueil sends a new letter; its code works.
    const accueil = await new Client(server.baseUrl).login(server.account('accueil'));
    const invited = await accueil.post(`/api/v1/persons/${personId}/invitations`, {
      json: { channel: 'letter' },
    });
    code = (invited.json as { code: string }).code;
  });

  it('throttles the guesses of one account, counted before the code is looked at', async () => {
    const guesser = await freshUsager();
    let throttled = null;
    for (let i = 0; i < 12 && throttled === null; i += 1) {
      const res = await guesser.client.post('/api/v1/invitations/claim', {
        json: { code: `ZZZZ-ZZZZ-ZZ${String(i).padStart(2, '0')}`, birthDate: PERSON.birthDate },
      });
      if (res.status === 429) throttled = i;
    }
    expect(throttled).not.toBeNull();
    // Locked: the right code and birth date are refused too, and the person stays unclaimed.
    const right = await guesser.client.post('/api/v1/invitations/claim', {
      json: { code, birthDate: PERSON.birthDate },
    });
    expect(right.status).toBe(429);
    expect(
      queryDb<{ account_id: string | null }>(
        server.dbFile,
        'select account_id from persons where id = ?',
        personId,
      )[0]!.account_id,
    ).toBeNull();
  });

  it('hands the file to the person who has the code and knows the birth date, once', async () => {
    const person = await freshUsager();
    const before = await person.client.get(`/api/v1/cases/${caseId}`);
    expect(before.status).toBe(404);
    const claimed = await person.client.post('/api/v1/invitations/claim', {
      json: { code: code.toLowerCase().replace(/-/g, ' '), birthDate: PERSON.birthDate },
    });
    expect(claimed.status, claimed.text).toBe(200);
    expect(claimed.json).toMatchObject({ id: personId, relation: 'self' });
    const mine = await person.client.get(`/api/v1/cases/${caseId}`);
    expect(mine.status).toBe(200);
    expect(mine.json).toMatchObject({ status: 'depose', personId });

    // Used: nobody else takes it over with the same code.
    const second = await freshUsager();
    const reuse = await second.client.post('/api/v1/invitations/claim', {
      json: { code, birthDate: PERSON.birthDate },
    });
    expect(problemSlug(reuse)).toBe('invitation-invalid');
    // And the person, now held by an account, gets no new invitation.
    const accueil = await new Client(server.baseUrl).login(server.account('accueil'));
    const again = await accueil.post(`/api/v1/persons/${personId}/invitations`, {
      json: { channel: 'letter' },
    });
    expect(again.status).toBe(404);
  });
  it('never invites a represented person: their representative holds the file', async () => {
    const accueil = await new Client(server.baseUrl).login(server.account('accueil'));
    const child = queryDb<{ id: string }>(
      server.dbFile,
      "select p.id from persons p join mandates m on m.person_id = p.id join tenants t on t.id = p.tenant_id where t.code = '44' and p.account_id is null limit 1",
    )[0]!.id;
    const refused = await accueil.post(`/api/v1/persons/${child}/invitations`, {
      json: { channel: 'letter' },
    });
    const missing = await accueil.post(`/api/v1/persons/${crypto.randomUUID()}/invitations`, {
      json: { channel: 'letter' },
    });
    expect(refused.status).toBe(404);
    expect(refused.text).toBe(missing.text);
    expect(
      queryDb<{ n: number }>(
        server.dbFile,
        'select count(*) as n from person_invitations where person_id = ?',
        child,
      )[0]!.n,
    ).toBe(0);
  });

  it('mails the code to an address for the person, a mail that names nobody, and a usager of another département cannot use it', async () => {
    const accueil = await new Client(server.baseUrl).login(server.account('accueil'));
    const other = {
      ...PERSON,
      nir: undefined,
      firstName: 'Lucienne',
      lastName: `Courriel-${Date.now()}`,
    };
    const registered = await accueil.post('/api/v1/persons/registrations', { json: other });
    const otherId = (registered.json as { id: string }).id;
    const address = `lucienne-${Date.now()}@exemple.test`;
    const since = mailbox.messages.length;
    const invited = await accueil.post(`/api/v1/persons/${otherId}/invitations`, {
      json: { channel: 'email', email: address },
    });
    expect(invited.status, invited.text).toBe(201);
    expect((invited.json as { code: string | null }).code).toBeNull();
    const mail = await mailbox.waitFor(address, { since });
    const mailed = /Code : ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(mail.text)?.[1];
    expect(mailed).toBeDefined();
    for (const secret of [other.firstName, other.lastName, other.birthDate, other.address]) {
      expect(mail.text).not.toContain(secret);
      expect(mail.subject).not.toContain(secret);
    }

    const foreign = await freshUsager('85');
    const refused = await foreign.client.post('/api/v1/invitations/claim', {
      json: { code: mailed, birthDate: other.birthDate },
    });
    expect(problemSlug(refused)).toBe('invitation-invalid');
    const owner = await freshUsager();
    const claimed = await owner.client.post('/api/v1/invitations/claim', {
      json: { code: mailed, birthDate: other.birthDate },
    });
    expect(claimed.status, claimed.text).toBe(200);
    const events = queryDb<{ n: number }>(
      server.dbFile,
      "select count(*) as n from security_events where kind = 'invitation.claimed' and object_id = ?",
      otherId,
    )[0]!.n;
    expect(events).toBe(1);
  });

  it('refuses a claim once the person has a representative, even with the right code and birth date', async () => {
    const accueil = await new Client(server.baseUrl).login(server.account('accueil'));
    const held = {
      ...PERSON,
      nir: undefined,
      firstName: 'Tutelle',
      lastName: `Tardive-${Date.now()}`,
    };
    const id = (
      (await accueil.post('/api/v1/persons/registrations', { json: held })).json as {
        id: string;
      }
    ).id;
    const code = (
      (await accueil.post(`/api/v1/persons/${id}/invitations`, { json: { channel: 'letter' } }))
        .json as { code: string }
    ).code;
    // A mandate recorded after the letter left: the claim is decided again on what holds now.
    const [tenant] = queryDb<{ tenant_id: string }>(
      server.dbFile,
      'select tenant_id from persons where id = ?',
      id,
    );
    writeDb(
      server.dbFile,
      `insert into mandates (id, tenant_id, representative_account_id, person_id, kind, starts_on,
         ends_on, verified_by, verified_at, created_at)
       values (?, ?, ?, ?, 'tuteur', '2020-01-01', '2099-01-01', null, null, ?)`,
      crypto.randomUUID(),
      tenant!.tenant_id,
      server.account('parent').id,
      id,
      new Date().toISOString(),
    );
    const claimant = await freshUsager();
    const refused = await claimant.client.post('/api/v1/invitations/claim', {
      json: { code, birthDate: held.birthDate },
    });
    expect(problemSlug(refused)).toBe('invitation-invalid');
    expect(
      queryDb<{ account_id: string | null }>(
        server.dbFile,
        'select account_id from persons where id = ?',
        id,
      )[0]!.account_id,
    ).toBeNull();
  });

  it('erases a person who was invited, invitations included', async () => {
    const accueil = await new Client(server.baseUrl).login(server.account('accueil'));
    const gone = {
      ...PERSON,
      nir: undefined,
      firstName: 'Effacée',
      lastName: `Invitée-${Date.now()}`,
    };
    const id = (
      (await accueil.post('/api/v1/persons/registrations', { json: gone })).json as {
        id: string;
      }
    ).id;
    await accueil.post(`/api/v1/persons/${id}/invitations`, { json: { channel: 'letter' } });
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    const erased = await dpo.post(`/api/v1/persons/${id}/erasure`, {
      json: { reason: 'right-to-erasure' },
    });
    expect(erased.status, erased.text).toBe(201);
    for (const table of ['persons', 'person_invitations']) {
      const column = table === 'persons' ? 'id' : 'person_id';
      expect(
        queryDb<{ n: number }>(
          server.dbFile,
          `select count(*) as n from ${table} where ${column} = ?`,
          id,
        )[0]!.n,
      ).toBe(0);
    }
  });
});

describe('the demo', () => {
  it('holds a letter invitation for a person filed on paper, which its newcomer claims', async () => {
    const newcomer = server.account('nouveau', '44');
    const letter = newcomer.invitation!;
    expect(letter.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(Date.parse(letter.expiresAt)).toBeGreaterThan(Date.now());
    const client = await new Client(server.baseUrl).login(newcomer);
    const before = await client.get('/api/v1/cases');
    expect(before.status).toBe(200);
    expect((before.json as { items: unknown[] }).items).toEqual([]);
    const claimed = await client.post('/api/v1/invitations/claim', {
      json: { code: letter.code, birthDate: letter.birthDate },
    });
    expect(claimed.status, claimed.text).toBe(200);
    expect(claimed.json).toMatchObject({ relation: 'self' });
    const [held] = queryDb<{ account_id: string | null }>(
      server.dbFile,
      'select account_id from persons where id = ?',
      (claimed.json as { id: string }).id,
    );
    expect(held!.account_id).toBe(newcomer.id);
  });
});
