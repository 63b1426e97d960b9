/**
 * Completeness for real, over HTTP against the real server: the medical certificate's date
 * checked at upload, at filing and at the completeness guard; pieces accepted or rejected by the
 * agents the policy names (medical ones by the case's évaluateur médical only); replacements
 * that keep the old piece as superseded; the guard counting current accepted pieces only.
 */
import type { Static } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { samplePdf } from '../src/modules/documents/sample-files.js';
import type { CaseDetail } from '../src/modules/cases/case.schemas.js';
import type { DocumentView } from '../src/modules/documents/document.schemas.js';
import { Client, fileForm, type HttpResult } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { expectProblem, problemSlug } from './support/problem.js';
import { snapshotStorage, stopAndRemove } from './support/storage.js';

type Detail = Static<typeof CaseDetail>;
type Doc = Static<typeof DocumentView>;

const DAY = 86_400_000;
const dayFrom = (days: number, base = Date.now()) =>
  new Date(base + days * DAY).toISOString().slice(0, 10);

let server: RunningServer;
let world: World;
const as: Record<string, Client> = {};

async function login(label: string, tenant = '44'): Promise<Client> {
  const key = `${label}@${tenant}`;
  as[key] ??= await new Client(server.baseUrl).login(server.account(label, tenant));
  return as[key];
}

function upload(
  client: Client,
  caseId: string,
  query: Record<string, string>,
  name = 'piece.pdf',
): Promise<HttpResult> {
  return client.post(`/api/v1/cases/${caseId}/documents?${new URLSearchParams(query)}`, {
    body: fileForm(samplePdf(`Cloison pieces test ${randomUUID()}`), name, 'application/pdf'),
  });
}

function review(client: Client, documentId: string, body: Record<string, string>) {
  return client.post(`/api/v1/documents/${documentId}/review`, { json: body });
}

function move(client: Client, caseId: string, to: string) {
  return client.post(`/api/v1/cases/${caseId}/transitions`, { json: { to } });
}

async function documentsOf(client: Client, caseId: string): Promise<Doc[]> {
  const res = await client.get(`/api/v1/cases/${caseId}/documents`);
  expect(res.status, res.text).toBe(200);
  return (res.json as { items: Doc[] }).items;
}

function pieceRow(caseId: string, piece: string) {
  return queryDb<{ id: string; review_status: string; superseded_by: string | null }>(
    server.dbFile,
    'select id, review_status, superseded_by from documents where case_id = ? and piece = ? order by created_at',
    caseId,
    piece,
  );
}

/** A refusal must read exactly like the same request on an id that names nothing. */
async function expectSameAsMissing(refused: HttpResult, missing: HttpResult) {
  expectProblem(refused, 404);
  expect(refused.text).toBe(missing.text);
}

function nothingKept(before: ReturnType<typeof snapshotStorage>) {
  const after = snapshotStorage(server.dataDir, server.dbFile);
  expect(after.documentIds).toEqual(before.documentIds);
  expect(after.blobFiles).toEqual(before.blobFiles);
}

/** The demo's child case (depose, four pieces pending), filed by the parent under a mandate. */
function childCase(): string {
  const tenant = world.tenants.find((t) => t.code === '44')!.id;
  const child = world.persons.find((p) => p.tenant_id === tenant && p.first_name === 'Yanis');
  return world.cases.find((c) => c.person_id === child?.id)!.id;
}

function ownCase(label: string, status: string): string {
  const account = server.account(label, '44').id;
  const person = world.persons.find((p) => p.account_id === account);
  return world.cases.find((c) => c.person_id === person?.id && c.status === status)!.id;
}

beforeAll(async () => {
  server = await startServer();
  world = readWorld(server.dbFile);
});
afterAll(() => stopAndRemove(server));

