/**
 * The MDPH case workflow (PRODUCT.md "A case's life") over real HTTP against the real server
 * process and its SQLite file: who may move a case where, which guards hold it back, and that
 * every refusal is a problem+json that changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf } from '../src/modules/documents/sample-files.js';
import type { CaseDetail } from '../src/modules/cases/case.schemas.js';
import { Client, fileForm, type HttpResult } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import {
  domainFingerprint,
  queryDb,
  readWorld,
  type World,
  readTransitions,
} from './harness/world.js';
import { stopAndRemove } from './support/storage.js';
import { closeSession, decide, planSession } from './support/cdaph-session.js';

type Detail = Static<typeof CaseDetail>;

// ---- Helpers shared by every describe (each passes its own server) -------------------------

async function login(server: RunningServer, label: string, tenant: string | null = '44') {
  return new Client(server.baseUrl).login(server.account(label, tenant));
}

function move(client: Client, caseId: string, to: string, extra: Record<string, string> = {}) {
  return client.post(`/api/v1/cases/${caseId}/transitions`, { json: { to, ...extra } });
}

function upload(client: Client, caseId: string, category: string, piece: string) {
  // The medical certificate carries its date, here a week old.
  const issuedOn = piece === 'certificat_medical' ? `&issuedOn=${inDays(-7)}` : '';
  return client.post(
    `/api/v1/cases/${caseId}/documents?category=${category}&piece=${piece}${issuedOn}`,
    { body: fileForm(samplePdf(`Cloison test: ${piece}`), `${piece}.pdf`, 'application/pdf') },
  );
}

/** Accepts every current piece of the case the reviewer may review (document.policy.ts). */
async function acceptPieces(reviewer: Client, caseId: string): Promise<number> {
  const listed = await reviewer.get(`/api/v1/cases/${caseId}/documents`);
  const items = (
    listed.json as {
      items: Array<{
        id: string;
        category: string;
        piece: string | null;
        supersededBy: string | null;
      }>;
    }
  ).items;
  let accepted = 0;
  for (const d of items.filter((x) => x.piece !== null && x.supersededBy === null)) {
    const res = await reviewer.post(`/api/v1/documents/${d.id}/review`, {
      json: { decision: 'accepted' },
    });
    if (res.status === 200) accepted += 1;
  }
  return accepted;
}

function expectProblem(res: HttpResult, status: number, slug: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect((res.json as { type: string }).type).toBe(`urn:cloison:problem:${slug}`);
}

function detail(res: HttpResult): Detail {
  expect(res.status, res.text).toBe(200);
  return res.json as Detail;
}

interface TransitionRow {
  from_status: string;
  to_status: string;
  actor_account_id: string;
  comment: string | null;
}

function transitionsOf(server: RunningServer, caseId: string): TransitionRow[] {
  return readTransitions(server.dbFile, caseId);
}

function statusOf(server: RunningServer, caseId: string): string | undefined {
  return queryDb<{ status: string }>(
    server.dbFile,
    'select status from cases where id = ?',
    caseId,
  )[0]?.status;
}

/** The seeded case of a usager's own person in a status (see src/demo/seed.ts). */
function seededCase(
  server: RunningServer,
  world: World,
  owner: string,
  status: string,
  tenant = '44',
) {
  const accountId = server.account(owner, tenant).id;
  const person = world.persons.find((p) => p.account_id === accountId);
  const found = world.cases.find((c) => c.person_id === person?.id && c.status === status);
  if (!found) throw new Error(`no seeded ${status} case of ${owner}@${tenant}`);
  return found.id;
}

function seededChildCase(world: World, tenant = '44'): string {
  const tenantId = world.tenants.find((t) => t.code === tenant)?.id;
  const child = world.persons.find((p) => p.tenant_id === tenantId && p.first_name === 'Yanis');
  const found = world.cases.find((c) => c.person_id === child?.id);
  if (!found) throw new Error('no seeded child case');
  return found.id;
}

const inDays = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

// ---- The happy path, step by step, with the refusals met on the way ------------------------

