import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  displayNameProblem,
  genericMailboxProblem,
} from '../src/modules/staff/personal-identity.js';
import { Client, type HttpResult } from './harness/client.js';
import { startServer, type DemoAccount, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';
import { eventually, stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

/**
 * Issue 4, item 5 (THREATS.md T5) over HTTP: staff accounts are personal, created and given
 * roles only with a second admin's approval, temporary roles end on time, and access reviews
 * confirm or take away every role, unreviewed ones lapsing at the deadline.
 */

const LOGIN = '/api/v1/auth/login';
const GOOD_PASSWORD = 'trois chevaux bleus dans la prairie';

/** The demo's second admin of the département: the two-person rule needs one. */
function addSecondAdmin(s: RunningServer, tenant = '44'): DemoAccount {
  return s.account('admin-2', tenant);
}

function row<T>(s: RunningServer, sql: string, ...params: unknown[]): T | undefined {
  return queryDb<T>(s.dbFile, sql, ...params)[0];
}

function eventKinds(s: RunningServer, objectId: string): string[] {
  return queryDb<{ kind: string }>(
    s.dbFile,
    'select kind from security_events where object_id = ? order by id',
    objectId,
  ).map((e) => e.kind);
}

/** The outcome the audit log gave to one kind of security event about an object. */
function auditOutcomes(s: RunningServer, action: string, objectId: string): string[] {
  return queryDb<{ outcome: string }>(
    s.dbFile,
    `select json_extract(entry, '$.outcome') as outcome from audit_events
     where json_extract(entry, '$.action') = ? and json_extract(entry, '$.objectId') = ?`,
    action,
    objectId,
  ).map((r) => r.outcome);
}

function problemType(res: HttpResult): string | undefined {
  return (res.json as { type?: string } | undefined)?.type;
}

/** A wrong password for an address nobody has: what every refused login must look like. */
async function refusedLogin(s: RunningServer) {
  return new Client(s.baseUrl).post(LOGIN, {
    json: {
      email: `personne-${Date.now()}@demo.cloison.test`,
      password: 'pas-le-bon-mot-de-passe',
    },
  });
}

async function loginAnswer(s: RunningServer, email: string, password: string) {
  return new Client(s.baseUrl).post(LOGIN, { json: { email, password } });
}

function tokenOf(text: string): string {
  const match = /#jeton=([A-Za-z0-9_-]+)/.exec(text);
  if (!match?.[1]) throw new Error(`no activation link in:\n${text}`);
  return match[1];
}

describe('personal accounts: shared mailboxes and non-names refused', () => {
  it.each([
    ['accueil.44@mdph44.fr'],
    ['contact+rdv@mdph44.fr'],
    ['no-reply@mdph44.fr'],
    ['ne.pas.repondre@mdph44.fr'],
    ['secretariat-direction@mdph44.fr'],
    ['info.mdph44@loire-atlantique.fr'],
    ['rh@mdph44.fr'],
    ['pole.enfance@mdph44.fr'],
    ['44@mdph44.fr'],
  ])('refuses the shared mailbox %s', (email) => {
    expect(genericMailboxProblem(email)).toMatch(/boîte partagée/);
  });

  it.each([['camille.durand@mdph44.fr'], ['jp.le-bot@loire-atlantique.fr'], ['a.accueil@x.fr']])(
    'accepts the personal address %s',
    (email) => {
      expect(genericMailboxProblem(email)).toBeNull();
    },
  );

  it.each([
    ['one word', 'Camille'],
    ['initials', 'C. Durand'],
    ['digits', 'Agent 44'],
    ['a service', 'Accueil Nantes'],
    ['a service with accents', 'Secrétariat Pôle'],
    ['parentheses', 'Camille Durand (44)'],
  ])('refuses a display name with %s', (_why, name) => {
    expect(displayNameProblem(name)).not.toBeNull();
  });

  it.each([['Camille Durand'], ['Jean-Pierre de La Fontaine'], ['Yann Le Bot'], ['Jeanne d’Arc']])(
    'accepts the name %s',
    (name) => {
      expect(displayNameProblem(name)).toBeNull();
    },
  );
});

describe('staff creation and role grants need a second admin', () => {
  let server: RunningServer;
  let mailbox: Mailbox;
  let adminA: Client;
  let adminB: Client;
  let second: DemoAccount;

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startServer({ env: { CLOISON_SMTP_URL: mailbox.url } });
    second = addSecondAdmin(server);
    adminA = await new Client(server.baseUrl).login(server.account('admin'));
    adminB = await new Client(server.baseUrl).login(second);
  });
  afterAll(async () => {
    await stopAndRemove(server);
    await mailbox.close();
  });

  it('refuses shared mailboxes and non-names over HTTP, with the reason, and keeps e-mails unique', async () => {
    const count = () => row<{ n: number }>(server, 'select count(*) as n from accounts')!.n;
    const before = count();
    const ask = (email: string, displayName: string) =>
      adminA.post('/api/v1/staff', { json: { email, displayName, role: 'accueil' } });
    for (const [email, name] of [
      ['Accueil.44@MDPH44.fr', 'Camille Durand'],
      ['contact@mdph44.fr', 'Camille Durand'],
      ['camille.durand@mdph44.fr', 'Accueil MDPH'],
      ['camille.durand@mdph44.fr', 'Camille'],
    ] as const) {
      const res = await ask(email, name);
      expect(res.status, `${email} / ${name}`).toBe(400);
      expect(problemType(res)).toBe('urn:cloison:problem:not-a-personal-account');
      expect((res.json as { detail: string }).detail.length).toBeGreaterThan(20);
    }
    expect(count()).toBe(before);

    const ok = await ask('Camille.Durand@MDPH44.fr', ' Camille   Durand ');
    expect(ok.status).toBe(201);
    const { accountId } = ok.json as { accountId: string };
    expect(row(server, 'select email, display_name from accounts where id = ?', accountId)).toEqual(
      { email: 'camille.durand@mdph44.fr', display_name: 'Camille Durand' },
    );
    const again = await ask('CAMILLE.DURAND@mdph44.fr', 'Camille Durand');
    expect(again.status).toBe(409);
    expect(problemType(again)).toBe('urn:cloison:problem:email-unavailable');
    // An address already used by anybody (here a usager) cannot become a staff account.
    const usager = await ask(server.account('usager').email, 'Camille Martin');
    expect(usager.status).toBe(409);
  });

  it('creates nothing that can sign in until a second admin approves and the person activates', async () => {
    const email = 'lea.moreau@mdph44.fr';
    const asked = await adminA.post('/api/v1/staff', {
      json: { email, displayName: 'Léa Moreau', role: 'instructeur', team: 'equipe-nord' },
    });
    expect(asked.status).toBe(201);
    const { requestId, accountId } = asked.json as { requestId: string; accountId: string };
    expect(
      row(server, 'select status, role, manager_id from accounts where id = ?', accountId),
    ).toEqual({
      status: 'disabled',
      role: null,
      manager_id: server.account('responsable').id,
    });

    // Pending: nothing signs in, not even with the right password (one planted here behind the
    // API's back), and the answer is exactly a wrong password's for an unknown address.
    const admin = server.account('admin');
    writeDb(
      server.dbFile,
      'update accounts set password_hash = (select password_hash from accounts where id = ?) where id = ?',
      admin.id,
      accountId,
    );
    const pendingLogin = await loginAnswer(server, email, admin.password);
    expect(pendingLogin.status).toBe(401);
    expect(pendingLogin.text).toBe((await refusedLogin(server)).text);

    // The requester cannot approve, a responsable is not an admin, another tenant's admin
    // sees nothing.
    const self = await adminA.post(`/api/v1/staff-requests/${requestId}/approve`);
    expect(self.status).toBe(403);
    expect(problemType(self)).toBe('urn:cloison:problem:second-admin-required');
    const responsable = await new Client(server.baseUrl).login(server.account('responsable'));
    expect((await responsable.post(`/api/v1/staff-requests/${requestId}/approve`)).status).toBe(
      403,
    );
    const foreign = await new Client(server.baseUrl).login(server.account('admin', '85'));
    const foreignRes = await foreign.post(`/api/v1/staff-requests/${requestId}/approve`);
    const missingRes = await foreign.post(`/api/v1/staff-requests/${crypto.randomUUID()}/approve`);
    expect(foreignRes.status).toBe(404);
    expect(foreignRes.text).toBe(missingRes.text);
    expect(((await foreign.get('/api/v1/staff-requests')).json as { items: [] }).items).toEqual([]);

    const listA = (await adminA.get('/api/v1/staff-requests')).json as {
      items: Array<{ id: string; mayDecide: boolean; email: string }>;
    };
    expect(listA.items.find((i) => i.id === requestId)).toMatchObject({ email, mayDecide: false });
    const listB = (await adminB.get('/api/v1/staff-requests')).json as typeof listA;
    expect(listB.items.find((i) => i.id === requestId)?.mayDecide).toBe(true);
    expect(mailbox.to(email)).toEqual([]);
    expect(row(server, 'select status from role_grants where id = ?', requestId)).toEqual({
      status: 'pending',
    });

    // The second admin approves: the activation link goes to the person's own mailbox.
    const since = mailbox.messages.length;
    const approved = await adminB.post(`/api/v1/staff-requests/${requestId}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.json).toEqual({ requestId, status: 'approved' });
    expect((await adminB.post(`/api/v1/staff-requests/${requestId}/approve`)).status).toBe(409);
    const mail = await mailbox.waitFor(email, { since });
    const origin = server.baseUrl.replace('127.0.0.1', 'localhost');
    expect(mail.text).toContain(`${origin}/activation#jeton=`);
    const token = tokenOf(mail.text);

    // Approved but not activated: still nothing signs in.
    const beforeActivation = await loginAnswer(server, email, admin.password);
    expect(beforeActivation.status).toBe(401);
    expect(beforeActivation.text).toBe((await refusedLogin(server)).text);

    // The staff password policy applies; a refused password leaves the link usable.
    const activator = new Client(server.baseUrl);
    const weak = await activator.post('/api/v1/auth/activate', {
      json: { token, password: 'court mais pas' },
    });
    expect(weak.status).toBe(400);
    expect((weak.json as { detail: string }).detail).toMatch(/au moins 15/);
    const activated = await activator.post('/api/v1/auth/activate', {
      json: { token, password: GOOD_PASSWORD },
    });
    expect(activated.status).toBe(200);
    expect(activator.sessionCookie).not.toBeNull();
    const replay = await new Client(server.baseUrl).post('/api/v1/auth/activate', {
      json: { token, password: GOOD_PASSWORD },
    });
    expect(replay.status).toBe(400);
    expect(problemType(replay)).toBe('urn:cloison:problem:invalid-token');

    const account = row<Record<string, unknown>>(
      server,
      'select status, role, team, email_verified_at, role_grant_id from accounts where id = ?',
      accountId,
    );
    expect(account).toMatchObject({
      status: 'active',
      role: 'instructeur',
      team: 'equipe-nord',
      role_grant_id: requestId,
    });
    expect(account!.email_verified_at).toEqual(expect.any(String));
    expect(
      row(
        server,
        'select status, requested_by, decided_by from role_grants where id = ?',
        requestId,
      ),
    ).toEqual({
      status: 'approved',
      requested_by: server.account('admin').id,
      decided_by: second.id,
    });
    await new Client(server.baseUrl).login({ email, password: GOOD_PASSWORD });
    expect(eventKinds(server, accountId)).toEqual(
      expect.arrayContaining(['staff.requested', 'staff.approved', 'account.activated']),
    );
    expect(eventKinds(server, requestId)).toContain('approval.same-person');
    // In the audit log, what the two-person rule stopped is a refusal.
    expect(auditOutcomes(server, 'approval.same-person', requestId)).toContain('refused');
  });

  it('a refused request frees the address; an offboarded one can no longer be activated', async () => {
    const email = 'hugo.bernard@mdph44.fr';
    const ask = () =>
      adminA.post('/api/v1/staff', {
        json: { email, displayName: 'Hugo Bernard', role: 'accueil' },
      });
    const first = (await ask()).json as { requestId: string; accountId: string };
    const refused = await adminB.post(`/api/v1/staff-requests/${first.requestId}/refuse`);
    expect(refused.json).toEqual({ requestId: first.requestId, status: 'refused' });
    // A second admin's refusal is a decision, not a refused access: no refusal alert counts it.
    expect(auditOutcomes(server, 'staff.refused', first.accountId)).toEqual(['allowed']);
    expect(row(server, 'select id from accounts where id = ?', first.accountId)).toBeUndefined();
    expect(row(server, 'select status from role_grants where id = ?', first.requestId)).toEqual({
      status: 'refused',
    });

    const second = (await ask()).json as { requestId: string; accountId: string };
    const since = mailbox.messages.length;
    expect((await adminB.post(`/api/v1/staff-requests/${second.requestId}/approve`)).status).toBe(
      200,
    );
    const token = tokenOf((await mailbox.waitFor(email, { since })).text);
    // Offboarded between approval and activation (a departure, a wrong person): the link is dead.
    expect((await adminA.post(`/api/v1/accounts/${second.accountId}/disable`)).json).toEqual({
      accountId: second.accountId,
      status: 'disabled',
      requestId: null,
    });
    const late = await new Client(server.baseUrl).post('/api/v1/auth/activate', {
      json: { token, password: GOOD_PASSWORD },
    });
    expect(late.status).toBe(400);
    expect(
      row(server, 'select status, disabled_reason from accounts where id = ?', second.accountId),
    ).toEqual({ status: 'disabled', disabled_reason: 'offboarded' });
  });

  it('an unapproved role grant gives no access; the approved one does, under a new session', async () => {
    const target = server.account('instructeur');
    const instructeur = await new Client(server.baseUrl).login(target);
    // /api/v1/staff is for responsables and admins.
    expect((await instructeur.get('/api/v1/staff')).status).toBe(403);

    const requestPath = `/api/v1/accounts/${target.id}/role-requests`;
    const asked = await adminA.post(requestPath, { json: { role: 'responsable' } });
    expect(asked.status).toBe(201);
    const { requestId } = asked.json as { requestId: string };
    expect((await adminA.post(requestPath, { json: { role: 'responsable' } })).status).toBe(409);

    // Pending: nothing changed for the holder, even after signing in again.
    expect((await instructeur.get('/api/v1/staff')).status).toBe(403);
    const fresh = await new Client(server.baseUrl).login(target);
    expect((await fresh.get('/api/v1/staff')).status).toBe(403);
    expect((await adminA.post(`/api/v1/staff-requests/${requestId}/approve`)).status).toBe(403);

    expect((await adminB.post(`/api/v1/staff-requests/${requestId}/approve`)).status).toBe(200);
    // The role changed: every session of the holder ended; signing in again gives the new role.
    expect((await instructeur.get('/api/v1/me')).status).toBe(401);
    expect((await fresh.get('/api/v1/me')).status).toBe(401);
    const promoted = await new Client(server.baseUrl).login(target);
    expect((await promoted.get('/api/v1/staff')).status).toBe(200);
    expect(eventKinds(server, target.id)).toContain('role.granted');
    expect(row(server, 'select role, role_grant_id from accounts where id = ?', target.id)).toEqual(
      { role: 'responsable', role_grant_id: requestId },
    );
  });

  it('no admin decides a grant to themself, nor a request of theirs; refusals change nothing', async () => {
    const forA = await adminB.post(`/api/v1/accounts/${server.account('admin').id}/role-requests`, {
      json: { role: 'dpo' },
    });
    expect(forA.status).toBe(201);
    const { requestId } = forA.json as { requestId: string };
    for (const admin of [adminA, adminB]) {
      const res = await admin.post(`/api/v1/staff-requests/${requestId}/approve`);
      expect(res.status).toBe(403);
      expect(problemType(res)).toBe('urn:cloison:problem:second-admin-required');
    }
    expect(
      row(server, 'select role from accounts where id = ?', server.account('admin').id),
    ).toEqual({ role: 'admin' });

    // A refused change leaves the role as it was.
    const target = server.account('accueil');
    const asked = (
      await adminA.post(`/api/v1/accounts/${target.id}/role-requests`, {
        json: { role: 'instructeur' },
      })
    ).json as { requestId: string };
    expect((await adminB.post(`/api/v1/staff-requests/${asked.requestId}/refuse`)).status).toBe(
      200,
    );
    expect(row(server, 'select role from accounts where id = ?', target.id)).toEqual({
      role: 'accueil',
    });

    // Only staff of one's own département: a usager or a foreign account is a missing one.
    const missing = await adminA.post(`/api/v1/accounts/${crypto.randomUUID()}/role-requests`, {
      json: { role: 'admin' },
    });
    for (const other of [server.account('usager'), server.account('instructeur', '85')]) {
      const res = await adminA.post(`/api/v1/accounts/${other.id}/role-requests`, {
        json: { role: 'admin' },
      });
      expect(res.status).toBe(404);
      expect(res.text).toBe(missing.text);
    }
    const responsable = await new Client(server.baseUrl).login(server.account('responsable'));
    expect(
      (
        await responsable.post(`/api/v1/accounts/${target.id}/role-requests`, {
          json: { role: 'admin' },
        })
      ).status,
    ).toBe(403);
  });

  it('a temporary grant stops working at its expiry on the very next request, before any job ran', async () => {
    const target = server.account('instructeur-sud');
    const expiresAt = new Date(Date.now() + 6_000).toISOString();
    const { requestId } = (
      await adminA.post(`/api/v1/accounts/${target.id}/role-requests`, {
        json: { role: 'responsable', team: 'equipe-sud', expiresAt },
      })
    ).json as { requestId: string };
    expect((await adminB.post(`/api/v1/staff-requests/${requestId}/approve`)).status).toBe(200);
    const holder = await new Client(server.baseUrl).login(target);
    expect((await holder.get('/api/v1/staff')).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 300));
    expect((await holder.get('/api/v1/staff')).status).toBe(401);
    // The hourly job has not run since the start: the session check alone refused it.
    expect(row(server, 'select role from accounts where id = ?', target.id)).toEqual({
      role: 'responsable',
    });
    expect(row(server, 'select status from role_grants where id = ?', requestId)).toEqual({
      status: 'approved',
    });

    // Signing in again is refused like a wrong password, and writes the expiry down.
    const login = await loginAnswer(server, target.email, target.password);
    expect(login.status).toBe(401);
    expect(login.text).toBe((await refusedLogin(server)).text);
    expect(row(server, 'select role, role_grant_id from accounts where id = ?', target.id)).toEqual(
      { role: null, role_grant_id: null },
    );
    expect(row(server, 'select status from role_grants where id = ?', requestId)).toEqual({
      status: 'expired',
    });
    expect(eventKinds(server, target.id)).toContain('role.expired');
  });

  it('refuses a temporary grant that ends in the past', async () => {
    const res = await adminA.post(
      `/api/v1/accounts/${server.account('evaluateur').id}/role-requests`,
      { json: { role: 'responsable', expiresAt: new Date(Date.now() - 1000).toISOString() } },
    );
    expect(res.status).toBe(400);
    expect(problemType(res)).toBe('urn:cloison:problem:expiry-not-in-future');
  });

  it('the scheduled job ends a temporary grant once its time has come, with nobody signing in', async () => {
    const target = server.account('evaluateur-2');
    const expiresAt = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const { requestId } = (
      await adminA.post(`/api/v1/accounts/${target.id}/role-requests`, {
        json: { role: 'responsable', expiresAt },
      })
    ).json as { requestId: string };
    expect((await adminB.post(`/api/v1/staff-requests/${requestId}/approve`)).status).toBe(200);
    await server.stop();
    server = await startServer({
      dataDir: server.dataDir,
      env: { CLOISON_CLOCK_OFFSET: '3h', NODE_ENV: 'test', CLOISON_SMTP_URL: mailbox.url },
    });
    // The job runs as the server starts listening; give it a moment.
    const ended = () =>
      row<{ role: string | null }>(server, 'select role from accounts where id = ?', target.id)
        ?.role === null;
    expect(await eventually(ended)).toBe(true);
    expect(row(server, 'select role_expires_at from accounts where id = ?', target.id)).toEqual({
      role_expires_at: null,
    });
    expect(row(server, 'select status from role_grants where id = ?', requestId)).toEqual({
      status: 'expired',
    });
    expect(eventKinds(server, target.id)).toContain('role.expired');
  });
});

