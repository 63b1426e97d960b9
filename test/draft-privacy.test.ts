/**
 * A draft is its author's until it is submitted (README, web interface), over real HTTP: the
 * agents of the draft's own département (accueil, responsable, the instructeur and évaluateur
 * even when named on it, the CDAPH) and the département's integration find it in no list and
 * reach it by no route. Each answer is byte-identical to the one for an id that does not exist,
 * nothing changes, and nothing the usager typed leaves the server. Submitting it is what opens
 * it to the agents. A paper draft the accueil opened for a person stays that agent's: another
 * accueil of the same département and the responsable do not see it before it is submitted.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf } from '../src/modules/documents/sample-files.js';
import { INTEGRATION_ACTIONS } from '../src/policy/actions.js';
import { Client, fileForm, type HttpResult } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { domainFingerprint, queryDb, readWorld } from './harness/world.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

interface Detail {
  id: string;
  reference: string;
  status: string;
  summary: string | null;
}
interface Listed {
  items: Array<{ id: string }>;
}

type Send = (client: Client, id: string) => Promise<HttpResult>;

/** Every route that reaches one case, with a body its schema accepts. */
const CASE_ROUTES: ReadonlyArray<readonly [string, Send]> = [
  ['read', (c, id) => c.get(`/api/v1/cases/${id}`)],
  [
    'edit draft',
    (c, id) =>
      c.put(`/api/v1/cases/${id}/draft`, { json: { rights: ['AAH'], situation: 'réécrit' } }),
  ],
  ['submit', (c, id) => c.post(`/api/v1/cases/${id}/transitions`, { json: { to: 'depose' } })],
  ['withdraw', (c, id) => c.post(`/api/v1/cases/${id}/transitions`, { json: { to: 'retire' } })],
  ['assign', (c, id) => c.put(`/api/v1/cases/${id}/assignment`, { json: { team: 'equipe-sud' } })],
  [
    'decide',
    (c, id) =>
      c.put(`/api/v1/cases/${id}/rights/AAH/decision`, {
        json: { decision: 'accord', reason: 'sans objet' },
      }),
  ],
  [
    'break-glass',
    (c, id) =>
      c.post(`/api/v1/cases/${id}/break-glass`, {
        json: { reason: 'Appel de la personne, vérification urgente du dossier', minutes: 5 },
      }),
  ],
  ['documents', (c, id) => c.get(`/api/v1/cases/${id}/documents`)],
  [
    'upload',
    (c, id) =>
      c.post(`/api/v1/cases/${id}/documents?category=other`, {
        body: fileForm(samplePdf('piece'), 'piece.pdf', 'application/pdf'),
      }),
  ],
  ['messages', (c, id) => c.get(`/api/v1/cases/${id}/messages`)],
  ['message', (c, id) => c.post(`/api/v1/cases/${id}/messages`, { json: { body: 'bonjour' } })],
  ['notes', (c, id) => c.get(`/api/v1/cases/${id}/notes`)],
  ['note', (c, id) => c.post(`/api/v1/cases/${id}/notes`, { json: { body: 'note' } })],
];

/** The queue and its narrowings: none may bring a draft back. */
const LISTINGS = [
  '',
  '&status=brouillon',
  '&assignee=none',
  '&assignee=me',
  '&team=equipe-nord',
  '&sort=deadline',
].map((q) => `/api/v1/cases?limit=200${q}`);

const GOOD_PASSWORD = 'trois chevaux bleus dans la prairie';

let mailbox: Mailbox;
let server: RunningServer;
const staff = new Map<string, Client>();
/** The département's own system: a token holding every permission an integration may hold. */
let integration: Client;
/** A second agent d'accueil of MDPH 44, created through the staff lifecycle. */
let otherAccueil: Client;

/** Answers an agent got about a draft not theirs: none may hold anything of the draft. */
type Answers = Array<{ who: string; what: string; res: HttpResult }>;

const login = (label: string) => new Client(server.baseUrl).login(server.account(label, '44'));