describe('a request walks the whole MDPH workflow', () => {
  const LABELS = [
    'usager',
    'accueil',
    'instructeur',
    'instructeur-sud',
    'evaluateur',
    'evaluateur-2',
    'responsable',
    'cdaph',
  ] as const;
  let server: RunningServer;
  const as = {} as Record<(typeof LABELS)[number], Client>;
  let caseId = '';
  const id = (label: string) => server.account(label).id;

  beforeAll(async () => {
    server = await startServer();
    for (const label of LABELS) as[label] = await login(server, label);
  });
  afterAll(() => stopAndRemove(server));

  it('the usager opens a draft for themself (POST /cases)', async () => {
    const persons = await as.usager.get('/api/v1/persons');
    const self = (persons.json as { items: Array<{ id: string; relation: string }> }).items.find(
      (p) => p.relation === 'self',
    );
    const res = await as.usager.post('/api/v1/cases', {
      json: { personId: self?.id, rights: ['AAH', 'PCH'] },
    });
    expect(res.status, res.text).toBe(201);
    const draft = res.json as Detail;
    caseId = draft.id;
    expect(draft.status).toBe('brouillon');
    expect(draft.rights.map((r) => [r.code, r.decision])).toEqual([
      ['AAH', null],
      ['PCH', null],
    ]);
    expect(Object.values(draft.completeness).map((p) => p.supplied)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect([...draft.nextStatuses].sort()).toEqual(['depose', 'retire']);
    expect(transitionsOf(server, caseId)).toEqual([]);
  });

  it('uploads three pieces and submits; the accueil cannot declare it recevable yet', async () => {
    for (const [category, piece] of [
      ['correspondence', 'cerfa_15692'],
      ['identity', 'identite'],
      ['address', 'domicile'],
    ] as const) {
      expect((await upload(as.usager, caseId, category, piece)).status).toBe(201);
    }
    const submitted = detail(await move(as.usager, caseId, 'depose'));
    expect(submitted.status).toBe('depose');
    expect(submitted.submittedAt).not.toBeNull();

    const refused = await move(as.accueil, caseId, 'recevable');
    expectProblem(refused, 409, 'transition-guard');
    expect((refused.json as { detail: string }).detail).toContain('certificat_medical');
    expect(statusOf(server, caseId)).toBe('depose');
    expect(transitionsOf(server, caseId)).toHaveLength(1);
  });

  it('the accueil asks for the missing piece, with a deadline in the future', async () => {
    expectProblem(await move(as.accueil, caseId, 'attente_pieces'), 409, 'transition-guard');
    const today = inDays(0);
    const noFuture = await move(as.accueil, caseId, 'attente_pieces', { piecesDeadline: today });
    expectProblem(noFuture, 409, 'transition-guard');
    const deadline = inDays(30);
    const res = await move(as.accueil, caseId, 'attente_pieces', {
      piecesDeadline: deadline,
      comment: 'Certificat médical manquant',
    });
    expect(detail(res).status).toBe('attente_pieces');
    expect(detail(res).piecesDeadline).toBe(deadline);
  });

  it('the usager sends the medical certificate and hands the case back', async () => {
    expect((await upload(as.usager, caseId, 'medical', 'certificat_medical')).status).toBe(201);
    const back = detail(await move(as.usager, caseId, 'depose'));
    expect(back.status).toBe('depose');
    expect(Object.values(back.completeness).map((p) => p.supplied)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('the accueil declares it recevable once its pieces are accepted', async () => {
    // The accueil accepts the three pieces it may read; the certificate is the évaluateur
    // médical's, named on the case for that and named off again before instruction.
    expect(await acceptPieces(as.accueil, caseId)).toBe(3);
    const named = await as.responsable.put(`/api/v1/cases/${caseId}/assignment`, {
      json: { evaluateurId: id('evaluateur-2') },
    });
    expect(named.status, named.text).toBe(200);
    expect(await acceptPieces(as['evaluateur-2'], caseId)).toBe(1);
    const unnamed = await as.responsable.put(`/api/v1/cases/${caseId}/assignment`, {
      json: { evaluateurId: null },
    });
    expect(unnamed.status, unnamed.text).toBe(200);
    expect(detail(await move(as.accueil, caseId, 'recevable')).status).toBe('recevable');
  });

  it('only the responsable assigns; an instructeur sees the case once assigned', async () => {
    expectProblem(await as.instructeur.get(`/api/v1/cases/${caseId}`), 404, 'not-found');
    const selfAssign = await as.instructeur.put(`/api/v1/cases/${caseId}/assignment`, {
      json: { instructeurId: id('instructeur') },
    });
    expectProblem(selfAssign, 403, 'forbidden');
    const res = await as.responsable.put(`/api/v1/cases/${caseId}/assignment`, {
      json: { instructeurId: id('instructeur') },
    });
    expect(detail(res).instructeurId).toBe(id('instructeur'));
    expect((await as.instructeur.get(`/api/v1/cases/${caseId}`)).status).toBe(200);
    // Assignment is personal: the other team still sees nothing.
    expectProblem(await as['instructeur-sud'].get(`/api/v1/cases/${caseId}`), 404, 'not-found');
  });

  it('evaluation needs an évaluateur médical of the same département', async () => {
    expectProblem(await move(as.instructeur, caseId, 'evaluation'), 409, 'transition-guard');
    expectProblem(await as.evaluateur.get(`/api/v1/cases/${caseId}`), 404, 'not-found');
    const foreign = await as.responsable.put(`/api/v1/cases/${caseId}/assignment`, {
      json: { evaluateurId: server.account('evaluateur', '85').id },
    });
    expectProblem(foreign, 400, 'validation');
    const res = await as.responsable.put(`/api/v1/cases/${caseId}/assignment`, {
      json: { evaluateurId: id('evaluateur') },
    });
    expect(detail(res).evaluateurId).toBe(id('evaluateur'));
    expect(detail(await move(as.instructeur, caseId, 'evaluation')).status).toBe('evaluation');
  });

  let sessionId = '';
  it('only the assigned évaluateur sends the case to the CDAPH; its member reads it once on the agenda of a session they sit in', async () => {
    for (const label of ['instructeur', 'responsable'] as const) {
      expectProblem(await move(as[label], caseId, 'attente_cdaph'), 409, 'transition-not-allowed');
    }
    expectProblem(await move(as['evaluateur-2'], caseId, 'attente_cdaph'), 404, 'not-found');
    expectProblem(await as.cdaph.get(`/api/v1/cases/${caseId}`), 404, 'not-found');
    expect(detail(await move(as.evaluateur, caseId, 'attente_cdaph')).status).toBe('attente_cdaph');
    // Awaiting the CDAPH is not yet on an agenda: the member still sees nothing.
    expectProblem(await as.cdaph.get(`/api/v1/cases/${caseId}`), 404, 'not-found');
    sessionId = await planSession(as.responsable, [id('cdaph')], [caseId]);
    // On the agenda now: the CDAPH member reads it, and may not move it.
    expect((await as.cdaph.get(`/api/v1/cases/${caseId}`)).status).toBe(200);
    expectProblem(await move(as.cdaph, caseId, 'decide'), 403, 'forbidden');
  });

  it('the decision needs a decision on every requested right, taken in the session', async () => {
    // Planned, not yet opened: nothing is decided outside a session in progress.
    expectProblem(
      await decide(as.responsable, caseId, 'AAH', 'accord'),
      409,
      'no-session-in-progress',
    );
    expect((await as.responsable.post(`/api/v1/cdaph-sessions/${sessionId}/open`)).status).toBe(
      200,
    );
    expectProblem(await move(as.instructeur, caseId, 'decide'), 409, 'transition-guard');
    expect((await decide(as.responsable, caseId, 'AAH', 'accord')).status).toBe(200);
    expectProblem(await move(as.instructeur, caseId, 'decide'), 409, 'transition-guard');
    expectProblem(
      await decide(as.responsable, caseId, 'CMI', 'accord'),
      409,
      'right-not-requested',
    );
    // The secretariat records the commission's decisions: not the instructeur who prepared it.
    for (const label of ['instructeur', 'evaluateur', 'cdaph'] as const) {
      expectProblem(await decide(as[label], caseId, 'PCH', 'rejet'), 403, 'forbidden');
    }
    const all = detail(await decide(as.responsable, caseId, 'PCH', 'accord_partiel'));
    expect(all.rights.map((r) => r.decision)).toEqual(['accord', 'accord_partiel']);
    expect(all.rights.every((r) => r.sessionId === sessionId && r.validFrom !== null)).toBe(true);
    expect(detail(await move(as.instructeur, caseId, 'decide')).status).toBe('decide');
    // Decided: no more decisions, and off the CDAPH agenda once the session is closed.
    expectProblem(
      await decide(as.responsable, caseId, 'AAH', 'rejet'),
      409,
      'not-awaiting-decision',
    );
    expect((await closeSession(as.responsable, sessionId)).status).toBe(200);
    expectProblem(await as.cdaph.get(`/api/v1/cases/${caseId}`), 404, 'not-found');
  });

  it('the instruction notifies and closes; only the responsable archives', async () => {
    expect(detail(await move(as.instructeur, caseId, 'notifie')).status).toBe('notifie');
    const seen = detail(await as.usager.get(`/api/v1/cases/${caseId}`));
    expect(seen.status).toBe('notifie');
    expect(seen.rights.map((r) => [r.code, r.decision])).toEqual([
      ['AAH', 'accord'],
      ['PCH', 'accord_partiel'],
    ]);
    expect(detail(await move(as.instructeur, caseId, 'cloture')).status).toBe('cloture');
    expectProblem(await move(as.instructeur, caseId, 'archive'), 409, 'transition-not-allowed');
    expect(detail(await move(as.responsable, caseId, 'archive')).status).toBe('archive');
  });

  it('case_transitions records every step, who made it, and nothing for the refusals', () => {
    const who = Object.fromEntries(
      ['usager', 'accueil', 'instructeur', 'evaluateur', 'responsable'].map((l) => [id(l), l]),
    );
    const steps = transitionsOf(server, caseId).map((t) => [
      t.from_status,
      t.to_status,
      who[t.actor_account_id],
    ]);
    expect(steps).toEqual([
      ['brouillon', 'depose', 'usager'],
      ['depose', 'attente_pieces', 'accueil'],
      ['attente_pieces', 'depose', 'usager'],
      ['depose', 'recevable', 'accueil'],
      ['recevable', 'evaluation', 'instructeur'],
      ['evaluation', 'attente_cdaph', 'evaluateur'],
      ['attente_cdaph', 'decide', 'instructeur'],
      ['decide', 'notifie', 'instructeur'],
      ['notifie', 'cloture', 'instructeur'],
      ['cloture', 'archive', 'responsable'],
    ]);
    expect(transitionsOf(server, caseId)[1]?.comment).toBe('Certificat médical manquant');
  });
});

// ---- Refusals on the seeded cases: a problem, and not one byte changed ---------------------

describe('refused transitions change nothing', () => {
  let server: RunningServer;
  let world: World;
  const clients = new Map<string, Client>();
  const cases: Record<string, string> = {};

  async function as(label: string, tenant: string | null = '44'): Promise<Client> {
    const key = `${label}@${tenant}`;
    if (!clients.has(key)) clients.set(key, await login(server, label, tenant));
    return clients.get(key)!;
  }

  beforeAll(async () => {
    server = await startServer();
    world = readWorld(server.dbFile);
    cases.draft = seededCase(server, world, 'usager', 'brouillon');
    cases.evaluation = seededCase(server, world, 'usager', 'evaluation');
    cases.notified = seededCase(server, world, 'usager', 'notifie');
    cases.awaiting = seededCase(server, world, 'usager-2', 'attente_pieces');
    cases.cdaph = seededCase(server, world, 'usager-2', 'attente_cdaph');
    cases.lapsed = seededCase(server, world, 'usager-2', 'recevable');
    cases.child = seededChildCase(world);
    cases.draft85 = seededCase(server, world, 'usager', 'brouillon', '85');
  });
  afterAll(() => stopAndRemove(server));

  /** Runs one refused request and proves the database is byte-for-byte what it was. */
  async function refused(send: () => Promise<HttpResult>): Promise<HttpResult> {
    const before = domainFingerprint(server.dbFile);
    const res = await send();
    expect(domainFingerprint(server.dbFile)).toBe(before);
    return res;
  }

  // Statuses that exist, but no row of the TRANSITIONS table links them.
  it.each([
    ['usager', 'draft', 'recevable'],
    ['usager', 'draft', 'notifie'],
    ['usager', 'draft', 'brouillon'],
    ['instructeur', 'evaluation', 'decide'],
    ['responsable', 'evaluation', 'recevable'],
    ['instructeur-sud', 'cdaph', 'notifie'],
    ['responsable', 'notified', 'archive'],
  ])('%s: %s case -> %s is not in the table (409)', async (label, key, to) => {
    const statusBefore = statusOf(server, cases[key]!);
    const res = await refused(async () => move(await as(label), cases[key]!, to));
    expectProblem(res, 409, 'transition-not-allowed');
    expect(statusOf(server, cases[key]!)).toBe(statusBefore);
  });

  // In the table, but not for this relation.
  it.each([
    ['usager', 'evaluation', 'attente_cdaph'],
    ['accueil', 'evaluation', 'attente_cdaph'],
    ['responsable', 'evaluation', 'attente_cdaph'],
    ['instructeur', 'evaluation', 'retire'],
    ['evaluateur', 'evaluation', 'retire'],
    ['usager', 'notified', 'cloture'],
    ['accueil', 'cdaph', 'decide'],
    ['parent', 'child', 'recevable'],
    ['instructeur', 'child', 'retire'],
  ])('%s: %s case -> %s is not for that relation (409)', async (label, key, to) => {
    const res = await refused(async () => move(await as(label), cases[key]!, to));
    expectProblem(res, 409, 'transition-not-allowed');
  });

  it.each([
    ['instructeur-sud', 'cdaph'],
    ['responsable', 'cdaph'],
  ])('%s cannot decide a case whose rights are undecided', async (label, key) => {
    const res = await refused(async () => move(await as(label), cases[key]!, 'decide'));
    expectProblem(res, 409, 'transition-guard');
    expect((res.json as { detail: string }).detail).toContain('droits');
  });

  it.each(['cdaph', 'dpo', 'admin'])('%s never moves a case (403 by role)', async (label) => {
    const res = await refused(async () => move(await as(label), cases.cdaph!, 'decide'));
    expectProblem(res, 403, 'forbidden');
  });

  it('the operator gets 403 and an anonymous caller 401', async () => {
    const op = await refused(async () => move(await as('operateur', null), cases.draft!, 'depose'));
    expectProblem(op, 403, 'forbidden');
    const anon = await refused(() => move(new Client(server.baseUrl), cases.draft!, 'depose'));
    expectProblem(anon, 401, 'unauthenticated');
  });

  it('a malformed target status is a validation problem', async () => {
    const res = await refused(async () => move(await as('usager'), cases.draft!, 'accepte'));
    expectProblem(res, 400, 'validation');
  });

  // Other people's cases answer exactly like a case that does not exist.
  it.each([
    ['usager-2', '44', 'draft', 'depose'],
    ['usager-2', '44', 'draft', 'retire'],
    ['usager', '44', 'awaiting', 'depose'],
    ['parent', '44', 'draft', 'retire'],
    ['aidant-expire', '44', 'lapsed', 'retire'],
    ['usager', '85', 'draft', 'depose'],
    ['usager', '44', 'draft85', 'depose'],
  ])('%s@%s cannot move the %s case (404 like a missing one)', async (label, tenant, key, to) => {
    const client = await as(label, tenant);
    const missing = await move(client, randomUUID(), to);
    const res = await refused(() => move(client, cases[key]!, to));
    expectProblem(res, 404, 'not-found');
    expect(res.text).toBe(missing.text);
    const events = queryDb<{ kind: string }>(
      server.dbFile,
      'select kind from security_events where object_id = ? order by id desc limit 1',
      cases[key],
    );
    expect(events[0]?.kind).toBe('access.denied');
  });
});

// ---- Representatives, appeals and withdrawals ----------------------------------------------

describe('usagers act for themselves and the persons they represent', () => {
  let server: RunningServer;
  let world: World;

  beforeAll(async () => {
    server = await startServer();
    world = readWorld(server.dbFile);
  });
  afterAll(() => stopAndRemove(server));

  it('a parent with a verified mandate files and withdraws for the minor', async () => {
    const parent = await login(server, 'parent');
    const child = world.persons.find(
      (p) =>
        p.first_name === 'Yanis' && p.tenant_id === world.tenants.find((t) => t.code === '44')?.id,
    );
    const created = await parent.post('/api/v1/cases', {
      json: { personId: child?.id, rights: ['AEEH'] },
    });
    expect(created.status, created.text).toBe(201);
    const childCase = seededChildCase(world);
    expect(detail(await move(parent, childCase, 'retire')).status).toBe('retire');
    expect(transitionsOf(server, childCase)).toEqual([
      {
        from_status: 'depose',
        to_status: 'retire',
        actor_account_id: server.account('parent').id,
        comment: null,
      },
    ]);
  });

  it('an expired mandate gives nothing: no new case, no move', async () => {
    const lapsed = await login(server, 'aidant-expire');
    const bruno = world.persons.find((p) => p.account_id === server.account('usager-2').id);
    const before = domainFingerprint(server.dbFile);
    const res = await lapsed.post('/api/v1/cases', {
      json: { personId: bruno?.id, rights: ['CMI'] },
    });
    expectProblem(res, 404, 'not-found');
    expect(domainFingerprint(server.dbFile)).toBe(before);
  });

  it('the usager appeals a notified decision; the instruction sends it back to evaluation', async () => {
    const usager = await login(server, 'usager');
    const instructeur = await login(server, 'instructeur');
    const notified = seededCase(server, world, 'usager', 'notifie');
    expect(detail(await move(usager, notified, 'recours')).status).toBe('recours');
    expectProblem(await move(usager, notified, 'evaluation'), 409, 'transition-not-allowed');
    expect(detail(await move(instructeur, notified, 'evaluation')).status).toBe('evaluation');
  });

  it('the usager withdraws their own draft, which then accepts no move back', async () => {
    const usager = await login(server, 'usager');
    const draft = seededCase(server, world, 'usager', 'brouillon');
    expect(detail(await move(usager, draft, 'retire')).status).toBe('retire');
    expectProblem(await move(usager, draft, 'depose'), 409, 'transition-not-allowed');
    expect(statusOf(server, draft)).toBe('retire');
  });
});

// ---- Internal notes ------------------------------------------------------------------------

describe('internal notes never reach the usager', () => {
  let server: RunningServer;
  let world: World;
  const canary = `NOTE-CANARY-${randomUUID()}`;

  beforeAll(async () => {
    server = await startServer();
    world = readWorld(server.dbFile);
  });
  afterAll(() => stopAndRemove(server));

  /** Everything a usager can fetch about a case, concatenated. */
  async function allTheUsagerSees(client: Client, caseId: string): Promise<string> {
    const urls = ['', '/messages', '/documents'].map((s) => `/api/v1/cases/${caseId}${s}`);
    const texts: string[] = [];
    for (const url of [...urls, '/api/v1/cases']) {
      const res = await client.get(url);
      expect(res.status, url).toBe(200);
      texts.push(res.text);
    }
    return texts.join('\n');
  }

  it.each([
    ['usager', 'instructeur', 'evaluation'],
    ['parent', 'accueil', 'child'],
  ])('%s sees none of the notes written by %s on the %s case', async (who, author, key) => {
    const caseId =
      key === 'child' ? seededChildCase(world) : seededCase(server, world, 'usager', 'evaluation');
    const staff = await login(server, author);
    const note = `${canary} ${key}`;
    const posted = await staff.post(`/api/v1/cases/${caseId}/notes`, { json: { body: note } });
    expect(posted.status, posted.text).toBe(201);
    // Positive control: the note exists and staff read it back.
    expect((await staff.get(`/api/v1/cases/${caseId}/notes`)).text).toContain(note);

    const usager = await login(server, who);
    const seen = await allTheUsagerSees(usager, caseId);
    expect(seen).not.toContain(canary);
    for (const seeded of world.notes.filter((n) => n.case_id === caseId)) {
      expect(seen).not.toContain(seeded.body);
    }
    const caseView = detail(await usager.get(`/api/v1/cases/${caseId}`));
    expect(caseView.abilities.filter((a) => a.startsWith('note.'))).toEqual([]);
    expectProblem(await usager.get(`/api/v1/cases/${caseId}/notes`), 403, 'forbidden');
    const write = await usager.post(`/api/v1/cases/${caseId}/notes`, { json: { body: 'x' } });
    expectProblem(write, 403, 'forbidden');
  });
});