describe('approving a new account needs a working mailer', () => {
  it('answers 503 and leaves the request pending when no mail can be sent', async () => {
    const seeded = await startServer();
    const dataDir = seeded.dataDir;
    const second = addSecondAdmin(seeded);
    const admin = seeded.account('admin');
    await seeded.stop();
    // Outside demo mode, without CLOISON_SMTP_URL: nothing can be mailed.
    const s = await startServer({
      dataDir,
      demo: false,
      env: { CLOISON_MASTER_KEY_FILE: `${dataDir}/demo-master.key` },
    });
    try {
      const a = await new Client(s.baseUrl).login(admin);
      const b = await new Client(s.baseUrl).login(second);
      const { requestId } = (
        await a.post('/api/v1/staff', {
          json: { email: 'ines.garnier@mdph44.fr', displayName: 'Inès Garnier', role: 'accueil' },
        })
      ).json as { requestId: string };
      const res = await b.post(`/api/v1/staff-requests/${requestId}/approve`);
      expect(res.status).toBe(503);
      expect(problemType(res)).toBe('urn:cloison:problem:mail-unavailable');
      expect(row(s, 'select status from role_grants where id = ?', requestId)).toEqual({
        status: 'pending',
      });
    } finally {
      await stopAndRemove(s);
    }
  });
});

