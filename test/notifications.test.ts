/**
 * The usager is told when their file changes, by a mail that says nothing of it. Over real
 * HTTP and a real SMTP receiver: each wired event sends exactly one mail to the person's
 * account and one to each representative under a mandate valid today (none to one whose
 * mandate ended), no mail carries a name, a birth date, a NIR, a right code, a case reference
 * or a message's text, and an optional notice switched off is not sent while a mandatory one is.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, fileForm } from './harness/client.js';
import { samplePdf } from '../src/modules/documents/sample-files.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { startMailbox, type Mailbox, type ReceivedMail } from './support/mailbox.js';
import { stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';
import { decide, sessionInProgressFor } from './support/cdaph-session.js';

let mailbox: Mailbox;
let server: RunningServer;
let world: World;
let instructeur: Client;
const caseOf = { awaiting: '', cdaph: '' };
const to = { usager: '', parent: '', lapsed: '' };

const login = (label: string) => new Client(server.baseUrl).login(server.account(label, '44'));
const inDays = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const frenchDay = (iso: string) => iso.split('-').reverse().join('/');

beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startServer({ env: { CLOISON_SMTP_URL: mailbox.url } });
  world = readWorld(server.dbFile);
  const bruno = server.account('usager-2', '44');
  to.usager = bruno.email;
  to.parent = server.account('parent', '44').email;
  to.lapsed = server.account('aidant-expire', '44').email;
  const person = world.persons.find((p) => p.account_id === bruno.id)!;
  const cases = world.cases.filter((c) => c.person_id === person.id);
  caseOf.awaiting = cases.find((c) => c.status === 'attente_pieces')!.id;
  caseOf.cdaph = cases.find((c) => c.status === 'attente_cdaph')!.id;
  // The parent also represents Bruno, under a verified mandate valid today; the seeded carer's
  // mandate over him ended last year.
  writeDb(
    server.dbFile,
    `insert into mandates (id, tenant_id, representative_account_id, person_id, kind, starts_on,
       ends_on, verified_by, verified_at, created_at)
     values (?, ?, ?, ?, 'aidant', ?, ?, ?, ?, ?)`,
    randomUUID(),
    person.tenant_id,
    server.account('parent', '44').id,
    person.id,
    inDays(-30),
    inDays(365),
    server.account('accueil', '44').id,
    new Date().toISOString(),
    new Date().toISOString(),
  );
  instructeur = await login('instructeur-sud');
}, 60_000);
afterAll(async () => {
  await stopAndRemove(server);
  await mailbox?.close();
});

/** What no mail may say: every person's identity, every case reference, every right code. */
function secrets(): string[] {
  return [
    ...world.persons.flatMap((p) => [
      p.first_name,
      p.last_name,
      p.birth_date,
      frenchDay(p.birth_date),
      ...(p.nir ? [p.nir] : []),
      ...(p.address ? [p.address] : []),
    ]),
    ...world.cases.map((c) => c.reference),
    ...world.cases.map((c) => c.id),
    ...server.accounts.filter((a) => a.kind === 'usager').map((a) => a.displayName),
  ];
}

function expectNothingPersonal(mail: ReceivedMail, extra: string[] = []): void {
  const whole = `${mail.subject}\n${mail.text}`;
  for (const s of [...secrets(), ...extra]) expect(whole, s).not.toContain(s);
  for (const code of ['AAH', 'PCH', 'CMI', 'RQTH', 'AEEH']) {
    expect(whole).not.toMatch(new RegExp(`\\b${code}\\b`));
  }
  expect(mail.text).toContain(server.baseUrl.replace('127.0.0.1', 'localhost'));
}

/**
 * The mails each party got since `since`, once the receiver has been quiet a while: an extra
 * mail would show up within that time.
 */