describe('the medical certificate carries its date', () => {
  const cert = (issuedOn?: string) => ({
    category: 'medical',
    piece: 'certificat_medical',
    ...(issuedOn ? { issuedOn } : {}),
  });

  it.each([
    ['without a date', undefined, 'requise'],
    ['dated tomorrow', dayFrom(1), 'futur'],
    ['older than 12 months', dayFrom(-400), '12 mois'],
  ])('refuses a certificate %s (400) and keeps nothing', async (_label, issuedOn, why) => {
    const usager = await login('usager');
    const caseId = ownCase('usager', 'brouillon');
    const before = snapshotStorage(server.dataDir, server.dbFile);
    const res = await upload(usager, caseId, cert(issuedOn));
    expectProblem(res, 400);
    expect(problemSlug(res)).toBe('validation');
    expect(JSON.stringify(res.json)).toContain('issuedOn');
    expect((res.json as { detail: string }).detail).toContain(why);
    nothingKept(before);
  });

  it('refuses a date on any other piece', async () => {
    const res = await upload(await login('usager'), ownCase('usager', 'brouillon'), {
      category: 'identity',
      piece: 'identite',
      issuedOn: dayFrom(-3),
    });
    expectProblem(res, 400);
  });

  it('keeps the date sealed and shows it to who reads the certificate', async () => {
    const usager = await login('usager');
    const caseId = ownCase('usager', 'brouillon');
    const issuedOn = dayFrom(-20);
    const res = await upload(usager, caseId, cert(issuedOn));
    expect(res.status, res.text).toBe(201);
    const doc = res.json as Doc;
    expect(doc.issuedOn).toBe(issuedOn);
    expect(doc.review).toEqual({ status: 'pending', reason: null, at: null });
    const [row] = queryDb<{ issued_on_enc: Buffer }>(
      server.dbFile,
      'select issued_on_enc from documents where id = ?',
      doc.id,
    );
    expect(Buffer.from(row!.issued_on_enc).includes(Buffer.from(issuedOn))).toBe(false);
  });
});