describe('access review campaigns', () => {
  let server: RunningServer | undefined;
  afterAll(() => stopAndRemove(server));

  it('reviewers confirm or revoke; after the deadline unreviewed roles lapse, confirmed ones work', async () => {
    // Sessions may stay idle for 10 h here, so that only the review decides what survives.
    const env = { CLOISON_SESSION_IDLE_MINUTES: '600' };
    server = await startServer({ env });
    const s = server;
    const second = addSecondAdmin(s);
    const admin = await new Client(s.baseUrl).login(s.account('admin'));
    const deadline = new Date(Date.now() + 2 * 3_600_000).toISOString();

    const responsable = await new Client(s.baseUrl).login(s.account('responsable'));
    expect((await responsable.post('/api/v1/access-reviews', { json: { deadline } })).status).toBe(
      403,
    );
    const opened = await admin.post('/api/v1/access-reviews', { json: { deadline } });
    expect(opened.status).toBe(201);
    // The ten demo staff (two admins), every one assigned to somebody else.
    expect(opened.json).toMatchObject({ items: 10, unassigned: 0 });
    expect((await admin.post('/api/v1/access-reviews', { json: { deadline } })).status).toBe(409);

    const reviewers = queryDb<{ account_id: string; reviewer_id: string }>(
      s.dbFile,
      'select account_id, reviewer_id from access_review_items',
    );
    expect(reviewers.every((r) => r.reviewer_id !== r.account_id)).toBe(true);
    const reviewerOf = (id: string) => reviewers.find((r) => r.account_id === id)?.reviewer_id;
    expect(reviewerOf(s.account('admin').id)).toBe(second.id);
    expect(reviewerOf(s.account('responsable').id)).toBe(s.account('admin').id);
    expect(reviewerOf(s.account('instructeur').id)).toBe(s.account('responsable').id);

    type Items = { items: Array<{ id: string; accountId: string; role: string }> };
    const mine = (await responsable.get('/api/v1/access-reviews/items')).json as Items;
    const agentLabels = [
      'accueil',
      'instructeur',
      'instructeur-sud',
      'evaluateur',
      'evaluateur-2',
      'cdaph',
    ];
    expect(mine.items.map((i) => i.accountId).sort()).toEqual(
      agentLabels.map((l) => s.account(l).id).sort(),
    );
    const itemOf = (label: string) => mine.items.find((i) => i.accountId === s.account(label).id)!;

    const confirmedAgent = await new Client(s.baseUrl).login(s.account('instructeur'));
    const revokedAgent = await new Client(s.baseUrl).login(s.account('accueil'));
    const unreviewedAgent = await new Client(s.baseUrl).login(s.account('evaluateur'));

    // Only the assigned reviewer reaches an item: another tenant's responsable and an admin of
    // this one get the 404 of a missing item, an agent does not pass the gate.
    const decide = (c: Client, id: string, decision: string) =>
      c.post(`/api/v1/access-reviews/items/${id}`, { json: { decision } });
    const foreign = await new Client(s.baseUrl).login(s.account('responsable', '85'));
    const missing = await decide(foreign, crypto.randomUUID(), 'revoke');
    for (const outsider of [foreign, admin]) {
      const res = await decide(outsider, itemOf('instructeur').id, 'revoke');
      expect(res.status).toBe(404);
      expect(res.text).toBe(missing.text);
    }
    expect((await decide(confirmedAgent, itemOf('accueil').id, 'revoke')).status).toBe(403);

    expect((await decide(responsable, itemOf('instructeur').id, 'confirm')).json).toEqual({
      id: itemOf('instructeur').id,
      status: 'confirmed',
    });
    expect((await decide(responsable, itemOf('accueil').id, 'revoke')).status).toBe(200);
    // Unreviewed roles now stop at the deadline (the session check reads this, as for a
    // temporary grant); a confirmed one is back to its own expiry, none here.
    const expiry = (label: string) =>
      row<{ role_expires_at: string | null }>(
        s,
        'select role_expires_at from accounts where id = ?',
        s.account(label).id,
      )?.role_expires_at;
    expect(expiry('evaluateur')).toBe(deadline);
    expect(expiry('instructeur')).toBeNull();
    expect((await decide(responsable, itemOf('accueil').id, 'confirm')).status).toBe(409);

    // Revoked: the live session ends at once, signing in is refused, the role is gone.
    expect((await revokedAgent.get('/api/v1/cases')).status).toBe(401);
    const accueil = s.account('accueil');
    expect((await loginAnswer(s, accueil.email, accueil.password)).status).toBe(401);
    expect(row(s, 'select role from accounts where id = ?', accueil.id)).toEqual({ role: null });
    expect(eventKinds(s, accueil.id)).toContain('review.revoked');
    // Before the deadline, unreviewed roles still work.
    expect((await unreviewedAgent.get('/api/v1/cases')).status).toBe(200);

    // Three hours later, one past the deadline.
    const cookies = {
      confirmed: confirmedAgent.sessionCookie,
      unreviewed: unreviewedAgent.sessionCookie,
    };
    await s.stop();
    server = await startServer({
      dataDir: s.dataDir,
      env: { ...env, CLOISON_CLOCK_OFFSET: '3h', NODE_ENV: 'test' },
    });
    const later = server;
    const confirmedLater = new Client(later.baseUrl);
    confirmedLater.sessionCookie = cookies.confirmed;
    const unreviewedLater = new Client(later.baseUrl);
    unreviewedLater.sessionCookie = cookies.unreviewed;
    expect((await confirmedLater.get('/api/v1/cases')).status).toBe(200);
    expect((await unreviewedLater.get('/api/v1/cases')).status).toBe(401);
    const evaluateur = later.account('evaluateur');
    const refused = await loginAnswer(later, evaluateur.email, evaluateur.password);
    expect(refused.status).toBe(401);
    expect(refused.text).toBe((await refusedLogin(later)).text);
    await new Client(later.baseUrl).login(later.account('instructeur'));

    expect(
      row(later, 'select status from access_review_items where account_id = ?', evaluateur.id),
    ).toEqual({ status: 'lapsed' });
    expect(
      row(
        later,
        'select g.status from role_grants g where g.account_id = ? and g.reason = ?',
        evaluateur.id,
        'lapsed',
      ),
    ).toEqual({ status: 'lapsed' });
    expect(eventKinds(later, evaluateur.id)).toContain('review.lapsed');
    // The job, run as the server started, closed the campaign.
    expect(
      await eventually(
        () =>
          row<{ closed_at: string | null }>(later, 'select closed_at from access_reviews')
            ?.closed_at !== null,
      ),
    ).toBe(true);
  });
});

