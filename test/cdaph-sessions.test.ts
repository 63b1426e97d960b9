/**
 * CDAPH sessions over real HTTP against the real server process: the secretariat (responsable)
 * plans a session with its members and agenda, opens it on its day, records the decisions per
 * right in it and closes it with sealed minutes; a member reads only the sessions they sit in,
 * and the synthesis of the cases on their agenda only inside its window. Every refusal changes
 * nothing, and a refused object answers exactly like a missing one.
 */
import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../src/modules/cases/case.schemas.js';
import type {
  SessionDetail,
  SessionList,
} from '../src/modules/cdaph-sessions/cdaph-session.schemas.js';
import { Client, type HttpResult } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { domainFingerprint, queryDb, readWorld } from './harness/world.js';
import { closeSession, dayIn, decide, planSession, sitSession } from './support/cdaph-session.js';
import { stopAndRemove } from './support/storage.js';

type Detail = Static<typeof CaseDetail>;
type Session = Static<typeof SessionDetail>;

function expectProblem(res: HttpResult, status: number, slug: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect((res.json as { type: string }).type).toBe(`urn:cloison:problem:${slug}`);
}

function session(res: HttpResult): Session {
  expect(res.status, res.text).toBe(200);
  return res.json as Session;
}

/** The seeded case of a usager's own person in a status (see src/demo/demo-cases.ts). */
function seededCase(server: RunningServer, owner: string, status: string, tenant = '44') {
  const world = readWorld(server.dbFile);
  const accountId = server.account(owner, tenant).id;
  const person = world.persons.find((p) => p.account_id === accountId);
  const found = world.cases.find((c) => c.person_id === person?.id && c.status === status);
  if (!found) throw new Error(`no seeded ${status} case of ${owner}@${tenant}`);
  return found.id;
}

/** Runs one refused request and proves the database is what it was. */
async function unchanged(server: RunningServer, send: () => Promise<HttpResult>) {
  const before = domainFingerprint(server.dbFile);
  const res = await send();
  expect(domainFingerprint(server.dbFile)).toBe(before);
  return res;
}

/** Makes a staff account of 44 a CDAPH member, the way a département would (two admins). */
async function makeCdaphMember(server: RunningServer, label: string): Promise<Client> {
  const admin = await new Client(server.baseUrl).login(server.account('admin'));
  const admin2 = await new Client(server.baseUrl).login(server.account('admin-2'));
  const target = server.account(label);
  const asked = await admin.post(`/api/v1/accounts/${target.id}/role-requests`, {
    json: { role: 'cdaph' },
  });
  expect(asked.status, asked.text).toBe(201);
  const { requestId } = asked.json as { requestId: string };
  const approved = await admin2.post(`/api/v1/staff-requests/${requestId}/approve`);
  expect(approved.status, approved.text).toBe(200);
  return new Client(server.baseUrl).login(target);
}

/** Sends a seeded case in evaluation (or recevable) on to the CDAPH, as the workflow does. */
async function sendToCdaph(
  server: RunningServer,
  caseId: string,
  from: 'evaluation' | 'recevable',
) {
  const responsable = await new Client(server.baseUrl).login(server.account('responsable'));
  const evaluateur = await new Client(server.baseUrl).login(server.account('evaluateur'));
  if (from === 'recevable') {
    const assigned = await responsable.put(`/api/v1/cases/${caseId}/assignment`, {
      json: { evaluateurId: server.account('evaluateur').id },
    });
    expect(assigned.status, assigned.text).toBe(200);
    const moved = await responsable.post(`/api/v1/cases/${caseId}/transitions`, {
      json: { to: 'evaluation' },
    });
    expect(moved.status, moved.text).toBe(200);
  }
  const res = await evaluateur.post(`/api/v1/cases/${caseId}/transitions`, {
    json: { to: 'attente_cdaph' },
  });
  expect(res.status, res.text).toBe(200);
}