async function mailsSince(
  since: number,
  waitFor: string[],
): Promise<{ usager: ReceivedMail[]; parent: ReceivedMail[]; lapsed: ReceivedMail[] }> {
  for (const address of waitFor) await mailbox.waitFor(address, { since });
  await new Promise((r) => setTimeout(r, 1_500));
  const after = mailbox.messages.slice(since);
  const of = (address: string) => after.filter((m) => m.to.includes(address.toLowerCase()));
  return { usager: of(to.usager), parent: of(to.parent), lapsed: of(to.lapsed) };
}

const move = (caseId: string, body: Record<string, string>) =>
  instructeur.post(`/api/v1/cases/${caseId}/transitions`, { json: body });

describe('notices about a case', () => {
  it('a request for pieces reaches the person and their active representative once, with the deadline only', async () => {
    expect((await move(caseOf.awaiting, { to: 'depose' })).status).toBe(200);
    const deadline = inDays(20);
    const since = mailbox.messages.length;
    const res = await move(caseOf.awaiting, { to: 'attente_pieces', piecesDeadline: deadline });
    expect(res.status, res.text).toBe(200);
    const got = await mailsSince(since, [to.usager, to.parent]);
    expect(got.usager).toHaveLength(1);
    expect(got.parent).toHaveLength(1);
    expect(got.lapsed).toHaveLength(0);
    for (const mail of [...got.usager, ...got.parent]) {
      expect(mail.subject).toBe('Des pièces sont attendues pour votre dossier');
      expect(mail.text).toContain(frenchDay(deadline));
      expectNothingPersonal(mail);
    }
    // Nothing stays behind once sent: the outbox forgets the content with the row.
    expect(queryDb(server.dbFile, "select id from outbox where status <> 'bounced'")).toEqual([]);
  });

  it('a rejected piece asks the person and their representative again, without saying which', async () => {
    const bruno = await login('usager-2');
    const up = await bruno.post(
      `/api/v1/cases/${caseOf.awaiting}/documents?category=address&piece=domicile`,
      { body: fileForm(samplePdf('Quittance'), 'quittance.pdf', 'application/pdf') },
    );
    expect(up.status, up.text).toBe(201);
    const documentId = (up.json as { id: string }).id;
    const accueil = await login('accueil');
    const since = mailbox.messages.length;
    const reason = `Quittance illisible ${randomUUID()}`;
    const res = await accueil.post(`/api/v1/documents/${documentId}/review`, {
      json: { decision: 'rejected', reason },
    });
    expect(res.status, res.text).toBe(200);
    const got = await mailsSince(since, [to.usager, to.parent]);
    expect(got.usager).toHaveLength(1);
    expect(got.parent).toHaveLength(1);
    expect(got.lapsed).toHaveLength(0);
    for (const mail of [...got.usager, ...got.parent]) {
      expect(mail.subject).toBe('Une pièce de votre dossier est à remplacer');
      expectNothingPersonal(mail, [reason, 'quittance']);
    }
  });

  it('a message from an agent is announced, never quoted', async () => {
    const text = `Bonjour, il manque le justificatif ${randomUUID()}.`;
    const since = mailbox.messages.length;
    const res = await instructeur.post(`/api/v1/cases/${caseOf.awaiting}/messages`, {
      json: { body: text },
    });
    expect(res.status, res.text).toBe(201);
    const got = await mailsSince(since, [to.usager, to.parent]);
    expect(got.usager).toHaveLength(1);
    expect(got.parent).toHaveLength(1);
    expect(got.lapsed).toHaveLength(0);
    for (const mail of [...got.usager, ...got.parent]) {
      expect(mail.subject).toBe('Vous avez un nouveau message de votre MDPH');
      expectNothingPersonal(mail, [text, 'justificatif']);
    }
  });

  it('the usager’s own message mails nobody', async () => {
    const usager = await login('usager-2');
    const since = mailbox.messages.length;
    const res = await usager.post(`/api/v1/cases/${caseOf.awaiting}/messages`, {
      json: { body: 'Je vous envoie le certificat demain.' },
    });
    expect(res.status, res.text).toBe(201);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(mailbox.messages.slice(since)).toEqual([]);
  });

  it('a decision is announced as available; the step before it as a change', async () => {
    // Decided in the CDAPH session that has the case on its agenda (the demo plans one today),
    // by the secretariat.
    const responsable = await login('responsable');
    await sessionInProgressFor(
      responsable,
      server.dbFile,
      caseOf.cdaph,
      server.account('cdaph', '44').id,
    );
    for (const right of ['AAH', 'PCH']) {
      const res = await decide(responsable, caseOf.cdaph, right, 'accord');
      expect(res.status, res.text).toBe(200);
    }
    let since = mailbox.messages.length;
    expect((await move(caseOf.cdaph, { to: 'decide' })).status).toBe(200);
    let got = await mailsSince(since, [to.usager, to.parent]);
    expect(got.usager.map((m) => m.subject)).toEqual(['Votre dossier a évolué']);
    expect(got.parent.map((m) => m.subject)).toEqual(['Votre dossier a évolué']);
    expect(got.lapsed).toHaveLength(0);

    since = mailbox.messages.length;
    expect((await move(caseOf.cdaph, { to: 'notifie' })).status).toBe(200);
    got = await mailsSince(since, [to.usager, to.parent]);
    expect(got.usager.map((m) => m.subject)).toEqual([
      'Une décision est disponible sur le portail',
    ]);
    expect(got.parent).toHaveLength(1);
    for (const mail of [...got.usager, ...got.parent]) expectNothingPersonal(mail, ['accord']);
  });

  it('an optional notice switched off is not sent; a mandatory one still is', async () => {
    const parent = await login('parent');
    const before = await parent.get('/api/v1/me/notification-preferences');
    expect(before.status).toBe(200);
    const items = (
      before.json as { items: Array<{ notice: string; enabled: boolean; mandatory: boolean }> }
    ).items;
    expect(items.find((i) => i.notice === 'agent-message')).toMatchObject({
      enabled: true,
      mandatory: false,
    });
    expect(items.find((i) => i.notice === 'pieces-requested')).toMatchObject({
      enabled: true,
      mandatory: true,
    });
    // A mandatory notice cannot be named, let alone switched off.
    const refused = await parent.put('/api/v1/me/notification-preferences', {
      json: { 'pieces-requested': false },
    });
    expect(refused.status).toBe(400);
    const off = await parent.put('/api/v1/me/notification-preferences', {
      json: { 'agent-message': false, 'case-changed': false },
    });
    expect(off.status, off.text).toBe(200);
    expect(
      (off.json as { items: Array<{ notice: string; enabled: boolean }> }).items.find(
        (i) => i.notice === 'agent-message',
      )?.enabled,
    ).toBe(false);

    let since = mailbox.messages.length;
    await instructeur.post(`/api/v1/cases/${caseOf.awaiting}/messages`, {
      json: { body: 'Un autre message.' },
    });
    let got = await mailsSince(since, [to.usager]);
    expect(got.usager).toHaveLength(1);
    expect(got.parent).toHaveLength(0);

    since = mailbox.messages.length;
    expect((await move(caseOf.awaiting, { to: 'depose' })).status).toBe(200);
    const res = await move(caseOf.awaiting, { to: 'attente_pieces', piecesDeadline: inDays(15) });
    expect(res.status, res.text).toBe(200);
    got = await mailsSince(since, [to.usager, to.parent]);
    expect(got.parent.map((m) => m.subject)).toEqual([
      'Des pièces sont attendues pour votre dossier',
    ]);
  });

  it('preferences are the usager’s own: staff are refused at the gate', async () => {
    const agent = await login('accueil');
    expect((await agent.get('/api/v1/me/notification-preferences')).status).toBe(403);
    expect(
      (
        await agent.put('/api/v1/me/notification-preferences', {
          json: { 'agent-message': false },
        })
      ).status,
    ).toBe(403);
    expect(
      (await new Client(server.baseUrl).get('/api/v1/me/notification-preferences')).status,
    ).toBe(401);
  });

  it('no log line carries a recipient’s address', () => {
    const output = server.output();
    expect(output).toContain('outbox: delivered');
    for (const address of Object.values(to)) expect(output).not.toContain(address);
  });
});