describe('a newborn: the certificate cannot predate the person; a mandate needs its proof', () => {
  let mandateId = '';
  let personId = '';
  let proofId = '';
  const born = dayFrom(-30);

  it('the parent declares the child; verifying the mandate with no proof is refused (409)', async () => {
    const parent = await login('parent');
    const res = await parent.post('/api/v1/persons', {
      json: {
        firstName: 'Lina',
        lastName: 'Nouveau-Né',
        birthDate: born,
        mandate: { kind: 'parent', startsOn: born, endsOn: dayFrom(3650) },
      },
    });
    expect(res.status, res.text).toBe(201);
    const person = res.json as { id: string; mandate: { id: string; proof: unknown } };
    personId = person.id;
    mandateId = person.mandate.id;
    expect(person.mandate.proof).toBeNull();
    const refused = await (await login('accueil')).post(`/api/v1/mandates/${mandateId}/verify`);
    expectProblem(refused, 409);
    expect(problemSlug(refused)).toBe('no-proof');
    const [row] = queryDb<{ verified_at: string | null }>(
      server.dbFile,
      'select verified_at from mandates where id = ?',
      mandateId,
    );
    expect(row!.verified_at).toBeNull();
  });

  it('only the representative uploads the proof; other usagers and tenants get 404', async () => {
    const proof = () => fileForm(samplePdf('Livret de famille'), 'livret.pdf', 'application/pdf');
    const url = (id: string) => `/api/v1/mandates/${id}/proof?kind=livret_famille`;
    for (const [label, tenant] of [
      ['usager-2', '44'],
      ['parent', '85'],
    ] as const) {
      const other = await login(label, tenant);
      await expectSameAsMissing(
        await other.post(url(mandateId), { body: proof() }),
        await other.post(url(randomUUID()), { body: proof() }),
      );
    }
    const before = snapshotStorage(server.dataDir, server.dbFile);
    const notAFile = await (
      await login('parent')
    ).post(url(mandateId), {
      body: fileForm(Buffer.from('not a pdf at all'), 'x.pdf', 'application/pdf'),
    });
    expect(notAFile.status).toBe(415);
    expect(snapshotStorage(server.dataDir, server.dbFile).blobFiles).toEqual(before.blobFiles);
    const res = await (await login('parent')).post(url(mandateId), { body: proof() });
    expect(res.status, res.text).toBe(201);
    proofId = (res.json as { id: string }).id;
    const [row] = queryDb<{ original_name_enc: Buffer }>(
      server.dbFile,
      'select original_name_enc from mandate_proofs where id = ?',
      proofId,
    );
    expect(Buffer.from(row!.original_name_enc).includes(Buffer.from('livret'))).toBe(false);
  });

  it('the agent downloads the proof as an attachment; another tenant’s agent gets 404', async () => {
    const accueil = await login('accueil');
    const res = await accueil.get(`/api/v1/mandates/${mandateId}/proof/content`);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(res.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const foreign = await login('accueil', '85');
    await expectSameAsMissing(
      await foreign.get(`/api/v1/mandates/${mandateId}/proof/content`),
      await foreign.get(`/api/v1/mandates/${randomUUID()}/proof/content`),
    );
    const listed = await accueil.get('/api/v1/mandates?pending=true');
    const item = (listed.json as { items: Array<{ id: string; proof: unknown }> }).items.find(
      (m) => m.id === mandateId,
    );
    expect(item?.proof).toMatchObject({ kind: 'livret_famille' });
  });

  it('verification records which proof was in view', async () => {
    const res = await (await login('accueil')).post(`/api/v1/mandates/${mandateId}/verify`);
    expect(res.status, res.text).toBe(204);
    const [row] = queryDb<{ verified_proof_id: string | null }>(
      server.dbFile,
      'select verified_proof_id from mandates where id = ?',
      mandateId,
    );
    expect(row!.verified_proof_id).toBe(proofId);
  });

  it('a certificate dated before the birth is refused, one after it accepted', async () => {
    const parent = await login('parent');
    const created = await parent.post('/api/v1/cases', { json: { personId, rights: ['AEEH'] } });
    expect(created.status, created.text).toBe(201);
    const caseId = (created.json as Detail).id;
    const before = snapshotStorage(server.dataDir, server.dbFile);
    // Within twelve months, in the past: only the birth date makes it impossible.
    const early = await upload(parent, caseId, {
      category: 'medical',
      piece: 'certificat_medical',
      issuedOn: dayFrom(-40),
    });
    expectProblem(early, 400);
    expect(JSON.stringify(early.json)).toContain('naissance');
    nothingKept(before);
    const fine = await upload(parent, caseId, {
      category: 'medical',
      piece: 'certificat_medical',
      issuedOn: dayFrom(-10),
    });
    expect(fine.status, fine.text).toBe(201);
  });
});

describe('agents review the pieces; completeness counts current accepted ones', () => {
  let caseId = '';
  const piece = (p: string) => pieceRow(caseId, p).find((r) => r.superseded_by === null)!;

  beforeAll(() => {
    caseId = childCase();
  });

  it('a rejection needs a reason (400, nothing changed)', async () => {
    const res = await review(await login('accueil'), piece('identite').id, {
      decision: 'rejected',
    });
    expectProblem(res, 400);
    expect(piece('identite').review_status).toBe('pending');
  });

  it('the accueil rejects with a reason, sealed; the parent reads status and reason', async () => {
    const reason = 'Copie illisible zq71 : merci de renvoyer une copie nette.';
    const res = await review(await login('accueil'), piece('identite').id, {
      decision: 'rejected',
      reason,
    });
    expect(res.status, res.text).toBe(200);
    const [row] = queryDb<{ review_reason_enc: Buffer }>(
      server.dbFile,
      'select review_reason_enc from documents where id = ?',
      piece('identite').id,
    );
    expect(Buffer.from(row!.review_reason_enc).includes(Buffer.from('zq71'))).toBe(false);
    const seen = (await documentsOf(await login('parent'), caseId)).find(
      (d) => d.piece === 'identite',
    );
    expect(seen?.review).toMatchObject({ status: 'rejected', reason });
  });

  it('the accueil reviewing the medical certificate gets 404, as for a missing document', async () => {
    const accueil = await login('accueil');
    const certificate = piece('certificat_medical').id;
    await expectSameAsMissing(
      await review(accueil, certificate, { decision: 'accepted' }),
      await review(accueil, randomUUID(), { decision: 'accepted' }),
    );
    expect(piece('certificat_medical').review_status).toBe('pending');
  });

  it('an évaluateur not assigned to the case gets 404 too', async () => {
    const evaluateur = await login('evaluateur');
    await expectSameAsMissing(
      await review(evaluateur, piece('certificat_medical').id, { decision: 'accepted' }),
      await review(evaluateur, randomUUID(), { decision: 'accepted' }),
    );
    expect(piece('certificat_medical').review_status).toBe('pending');
  });

  it('the guard refuses while pieces are pending or rejected', async () => {
    const accueil = await login('accueil');
    const refused = await move(accueil, caseId, 'recevable');
    expectProblem(refused, 409);
    expect((refused.json as { detail: string }).detail).toContain('identite');
    const checklist = (
      (await (await login('accueil')).get(`/api/v1/cases/${caseId}`)).json as Detail
    ).completeness;
    expect(checklist.identite).toEqual({
      supplied: true,
      review: 'rejected',
      dateValid: null,
      complete: false,
    });
    expect(checklist.certificat_medical).toMatchObject({ supplied: true, review: 'pending' });
  });

  it('the parent replaces the rejected piece: the old one stays, superseded, and no longer counts', async () => {
    const parent = await login('parent');
    const old = piece('identite').id;
    const res = await upload(parent, caseId, {
      category: 'identity',
      piece: 'identite',
      replaces: old,
    });
    expect(res.status, res.text).toBe(201);
    const fresh = res.json as Doc;
    expect(fresh.review?.status).toBe('pending');
    const listed = await documentsOf(parent, caseId);
    const kept = listed.find((d) => d.id === old);
    expect(kept?.supersededBy).toBe(fresh.id);
    expect(kept?.review?.status).toBe('rejected');
    expect(piece('identite').id).toBe(fresh.id);
    // A superseded piece is history: it is neither replaced again nor reviewed.
    const again = await upload(parent, caseId, {
      category: 'identity',
      piece: 'identite',
      replaces: old,
    });
    expect(problemSlug(again)).toBe('already-superseded');
    const accueil = await login('accueil');
    expect(problemSlug(await review(accueil, old, { decision: 'accepted' }))).toBe(
      'already-superseded',
    );
  });

  it('a piece is replaced only by the same piece of the same case (409, nothing kept)', async () => {
    const accueil = await login('accueil');
    const foreignPiece = pieceRow(ownCase('usager', 'evaluation'), 'identite')[0]!.id;
    const before = snapshotStorage(server.dataDir, server.dbFile);
    const otherCase = await upload(accueil, caseId, {
      category: 'identity',
      piece: 'identite',
      replaces: foreignPiece,
    });
    expectProblem(otherCase, 409);
    expect(problemSlug(otherCase)).toBe('replacement-mismatch');
    const otherPiece = await upload(accueil, caseId, {
      category: 'address',
      piece: 'domicile',
      replaces: piece('identite').id,
    });
    expect(problemSlug(otherPiece)).toBe('replacement-mismatch');
    // The accueil does not read the certificate: naming it answers like a missing document.
    const medical = await upload(accueil, caseId, {
      category: 'medical',
      piece: 'certificat_medical',
      issuedOn: dayFrom(-2),
      replaces: piece('certificat_medical').id,
    });
    const missing = await upload(accueil, caseId, {
      category: 'medical',
      piece: 'certificat_medical',
      issuedOn: dayFrom(-2),
      replaces: randomUUID(),
    });
    await expectSameAsMissing(medical, missing);
    nothingKept(before);
    const [untouched] = queryDb<{ superseded_by: string | null }>(
      server.dbFile,
      'select superseded_by from documents where id = ?',
      foreignPiece,
    );
    expect(untouched!.superseded_by).toBeNull();
  });

  it('with three accepted the guard still waits for the certificate; with four it passes', async () => {
    const accueil = await login('accueil');
    const instructeur = await login('instructeur');
    // The instructeur of the case's team reviews too.
    expect(
      (await review(instructeur, piece('cerfa_15692').id, { decision: 'accepted' })).status,
    ).toBe(200);
    for (const p of ['identite', 'domicile']) {
      expect((await review(accueil, piece(p).id, { decision: 'accepted' })).status).toBe(200);
    }
    const waiting = await move(accueil, caseId, 'recevable');
    expect(problemSlug(waiting)).toBe('transition-guard');
    expect((waiting.json as { detail: string }).detail).toContain('certificat_medical');

    const responsable = await login('responsable');
    const assigned = await responsable.put(`/api/v1/cases/${caseId}/assignment`, {
      json: { evaluateurId: server.account('evaluateur').id },
    });
    expect(assigned.status, assigned.text).toBe(200);
    const evaluateur = await login('evaluateur');
    // The évaluateur reviews medical pieces only.
    await expectSameAsMissing(
      await review(evaluateur, piece('domicile').id, { decision: 'rejected', reason: 'Non.' }),
      await review(evaluateur, randomUUID(), { decision: 'rejected', reason: 'Non.' }),
    );
    const accepted = await review(evaluateur, piece('certificat_medical').id, {
      decision: 'accepted',
    });
    expect(accepted.status, accepted.text).toBe(200);

    const detail = (await accueil.get(`/api/v1/cases/${caseId}`)).json as Detail;
    expect(detail.completeness.certificat_medical).toEqual({
      supplied: true,
      review: 'accepted',
      dateValid: true,
      complete: true,
    });
    // The accueil learns that the certificate counts, never which document it is.
    const certificateId = piece('certificat_medical').id;
    const body = JSON.stringify(detail);
    expect(body).not.toContain(certificateId);
    expect(body).not.toContain('certificat-medical-cerfa-15695');
    const moved = await move(accueil, caseId, 'recevable');
    expect(moved.status, moved.text).toBe(200);
    expect((moved.json as Detail).status).toBe('recevable');
  });

  it('an ended mandate closes the case to the representative at once (404)', async () => {
    const parent = await login('parent');
    const mandate = world.mandates.find(
      (m) => m.representative_account_id === server.account('parent').id && m.verified_at,
    )!;
    const past = await parent.post(`/api/v1/mandates/${mandate.id}/end`, {
      json: { endsOn: dayFrom(-1), reason: 'Erreur de date' },
    });
    expectProblem(past, 400);
    expect((await parent.get(`/api/v1/cases/${caseId}`)).status).toBe(200);
    const foreign = await login('usager-2');
    await expectSameAsMissing(
      await foreign.post(`/api/v1/mandates/${mandate.id}/end`, {
        json: { endsOn: dayFrom(0), reason: 'Pas le mien' },
      }),
      await foreign.post(`/api/v1/mandates/${randomUUID()}/end`, {
        json: { endsOn: dayFrom(0), reason: 'Pas le mien' },
      }),
    );
    const ended = await parent.post(`/api/v1/mandates/${mandate.id}/end`, {
      json: { endsOn: dayFrom(0), reason: 'Jugement de mainlevée zq72' },
    });
    expect(ended.status, ended.text).toBe(204);
    await expectSameAsMissing(
      await parent.get(`/api/v1/cases/${caseId}`),
      await parent.get(`/api/v1/cases/${randomUUID()}`),
    );
    const [row] = queryDb<{ end_reason_enc: Buffer; ended_at: string | null }>(
      server.dbFile,
      'select end_reason_enc, ended_at from mandates where id = ?',
      mandate.id,
    );
    expect(row!.ended_at).not.toBeNull();
    expect(Buffer.from(row!.end_reason_enc).includes(Buffer.from('zq72'))).toBe(false);
  });
});

describe('a certificate that ages past 12 months stops counting', () => {
  let paperCase = '';
  let draftCase = '';

  it('is fresh enough at upload, and the case is filed and its pieces accepted', async () => {
    const accueil = await login('accueil');
    const tenant = world.tenants.find((t) => t.code === '44')!.id;
    const paperPerson = world.persons.find(
      (p) => p.tenant_id === tenant && p.first_name === 'Josiane',
    )!;
    paperCase = world.cases.find((c) => c.person_id === paperPerson.id)!.id;
    const old = dayFrom(-360);
    const queries: Array<Record<string, string>> = [
      { category: 'identity', piece: 'identite' },
      { category: 'address', piece: 'domicile' },
      { category: 'medical', piece: 'certificat_medical', issuedOn: old },
    ];
    for (const q of queries) {
      expect((await upload(accueil, paperCase, q)).status).toBe(201);
    }
    expect((await move(accueil, paperCase, 'depose')).status).toBe(200);
    for (const p of ['cerfa_15692', 'identite', 'domicile']) {
      expect(
        (await review(accueil, pieceRow(paperCase, p)[0]!.id, { decision: 'accepted' })).status,
      ).toBe(200);
    }
    const responsable = await login('responsable');
    await responsable.put(`/api/v1/cases/${paperCase}/assignment`, {
      json: { evaluateurId: server.account('evaluateur').id },
    });
    const evaluateur = await login('evaluateur');
    const certificate = pieceRow(paperCase, 'certificat_medical')[0]!.id;
    expect((await review(evaluateur, certificate, { decision: 'accepted' })).status).toBe(200);
    const detail = (await accueil.get(`/api/v1/cases/${paperCase}`)).json as Detail;
    expect(detail.completeness.certificat_medical.complete).toBe(true);

    draftCase = ownCase('usager', 'brouillon');
    const usager = await login('usager');
    // The draft's earlier certificate is replaced by this old one, so only it is current.
    const current = pieceRow(draftCase, 'certificat_medical').find((r) => !r.superseded_by)!;
    const replaced = await upload(usager, draftCase, {
      category: 'medical',
      piece: 'certificat_medical',
      issuedOn: old,
      replaces: current.id,
    });
    expect(replaced.status, replaced.text).toBe(201);
  });

  it('ten days later, the guard refuses recevable and the draft cannot be filed', async () => {
    await server.stop();
    server = await startServer({ dataDir: server.dataDir, env: { CLOISON_CLOCK_OFFSET: '10d' } });
    for (const key of Object.keys(as)) delete as[key];
    const accueil = await login('accueil');
    const detail = (await accueil.get(`/api/v1/cases/${paperCase}`)).json as Detail;
    expect(detail.completeness.certificat_medical).toEqual({
      supplied: true,
      review: 'accepted',
      dateValid: false,
      complete: false,
    });
    const refused = await move(accueil, paperCase, 'recevable');
    expect(problemSlug(refused)).toBe('transition-guard');
    expect((refused.json as { detail: string }).detail).toContain('12 mois');
    const filing = await move(await login('usager'), draftCase, 'depose');
    expect(problemSlug(filing)).toBe('transition-guard');
    expect((filing.json as { detail: string }).detail).toContain('12 mois');
    const statuses = queryDb<{ id: string; status: string }>(
      server.dbFile,
      'select id, status from cases where id in (?, ?)',
      paperCase,
      draftCase,
    );
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({
      [paperCase]: 'depose',
      [draftCase]: 'brouillon',
    });
  });
});