describe('CDAPH sessions, agendas and decisions in session', () => {
  let server: RunningServer;
  const as = {} as Record<
    'responsable' | 'cdaph' | 'cdaph2' | 'instructeur' | 'cdaph85' | 'responsable85',
    Client
  >;
  const id = (label: string, tenant = '44') => server.account(label, tenant).id;
  // demo: Bruno's case, on the demo session's agenda; mine: Camille's, sent on by this test;
  // other: the lapsed carer's one, sent on too; foreign: a case of MDPH 85.
  const cases = { demo: '', mine: '', other: '', notReady: '', foreign: '' };
  let s1 = '';
  let s2 = '';
  let missingSessionText = '';
  let missingCaseText = '';

  beforeAll(async () => {
    server = await startServer();
    const login = (label: string, tenant = '44') =>
      new Client(server.baseUrl).login(server.account(label, tenant));
    as.responsable = await login('responsable');
    as.cdaph = await login('cdaph');
    as.instructeur = await login('instructeur');
    as.cdaph85 = await login('cdaph', '85');
    as.responsable85 = await login('responsable', '85');
    as.cdaph2 = await makeCdaphMember(server, 'evaluateur-2');
    cases.demo = seededCase(server, 'usager-2', 'attente_cdaph');
    cases.mine = seededCase(server, 'usager', 'evaluation');
    cases.other = seededCase(server, 'usager-2', 'recevable');
    cases.notReady = seededCase(server, 'usager', 'notifie');
    cases.foreign = seededCase(server, 'usager-2', 'attente_cdaph', '85');
    await sendToCdaph(server, cases.mine, 'evaluation');
    await sendToCdaph(server, cases.other, 'recevable');
    missingSessionText = (await as.responsable.get(`/api/v1/cdaph-sessions/${randomUUID()}`)).text;
    missingCaseText = (await as.cdaph.get(`/api/v1/cases/${randomUUID()}`)).text;
  });
  afterAll(() => stopAndRemove(server));

  it('plans a session whose members are active CDAPH members of the département', async () => {
    const plan = (memberIds: string[], sitsOn = dayIn(0)) =>
      as.responsable.post('/api/v1/cdaph-sessions', {
        json: { sitsOn, startsAt: '09:30', formation: 'adultes', memberIds },
      });
    for (const wrong of [id('instructeur'), id('cdaph', '85'), randomUUID()]) {
      const res = await unchanged(server, () => plan([id('cdaph'), wrong]));
      expectProblem(res, 400, 'validation');
    }
    expectProblem(await unchanged(server, () => plan([id('cdaph')], dayIn(-1))), 400, 'validation');
    for (const who of [as.instructeur, as.cdaph]) {
      expectProblem(
        await who.post('/api/v1/cdaph-sessions', {
          json: { sitsOn: dayIn(0), startsAt: '09:30', formation: 'adultes', memberIds: [] },
        }),
        403,
        'forbidden',
      );
    }
    const created = await plan([id('cdaph')], dayIn(30));
    expect(created.status, created.text).toBe(201);
    const planned = created.json as Session;
    expect(planned.status).toBe('planned');
    expect(planned.agendaOpensOn).toBe(dayIn(15));
    expect(planned.members.map((m) => m.accountId)).toEqual([id('cdaph')]);
  });

  it('the agenda takes cases awaiting the CDAPH of the département, each on one open agenda', async () => {
    s1 = await planSession(as.responsable, [id('cdaph')], [cases.mine]);
    s2 = await planSession(as.responsable, [id('evaluateur-2')], [cases.other]);
    const add = (sessionId: string, caseId: string) =>
      as.responsable.post(`/api/v1/cdaph-sessions/${sessionId}/agenda`, { json: { caseId } });
    expectProblem(await unchanged(server, () => add(s1, cases.notReady)), 409, 'case-not-ready');
    // Already on the demo session's agenda, or on this one's.
    expectProblem(await unchanged(server, () => add(s1, cases.demo)), 409, 'already-on-agenda');
    expectProblem(await unchanged(server, () => add(s2, cases.mine)), 409, 'already-on-agenda');
    // Another département's case answers as a missing one.
    const foreign = await unchanged(server, () => add(s1, cases.foreign));
    const missing = await add(s1, randomUUID());
    expectProblem(foreign, 404, 'not-found');
    expect(foreign.text).toBe(missing.text);
    // And its responsable does not reach this département's sessions.
    const other = await as.responsable85.get(`/api/v1/cdaph-sessions/${s1}`);
    expect(other.status).toBe(404);
    expect(other.text).toBe(missingSessionText);
    const detail = session(await as.responsable.get(`/api/v1/cdaph-sessions/${s1}`));
    expect(detail.agenda.map((a) => a.caseId)).toEqual([cases.mine]);
    expect(detail.agenda[0]!.subject.lastName).toMatch(/^Martin-/);
  });

  it('a member reads only the sessions they sit in, and only the cases of their agenda', async () => {
    const listed = (await as.cdaph.get('/api/v1/cdaph-sessions')).json as Static<
      typeof SessionList
    >;
    expect(listed.items.map((s) => s.id)).toContain(s1);
    expect(listed.items.map((s) => s.id)).not.toContain(s2);
    const notMine = await as.cdaph.get(`/api/v1/cdaph-sessions/${s2}`);
    expect(notMine.status).toBe(404);
    expect(notMine.text).toBe(missingSessionText);
    expectProblem(await as.cdaph85.get(`/api/v1/cdaph-sessions/${s1}`), 404, 'not-found');

    // The synthesis of a case of one's own agenda, nothing of another session's.
    const mine = await as.cdaph.get(`/api/v1/cases/${cases.mine}`);
    expect(mine.status, mine.text).toBe(200);
    expect((mine.json as Detail).abilities).toEqual(['case.read']);
    const foreign = await as.cdaph.get(`/api/v1/cases/${cases.other}`);
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(missingCaseText);
    expect((await as.cdaph2.get(`/api/v1/cases/${cases.other}`)).status).toBe(200);
    const crossed = await as.cdaph2.get(`/api/v1/cases/${cases.mine}`);
    expect(crossed.status).toBe(404);
    expect(crossed.text).toBe(missingCaseText);
    // Listing holds the same line: the agenda of the sessions one sits in.
    const list = (await as.cdaph.get('/api/v1/cases')).json as { items: Array<{ id: string }> };
    expect(list.items.map((c) => c.id).sort()).toEqual([cases.demo, cases.mine].sort());
    // Documents, messages and notes stay closed: a synthesis only.
    expectProblem(await as.cdaph.get(`/api/v1/cases/${cases.mine}/documents`), 403, 'forbidden');
  });

  it('decisions are taken only in the session in progress today, with a sane validity', async () => {
    const body = (json: Record<string, unknown>) => () =>
      as.responsable.put(`/api/v1/cases/${cases.mine}/rights/AAH/decision`, { json });
    // Planned, not opened: 409 and nothing written.
    expectProblem(
      await unchanged(server, () => decide(as.responsable, cases.mine, 'AAH', 'accord')),
      409,
      'no-session-in-progress',
    );
    expect(session(await as.responsable.post(`/api/v1/cdaph-sessions/${s1}/open`)).status).toBe(
      'in_progress',
    );
    expectProblem(
      await as.responsable.post(`/api/v1/cdaph-sessions/${s1}/open`),
      409,
      'session-not-openable',
    );
    const from = dayIn(0);
    const inYears = (n: number) => `${Number(from.slice(0, 4)) + n}${from.slice(4)}`;
    for (const wrong of [
      { decision: 'accord', reason: 'x' },
      { decision: 'accord', validFrom: from, validUntil: from },
      { decision: 'accord', validFrom: from, validUntil: inYears(21) },
      { decision: 'accord', validFrom: dayIn(-400), validUntil: inYears(2) },
      { decision: 'rejet' },
      { decision: 'accord_partiel', validFrom: from, validUntil: inYears(2) },
      {
        decision: 'rejet',
        reason: 'Critères non remplis.',
        validFrom: from,
        validUntil: inYears(1),
      },
    ]) {
      expectProblem(await unchanged(server, body(wrong)), 400, 'validation');
    }
    expectProblem(
      await unchanged(server, () => decide(as.instructeur, cases.mine, 'AAH', 'accord')),
      403,
      'forbidden',
    );
    // The other case sits in a session not yet opened.
    expectProblem(
      await unchanged(server, () => decide(as.responsable, cases.other, 'CMI', 'accord')),
      409,
      'no-session-in-progress',
    );

    const accord = await body({ decision: 'accord', validFrom: from, validUntil: inYears(20) })();
    expect(accord.status, accord.text).toBe(200);
    const decided = await decide(as.responsable, cases.mine, 'CMI', 'rejet');
    const detail = decided.json as Detail;
    expect(detail.rights).toEqual([
      expect.objectContaining({
        code: 'AAH',
        decision: 'accord',
        validFrom: from,
        validUntil: inYears(20),
        sessionId: s1,
        sessionSitsOn: from,
        decisionReason: null,
      }),
      expect.objectContaining({
        code: 'CMI',
        decision: 'rejet',
        validFrom: null,
        validUntil: null,
        sessionId: s1,
        decisionReason: 'Décision rejet pour CMI.',
      }),
    ]);
    // A case decided in this session is not postponed any more.
    expectProblem(
      await unchanged(server, () =>
        as.responsable.delete(`/api/v1/cdaph-sessions/${s1}/agenda/${cases.mine}`),
      ),
      409,
      'decided-in-session',
    );
    const view = session(await as.responsable.get(`/api/v1/cdaph-sessions/${s1}`));
    expect(view.agenda[0]!.rights.every((r) => r.decidedInSession)).toBe(true);
  });

  it('closing needs every agenda case decided or postponed, and seals the minutes', async () => {
    await as.responsable.post(`/api/v1/cdaph-sessions/${s2}/open`);
    const minutes = `Procès-verbal ${randomUUID()} : quorum atteint.`;
    expectProblem(
      await unchanged(server, () => closeSession(as.responsable, s2, minutes)),
      409,
      'agenda-undecided',
    );
    // Postponed: off the agenda, and free for another session.
    const postponed = session(
      await as.responsable.delete(`/api/v1/cdaph-sessions/${s2}/agenda/${cases.other}`),
    );
    expect(postponed.agenda).toEqual([]);
    expectProblem(
      await as.responsable.delete(`/api/v1/cdaph-sessions/${s2}/agenda/${cases.other}`),
      404,
      'not-found',
    );
    const closed = session(await closeSession(as.responsable, s2, minutes));
    expect(closed.status).toBe('closed');
    expect(closed.minutes).toBe(minutes);
    const stored = queryDb<{ minutes_enc: Buffer }>(
      server.dbFile,
      'select minutes_enc from cdaph_sessions where id = ?',
      s2,
    )[0]!;
    expect(stored.minutes_enc.includes(Buffer.from(minutes))).toBe(false);
    // The member reads the session, never its minutes.
    expect(session(await as.cdaph2.get(`/api/v1/cdaph-sessions/${s2}`)).minutes).toBeNull();
    // Closed: nothing changes any more.
    for (const send of [
      () => as.responsable.post(`/api/v1/cdaph-sessions/${s2}/open`),
      () =>
        as.responsable.put(`/api/v1/cdaph-sessions/${s2}/members`, {
          json: { memberIds: [id('cdaph')] },
        }),
      () =>
        as.responsable.post(`/api/v1/cdaph-sessions/${s2}/agenda`, {
          json: { caseId: cases.other },
        }),
      () => closeSession(as.responsable, s2),
    ]) {
      expect((await unchanged(server, send)).status).toBe(409);
    }
    // The postponed case goes to the next session.
    await sitSession(as.responsable, [id('evaluateur-2')], [cases.other]);
  });

  it('once closed, the decided case moves on and its members no longer read it', async () => {
    expect((await as.cdaph.get(`/api/v1/cases/${cases.mine}`)).status).toBe(200);
    expect(session(await closeSession(as.responsable, s1)).status).toBe('closed');
    const after = await as.cdaph.get(`/api/v1/cases/${cases.mine}`);
    expect(after.status).toBe(404);
    expect(after.text).toBe(missingCaseText);
    const moved = await as.instructeur.post(`/api/v1/cases/${cases.mine}/transitions`, {
      json: { to: 'decide' },
    });
    expect(moved.status, moved.text).toBe(200);
  });

  it('erasing a person takes their cases off every agenda', async () => {
    const personId = queryDb<{ person_id: string }>(
      server.dbFile,
      'select person_id from cases where id = ?',
      cases.demo,
    )[0]!.person_id;
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    const erased = await dpo.post(`/api/v1/persons/${personId}/erasure`, {
      json: { reason: 'right-to-erasure' },
    });
    expect(erased.status, erased.text).toBe(201);
    const left = queryDb<{ n: number }>(
      server.dbFile,
      'select count(*) as n from cdaph_agenda_items where case_id in (?, ?)',
      cases.demo,
      cases.other,
    )[0]!.n;
    expect(left).toBe(0);
  });
});