/** Asks an admin for a staff account, has the second admin approve it, and activates it. */
async function newStaffMember(role: string, email: string, displayName: string) {
  const admin = await login('admin');
  const asked = await admin.post('/api/v1/staff', { json: { email, displayName, role } });
  expect(asked.status, asked.text).toBe(201);
  const { requestId } = asked.json as { requestId: string };
  const since = mailbox.messages.length;
  const approved = await (
    await login('admin-2')
  ).post(`/api/v1/staff-requests/${requestId}/approve`);
  expect(approved.status, approved.text).toBe(200);
  const mail = await mailbox.waitFor(email, { since });
  const token = /#jeton=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  const activated = await new Client(server.baseUrl).post('/api/v1/auth/activate', {
    json: { token, password: GOOD_PASSWORD },
  });
  expect(activated.status, activated.text).toBe(200);
  return new Client(server.baseUrl).login({ email, password: GOOD_PASSWORD });
}

async function integrationClient(): Promise<Client> {
  const created = await (
    await login('admin')
  ).post('/api/v1/integration-tokens', {
    json: {
      name: 'brouillons',
      permissions: [...INTEGRATION_ACTIONS],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  expect(created.status, created.text).toBe(201);
  const { id, token } = created.json as { id: string; token: string };
  const approved = await (await login('admin-2')).post(`/api/v1/integration-tokens/${id}/approve`);
  expect(approved.status, approved.text).toBe(200);
  const client = new Client(server.baseUrl);
  client.bearer = token;
  return client;
}

/** The actor's answer on the case is the answer on an id that names nothing, byte for byte. */
async function expectLikeMissing(log: Answers, who: string, client: Client, caseId: string) {
  for (const [what, send] of CASE_ROUTES) {
    const res = await send(client, caseId);
    const missing = await send(client, randomUUID());
    log.push({ who, what, res });
    expect([403, 404], `${who} ${what}: ${res.status} ${res.text}`).toContain(res.status);
    expect(res.status, `${who} ${what}`).toBe(missing.status);
    expect(res.text, `${who} ${what}`).toBe(missing.text);
    expect(res.headers.get('content-type'), `${who} ${what}`).toBe(
      missing.headers.get('content-type'),
    );
  }
}

/** The ids listed to the actor across the queue and its filters, every answer remembered. */
async function listedTo(log: Answers, who: string, client: Client): Promise<string[]> {
  const ids: string[] = [];
  for (const url of LISTINGS) {
    const res = await client.get(url);
    expect(res.status, `${who} ${url}: ${res.text}`).toBe(200);
    log.push({ who, what: url, res });
    ids.push(...(res.json as Listed).items.map((i) => i.id));
  }
  return ids;
}

beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startServer({ env: { CLOISON_SMTP_URL: mailbox.url } });
  for (const label of [
    'accueil',
    'responsable',
    'instructeur',
    'instructeur-sud',
    'evaluateur',
    'cdaph',
  ]) {
    staff.set(label, await login(label));
  }
  integration = await integrationClient();
  otherAccueil = await newStaffMember('accueil', 'ines.garnier@mdph44.fr', 'Inès Garnier');
}, 180_000);
afterAll(async () => {
  await stopAndRemove(server);
  await mailbox.close();
});

describe('a usager’s draft', () => {
  const situation = `Situation tapée par la personne ${randomUUID()}`;
  const message = `Message sur le brouillon ${randomUUID()}`;
  const fileName = `releve-${randomUUID().slice(0, 8)}.pdf`;
  let usager: Client;
  let draft: Detail;
  let documentId = '';
  /** Everything of the draft that would identify it or tell what the usager typed. */
  let secrets: string[] = [];
  const answers: Answers = [];

  beforeAll(async () => {
    usager = await login('usager');
    const self = (
      (await usager.get('/api/v1/persons')).json as {
        items: Array<{ id: string; relation: string }>;
      }
    ).items.find((p) => p.relation === 'self')!;
    const created = await usager.post('/api/v1/cases', {
      json: { personId: self.id, rights: ['AAH', 'PCH'] },
    });
    expect(created.status, created.text).toBe(201);
    draft = created.json as Detail;
    const saved = await usager.put(`/api/v1/cases/${draft.id}/draft`, {
      json: { rights: ['AAH', 'PCH'], situation },
    });
    expect(saved.status, saved.text).toBe(200);
    const up = await usager.post(`/api/v1/cases/${draft.id}/documents?category=other`, {
      body: fileForm(samplePdf('releve'), fileName, 'application/pdf'),
    });
    expect(up.status, up.text).toBe(201);
    documentId = (up.json as { id: string }).id;
    const sent = await usager.post(`/api/v1/cases/${draft.id}/messages`, {
      json: { body: message },
    });
    expect(sent.status, sent.text).toBe(201);
    // As if it had been assigned while drafts were still open to the responsable: being named
    // on a draft must not open it either.
    writeDb(
      server.dbFile,
      "update cases set team = 'equipe-nord', instructeur_id = ?, evaluateur_id = ? where id = ?",
      server.account('instructeur').id,
      server.account('evaluateur').id,
      draft.id,
    );
    secrets = [draft.id, draft.reference, situation, message, fileName, documentId];
  });

  it('is listed to no agent and no integration, whatever the queue’s filters', async () => {
    for (const [label, client] of [...staff, ['integration', integration] as const]) {
      expect(await listedTo(answers, label, client), label).not.toContain(draft.id);
    }
    expect(await listedTo(answers, 'accueil (second)', otherAccueil)).not.toContain(draft.id);
    // The author lists it, with the same request.
    expect(((await usager.get('/api/v1/cases?limit=200')).json as Listed).items).toContainEqual(
      expect.objectContaining({ id: draft.id }),
    );
  });

  it('answers every agent, on every route, exactly as an id that does not exist', async () => {
    const before = domainFingerprint(server.dbFile);
    for (const [label, client] of staff) await expectLikeMissing(answers, label, client, draft.id);
    await expectLikeMissing(answers, 'accueil (second)', otherAccueil, draft.id);
    await expectLikeMissing(answers, 'integration', integration, draft.id);
    // The roles that read or write on a case get the 404 of a missing case, not just a gate.
    for (const label of ['accueil', 'responsable', 'instructeur', 'evaluateur']) {
      const read = answers.find((a) => a.who === label && a.what === 'read')!;
      expect(read.res.status, label).toBe(404);
    }
    expect(domainFingerprint(server.dbFile)).toBe(before);
    expect(
      queryDb(server.dbFile, 'select id from break_glass_grants where case_id = ?', draft.id),
    ).toEqual([]);
  });

  it('has its document refused to every agent like a document that does not exist', async () => {
    const download = (c: Client, id: string) => c.get(`/api/v1/documents/${id}/content`);
    for (const [label, client] of [...staff, ['accueil (second)', otherAccueil] as const]) {
      const res = await download(client, documentId);
      const missing = await download(client, randomUUID());
      answers.push({ who: label, what: 'download', res });
      expect(res.status, label).toBe(missing.status);
      expect(res.text, label).toBe(missing.text);
    }
  });

  it('gives no agent anything the usager typed, nor its id or reference', () => {
    expect(answers.length).toBeGreaterThan(100);
    for (const { who, what, res } of answers) {
      for (const secret of secrets) {
        expect(res.text.includes(secret), `${who} ${what} leaks ${secret}`).toBe(false);
      }
    }
  });

  it('stays whole in the usager’s own export, and no agent appears as having consulted it', async () => {
    const exported = await usager.get('/api/v1/me/data-export');
    expect(exported.status, exported.text).toBe(200);
    const entry = (
      exported.json as {
        cases: Array<{ case: Detail; messages: Array<{ body: string }>; documents: unknown[] }>;
      }
    ).cases.find((c) => c.case.id === draft.id);
    expect(entry?.case.summary).toBe(situation);
    expect(entry?.messages.map((m) => m.body)).toEqual([message]);
    expect(entry?.documents).toHaveLength(1);
    const consulted = await usager.get('/api/v1/me/consultations');
    expect(consulted.status).toBe(200);
    const items = (consulted.json as { items: Array<{ caseReference: string }> }).items;
    expect(items.filter((i) => i.caseReference === draft.reference)).toEqual([]);
  });

  it('reaches the agents once the usager submits it, what they typed included', async () => {
    const accueil = staff.get('accueil')!;
    const before = await accueil.get(`/api/v1/cases/${draft.id}`);
    expect(before.text).toBe((await accueil.get(`/api/v1/cases/${randomUUID()}`)).text);

    const submitted = await usager.post(`/api/v1/cases/${draft.id}/transitions`, {
      json: { to: 'depose' },
    });
    expect(submitted.status, submitted.text).toBe(200);

    for (const client of [accueil, otherAccueil, staff.get('responsable')!]) {
      const read = await client.get(`/api/v1/cases/${draft.id}`);
      expect(read.status, read.text).toBe(200);
      expect((read.json as Detail).summary).toBe(situation);
      expect((await client.get('/api/v1/cases?limit=200')).text).toContain(draft.id);
      const messages = await client.get(`/api/v1/cases/${draft.id}/messages`);
      expect(messages.text).toContain(message);
    }
    // The instructeur named on it and the team see it too, from now on.
    expect((await staff.get('instructeur')!.get(`/api/v1/cases/${draft.id}`)).status).toBe(200);
    // And the usager is shown who opened it.
    const consulted = await usager.get('/api/v1/me/consultations');
    const items = (consulted.json as { items: Array<{ caseReference: string; role: string }> })
      .items;
    expect(items).toContainEqual(
      expect.objectContaining({ caseReference: draft.reference, role: 'accueil' }),
    );
  });
});

describe('a paper draft the accueil opened for a person', () => {
  const situation = `Situation saisie au guichet ${randomUUID()}`;
  let draft: Detail;
  const answers: Answers = [];

  beforeAll(async () => {
    const world = readWorld(server.dbFile);
    const tenant = world.tenants.find((t) => t.code === '44')!.id;
    const decoys = new Set(world.decoys.map((d) => d.person_id));
    // The demo's child without an account, whose parent holds a verified mandate.
    const child = world.persons.find(
      (p) =>
        p.tenant_id === tenant &&
        p.account_id === null &&
        !decoys.has(p.id) &&
        world.mandates.some((m) => m.person_id === p.id && m.verified_at !== null),
    )!;
    const accueil = staff.get('accueil')!;
    const created = await accueil.post('/api/v1/cases', {
      json: { personId: child.id, rights: ['AEEH'] },
    });
    expect(created.status, created.text).toBe(201);
    draft = created.json as Detail;
    const saved = await accueil.put(`/api/v1/cases/${draft.id}/draft`, {
      json: { rights: ['AEEH'], situation },
    });
    expect(saved.status, saved.text).toBe(200);
  });

  it('is the accueil’s own, hidden from another accueil of the département and the responsable', async () => {
    const accueil = staff.get('accueil')!;
    expect(await listedTo([], 'accueil', accueil)).toContain(draft.id);
    const own = await accueil.get(`/api/v1/cases/${draft.id}`);
    expect(own.status).toBe(200);
    expect((own.json as Detail).summary).toBe(situation);
    expect(own.text).toContain('case.editDraft');

    const before = domainFingerprint(server.dbFile);
    for (const [label, client] of [
      ['accueil (second)', otherAccueil],
      ['responsable', staff.get('responsable')!],
    ] as const) {
      expect(await listedTo(answers, label, client), label).not.toContain(draft.id);
      await expectLikeMissing(answers, label, client, draft.id);
      const read = answers.at(-CASE_ROUTES.length)!;
      expect(read.what).toBe('read');
      expect(read.res.status, label).toBe(404);
    }
    expect(domainFingerprint(server.dbFile)).toBe(before);
    for (const { who, what, res } of answers) {
      for (const secret of [draft.id, draft.reference, situation]) {
        expect(res.text.includes(secret), `${who} ${what} leaks ${secret}`).toBe(false);
      }
    }
  });

  it('is read, not rewritten, by the parent who represents the child, and opens to all once submitted', async () => {
    // The person it is about (here through their representative) may see their own file; only
    // the author edits a draft.
    const parent = await login('parent');
    const read = await parent.get(`/api/v1/cases/${draft.id}`);
    expect(read.status).toBe(200);
    expect((read.json as Detail).summary).toBe(situation);
    const edit = (id: string) =>
      parent.put(`/api/v1/cases/${id}/draft`, { json: { rights: ['AEEH'], situation: 'x' } });
    expect((await edit(draft.id)).text).toBe((await edit(randomUUID())).text);

    const responsable = staff.get('responsable')!;
    expect((await responsable.get(`/api/v1/cases/${draft.id}`)).status).toBe(404);
    const submitted = await staff
      .get('accueil')!
      .post(`/api/v1/cases/${draft.id}/transitions`, { json: { to: 'depose' } });
    expect(submitted.status, submitted.text).toBe(200);
    for (const client of [otherAccueil, responsable]) {
      const after = await client.get(`/api/v1/cases/${draft.id}`);
      expect(after.status, after.text).toBe(200);
      expect((after.json as Detail).summary).toBe(situation);
    }
  });
});