describe('demo world', () => {
  it('gives every demo staff account an approved grant from the seed, a verified e-mail and a manager', async () => {
    const s = await startServer();
    try {
      const staff = queryDb<{
        id: string;
        role: string;
        tenant_id: string;
        manager_id: string | null;
        email_verified_at: string | null;
        grant_role: string;
        grant_status: string;
        reason: string;
        requested_by: string | null;
      }>(
        s.dbFile,
        `select a.id, a.role, a.tenant_id, a.manager_id, a.email_verified_at, g.role as grant_role,
           g.status as grant_status, g.reason, g.requested_by
         from accounts a join role_grants g on g.id = a.role_grant_id where a.kind = 'staff'`,
      );
      expect(staff.length).toBe(20);
      for (const a of staff) {
        expect(a).toMatchObject({
          grant_role: a.role,
          grant_status: 'approved',
          reason: 'demo-seed',
          requested_by: null,
        });
        expect(a.email_verified_at).not.toBeNull();
      }
      for (const tenant of ['44', '85']) {
        const boss = s.account('responsable', tenant).id;
        for (const label of ['accueil', 'instructeur', 'evaluateur', 'cdaph'])
          expect(staff.find((a) => a.id === s.account(label, tenant).id)?.manager_id).toBe(boss);
        expect(staff.find((a) => a.id === s.account('admin', tenant).id)?.manager_id).toBeNull();
      }
    } finally {
      await stopAndRemove(s);
    }
  });
});