describe('a member reads the agenda only inside its window', () => {
  let server: RunningServer | undefined;
  afterAll(() => stopAndRemove(server));

  async function restartShifted(offset: string): Promise<RunningServer> {
    const dataDir = server!.dataDir;
    await server!.stop();
    server = await startServer({
      dataDir,
      env: { CLOISON_CLOCK_OFFSET: offset, NODE_ENV: 'test' },
    });
    return server;
  }

  it('not before the agenda opens (15 days before), not after the session closes', async () => {
    server = await startServer();
    const caseId = seededCase(server, 'usager', 'evaluation');
    await sendToCdaph(server, caseId, 'evaluation');
    const responsable = await new Client(server.baseUrl).login(server.account('responsable'));
    const cdaph = await new Client(server.baseUrl).login(server.account('cdaph'));
    const sitsOn = dayIn(20);
    const sessionId = await planSession(
      responsable,
      [server.account('cdaph').id],
      [caseId],
      sitsOn,
    );
    const missing = (await cdaph.get(`/api/v1/cases/${randomUUID()}`)).text;

    // 20 days ahead: the member sits in it but its agenda is not open yet.
    const early = await cdaph.get(`/api/v1/cases/${caseId}`);
    expect(early.status).toBe(404);
    expect(early.text).toBe(missing);
    const before = session(await cdaph.get(`/api/v1/cdaph-sessions/${sessionId}`));
    expect(before.agendaVisible).toBe(false);
    expect(before.agenda).toEqual([]);

    // Six days later the agenda is open (it opens 15 days before the 20th day).
    let s = await restartShifted('6d');
    const member = await new Client(s.baseUrl).login(s.account('cdaph'));
    expect((await member.get(`/api/v1/cases/${caseId}`)).status).toBe(200);
    const open = session(await member.get(`/api/v1/cdaph-sessions/${sessionId}`));
    expect(open.agendaVisible).toBe(true);
    expect(open.agenda.map((a) => a.caseId)).toEqual([caseId]);
    const secretariat = await new Client(s.baseUrl).login(s.account('responsable'));
    // Not its day: it does not open, and nothing is decided.
    expectProblem(
      await secretariat.post(`/api/v1/cdaph-sessions/${sessionId}/open`),
      409,
      'session-not-openable',
    );

    // On its day: opened, decided, closed; then the member reads it no more.
    s = await restartShifted('20d');
    const chair = await new Client(s.baseUrl).login(s.account('responsable'));
    const reader = await new Client(s.baseUrl).login(s.account('cdaph'));
    expect(session(await chair.post(`/api/v1/cdaph-sessions/${sessionId}/open`)).status).toBe(
      'in_progress',
    );
    const validFrom = dayIn(20);
    for (const right of ['AAH', 'CMI']) {
      const res = await chair.put(`/api/v1/cases/${caseId}/rights/${right}/decision`, {
        json: {
          decision: 'accord',
          validFrom,
          validUntil: `${Number(validFrom.slice(0, 4)) + 2}-12-31`,
        },
      });
      expect(res.status, res.text).toBe(200);
    }
    expect((await reader.get(`/api/v1/cases/${caseId}`)).status).toBe(200);
    expect(session(await closeSession(chair, sessionId)).status).toBe('closed');
    const late = await reader.get(`/api/v1/cases/${caseId}`);
    expect(late.status).toBe(404);
    expect(late.text).toBe((await reader.get(`/api/v1/cases/${randomUUID()}`)).text);
  });
});
