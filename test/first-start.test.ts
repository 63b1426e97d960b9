import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { totpNow } from './harness/second-factor.js';
import {
  makeDataDir,
  makeKeyFile,
  runCli,
  startServer,
  type RunningServer,
} from './harness/server.js';
import { queryDb } from './harness/world.js';
import { SoftAuthenticator, originOf } from './support/authenticator.js';
import { writeDb } from './support/writable-db.js';
import { startMailbox, type Mailbox } from './support/mailbox.js';

/**
 * A real first start, without the demo: `cloison init`, `cloison tenants create`, then a server
 * on that directory where the first admins activate and enrol, create an agent between the two
 * of them, and a usager signs up. The operator creates a second département over the API and
 * never reaches anything inside one.
 */

const PASSWORD = 'une phrase de passe assez longue 2026';
const OPERATOR = 'Olivia Exploitante <olivia.exploitante@hebergeur.example>';
const ADMIN_A = { name: 'Marie Dupont', email: 'marie.dupont@loire-atlantique.example' };
const ADMIN_B = { name: 'Paul Martin', email: 'paul.martin@loire-atlantique.example' };

function tokenIn(text: string): string {
  const m = /#jeton=([A-Za-z0-9_-]+)/.exec(text);
  if (!m?.[1]) throw new Error(`no link in:\n${text}`);
  return m[1];
}

function tokensByEmail(output: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of output.matchAll(/<([^>]+)>: \S+#jeton=([A-Za-z0-9_-]+)/g))
    found.set(m[1]!, m[2]!);
  return found;
}

/** Activates with the link's token, then enrols TOTP as the first sign-in demands. */
async function activateAndEnrol(s: RunningServer, token: string): Promise<Client> {
  const client = new Client(s.baseUrl);
  const activated = await client.post('/api/v1/auth/activate', {
    json: { token, password: PASSWORD },
  });
  expect(activated.status, activated.text).toBe(200);
  expect((activated.json as { next: string }).next).toBe('enroll');
  // Nothing works before the second factor.
  expect((await client.get('/api/v1/staff')).status).toBe(403);
  const start = await client.post('/api/v1/me/second-factors/totp', {
    json: { currentPassword: PASSWORD },
  });
  expect(start.status, start.text).toBe(200);
  const { secret } = start.json as { secret: string };
  const confirmed = await client.post('/api/v1/me/second-factors/totp/confirm', {
    json: { code: totpNow(s.baseUrl, secret) },
  });
  expect(confirmed.status, confirmed.text).toBe(200);
  return client;
}

function entries(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

describe('cloison init refuses what would not be a real platform', () => {
  it('without a master key, or with one inside the data directory, says how to make one and leaves nothing', async () => {
    const dataDir = path.join(makeDataDir(), 'data');
    const none = await runCli(['init', '--operator', OPERATOR], { CLOISON_DATA_DIR: dataDir });
    expect(none.code, none.output).toBe(78);
    expect(none.output).toContain('cloison keys init-master --out');
    expect(entries(dataDir)).toEqual([]);

    fs.mkdirSync(dataDir, { mode: 0o700 });
    const inside = path.join(dataDir, 'master.key');
    fs.copyFileSync(makeKeyFile(), inside);
    const beside = await runCli(['init', '--operator', OPERATOR], {
      CLOISON_DATA_DIR: dataDir,
      CLOISON_MASTER_KEY_FILE: inside,
    });
    expect(beside.code, beside.output).toBe(78);
    expect(beside.output).toContain('inside the data directory');
    expect(entries(dataDir)).toEqual(['master.key']);
  });

  it('refuses a shared mailbox for the operator, and a missing operator, changing nothing', async () => {
    const dataDir = path.join(makeDataDir(), 'data');
    const env = { CLOISON_DATA_DIR: dataDir, CLOISON_MASTER_KEY_FILE: makeKeyFile() };
    const shared = await runCli(
      ['init', '--operator', 'Exploitation <exploitation@hebergeur.example>'],
      env,
    );
    expect(shared.code, shared.output).toBe(1);
    expect(entries(dataDir)).toEqual([]);
    const missing = await runCli(['init'], env);
    expect(missing.code, missing.output).toBe(64);
    const typo = await runCli(['init', '--operater', OPERATOR], env);
    expect(typo.code, typo.output).toBe(64);
    expect(typo.output.trim().split('\n')).toHaveLength(1);
    expect(entries(dataDir)).toEqual([]);
  });
});

describe('first start without the demo, end to end', () => {
  let dataDir: string;
  let keyFile: string;
  let env: Record<string, string>;
  let server: RunningServer;
  let mailbox: Mailbox;
  let linkFile: string;
  let adminTokens: Map<string, string>;

  beforeAll(async () => {
    dataDir = path.join(makeDataDir(), 'data');
    keyFile = makeKeyFile();
    env = { CLOISON_DATA_DIR: dataDir, CLOISON_MASTER_KEY_FILE: keyFile };
    linkFile = path.join(makeDataDir(), 'operator-link.txt');
    mailbox = await startMailbox();
  });
  afterAll(async () => {
    await server?.stop();
    await mailbox?.close();
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('init makes the platform once; the link goes to a 0600 file and nowhere else', async () => {
    const run = await runCli(['init', '--operator', OPERATOR, '--link-file', linkFile], env);
    expect(run.code, run.output).toBe(0);
    expect(fs.statSync(linkFile).mode & 0o777).toBe(0o600);
    const token = tokenIn(fs.readFileSync(linkFile, 'utf8'));
    expect(run.output).not.toContain(token);
    const operators = queryDb<{ kind: string; status: string; disabled_reason: string }>(
      path.join(dataDir, 'cloison.sqlite'),
      'select kind, status, disabled_reason from accounts',
    );
    expect(operators).toEqual([
      { kind: 'operateur', status: 'disabled', disabled_reason: 'awaiting-activation' },
    ]);

    const again = await runCli(['init', '--operator', OPERATOR], env);
    expect(again.code, again.output).toBe(1);
    expect(again.output).toContain('is not empty');
    expect(queryDb(path.join(dataDir, 'cloison.sqlite'), 'select id from accounts')).toHaveLength(
      1,
    );
  });

  it('tenants create refuses bad input whole, then creates the département and its two admins', async () => {
    const db = path.join(dataDir, 'cloison.sqlite');
    const bad = await runCli(
      [
        'tenants',
        'create',
        '--code',
        '44',
        '--name',
        'MDPH de Loire-Atlantique',
        '--admin',
        `${ADMIN_A.name} <${ADMIN_A.email}>`,
        '--admin',
        'accueil@loire-atlantique.example',
      ],
      env,
    );
    expect(bad.code, bad.output).toBe(1);
    expect(bad.output).toMatch(/boîte partagée/);
    const one = await runCli(
      ['tenants', 'create', '--code', '44', '--name', 'MDPH', '--admin', ADMIN_A.email],
      env,
    );
    expect(one.code, one.output).toBe(64);
    const badCode = await runCli(
      [
        'tenants',
        'create',
        '--code',
        '20',
        '--name',
        'MDPH de Corse',
        '--admin',
        `${ADMIN_A.name} <${ADMIN_A.email}>`,
        '--admin',
        `${ADMIN_B.name} <${ADMIN_B.email}>`,
      ],
      env,
    );
    expect(badCode.code, badCode.output).toBe(1);
    // One mailbox written twice is one person, not two admins.
    const same = await runCli(
      [
        'tenants',
        'create',
        '--code',
        '44',
        '--name',
        'MDPH de Loire-Atlantique',
        '--admin',
        `${ADMIN_A.name} <${ADMIN_A.email}>`,
        '--admin',
        `Marie Dupont Bis <${ADMIN_A.email.replace('@', '+2@').toUpperCase()}>`,
      ],
      env,
    );
    expect(same.code, same.output).toBe(1);
    expect(same.output).toContain('deux personnes distinctes');
    // A link file that cannot be written refuses the creation, before anything is made.
    const nowhere = await runCli(
      [
        'tenants',
        'create',
        '--code',
        '44',
        '--name',
        'MDPH de Loire-Atlantique',
        '--admin',
        `${ADMIN_A.name} <${ADMIN_A.email}>`,
        '--admin',
        `${ADMIN_B.name} <${ADMIN_B.email}>`,
        '--link-file',
        path.join(dataDir, '..', 'no-such-dir', 'links.txt'),
      ],
      env,
    );
    expect(nowhere.code, nowhere.output).toBe(1);
    expect(queryDb(db, 'select id from tenants')).toEqual([]);
    expect(queryDb(db, "select id from accounts where kind = 'staff'")).toEqual([]);

    const run = await runCli(
      [
        'tenants',
        'create',
        '--code',
        '44',
        '--name',
        'MDPH de Loire-Atlantique',
        '--admin',
        `${ADMIN_A.name} <${ADMIN_A.email}>`,
        '--admin',
        ADMIN_B.email,
      ],
      env,
    );
    expect(run.code, run.output).toBe(0);
    adminTokens = tokensByEmail(run.output);
    expect([...adminTokens.keys()].sort()).toEqual([ADMIN_A.email, ADMIN_B.email].sort());
    const tenant = queryDb<{ id: string }>(db, "select id from tenants where code = '44'")[0]!;
    // A name read from the bare address, checked like any other.
    expect(queryDb(db, 'select display_name from accounts where email = ?', ADMIN_B.email)).toEqual(
      [{ display_name: 'Paul Martin' }],
    );
    expect(queryDb(db, 'select count(*) as n from decoys where tenant_id = ?', tenant.id)).toEqual([
      { n: 1 },
    ]);
    expect(queryDb(db, 'select chain from audit_log_keys order by chain')).toEqual(
      [{ chain: '-' }, { chain: tenant.id }].sort((a, b) => a.chain.localeCompare(b.chain)),
    );
    const twice = await runCli(
      [
        'tenants',
        'create',
        '--code',
        '44',
        '--name',
        'Autre',
        '--admin',
        'Anne Petit <anne.petit@x.example>',
        '--admin',
        'Luc Petit <luc.petit@x.example>',
      ],
      env,
    );
    expect(twice.code, twice.output).toBe(1);
    expect(queryDb(db, 'select count(*) as n from tenants')).toEqual([{ n: 1 }]);
    const list = await runCli(['tenants', 'list'], env);
    expect(list.output).toContain('44  MDPH de Loire-Atlantique');
    expect(list.output).toContain('0 active, 2 to activate');
  });

  it('the server then works: admins activate and enrol, one asks for an instructeur, the other approves, a usager signs up', async () => {
    server = await startServer({
      dataDir,
      demo: false,
      env: { CLOISON_MASTER_KEY_FILE: keyFile, CLOISON_SMTP_URL: mailbox.url },
    });
    const adminA = await activateAndEnrol(server, adminTokens.get(ADMIN_A.email)!);
    const adminB = await activateAndEnrol(server, adminTokens.get(ADMIN_B.email)!);

    const agent = { email: 'lea.girard@loire-atlantique.example', displayName: 'Léa Girard' };
    const asked = await adminA.post('/api/v1/staff', {
      json: { ...agent, role: 'instructeur', team: 'equipe-nord' },
    });
    expect(asked.status, asked.text).toBe(201);
    const { requestId } = asked.json as { requestId: string };
    // Not by the one who asked.
    expect((await adminA.post(`/api/v1/staff-requests/${requestId}/approve`)).status).toBe(403);
    const since = mailbox.messages.length;
    const approved = await adminB.post(`/api/v1/staff-requests/${requestId}/approve`);
    expect(approved.status, approved.text).toBe(200);
    const mail = await mailbox.waitFor(agent.email, { since });
    const instructeur = await activateAndEnrol(server, tokenIn(mail.text));
    const queue = await instructeur.get('/api/v1/cases');
    expect(queue.status, queue.text).toBe(200);
    // The decoy is listed nowhere: a new département's queue is empty.
    expect((queue.json as { items: unknown[] }).items).toEqual([]);

    const usagerEmail = 'camille.usager@example.org';
    const signup = await new Client(server.baseUrl).post('/api/v1/auth/signup', {
      json: { email: usagerEmail, password: PASSWORD, displayName: 'Camille', tenant: '44' },
    });
    expect(signup.status, signup.text).toBe(202);
    const verification = await mailbox.waitFor(usagerEmail);
    const verified = await new Client(server.baseUrl).post('/api/v1/auth/verify-email', {
      json: { token: tokenIn(verification.text) },
    });
    expect(verified.status).toBe(204);
    const usager = await new Client(server.baseUrl).login({
      email: usagerEmail,
      password: PASSWORD,
    });
    expect((await usager.get('/api/v1/cases')).status).toBe(200);
  });

  it('the operator activates, enrols a passkey, lists and creates départements over the API, and reads no case', async () => {
    const operator = new Client(server.baseUrl);
    const activated = await operator.post('/api/v1/auth/activate', {
      json: { token: tokenIn(fs.readFileSync(linkFile, 'utf8')), password: PASSWORD },
    });
    expect(activated.status, activated.text).toBe(200);
    expect((await operator.get('/api/v1/tenants')).status).toBe(403);
    const options = await operator.post('/api/v1/me/passkeys/options', {
      json: { currentPassword: PASSWORD },
    });
    const key = new SoftAuthenticator(originOf(server.baseUrl));
    const publicKey = (options.json as { publicKey: Parameters<SoftAuthenticator['register']>[0] })
      .publicKey;
    const enrolled = await operator.post('/api/v1/me/passkeys', {
      json: { name: 'Clé de l’exploitante', credential: key.register(publicKey) },
    });
    expect(enrolled.status, enrolled.text).toBe(201);

    const listed = await operator.get('/api/v1/tenants');
    expect(listed.status, listed.text).toBe(200);
    expect((listed.json as { items: unknown[] }).items).toEqual([
      expect.objectContaining({
        code: '44',
        name: 'MDPH de Loire-Atlantique',
        activeAdmins: 2,
        adminsToActivate: 0,
      }),
    ]);

    const admins = [
      { email: 'anne.petit@vendee.example', displayName: 'Anne Petit' },
      { email: 'luc.moreau@vendee.example', displayName: 'Luc Moreau' },
    ];
    // Never the operator's own mailbox, under any spelling.
    const self = await operator.post('/api/v1/tenants', {
      json: {
        code: '85',
        name: 'MDPH de la Vendée',
        admins: [
          { email: 'olivia.exploitante+85@hebergeur.example', displayName: 'Olivia Exploitante' },
          admins[1],
        ],
      },
    });
    expect(self.status, self.text).toBe(400);
    const since = mailbox.messages.length;
    const created = await operator.post('/api/v1/tenants', {
      json: { code: '85', name: 'MDPH de la Vendée', admins },
    });
    expect(created.status, created.text).toBe(201);
    // The activation links go to each admin's own mailbox, never to the operator.
    expect(created.text).not.toMatch(/jeton/);
    for (const a of admins) {
      const mail = await mailbox.waitFor(a.email, { since });
      expect(mail.text).toContain('MDPH de la Vendée');
      await activateAndEnrol(server, tokenIn(mail.text));
    }
    const again = await operator.post('/api/v1/tenants', {
      json: { code: '85', name: 'MDPH de la Vendée', admins },
    });
    expect(again.status).toBe(409);

    // Inside a département the operator reaches nothing.
    expect((await operator.get('/api/v1/cases')).status).toBe(403);
    expect((await operator.get('/api/v1/staff')).status).toBe(403);
  });

  it('keeps an audit log that verifies, with the creations in the platform chain and each tenant’s', async () => {
    await server.stop();
    const db = path.join(dataDir, 'cloison.sqlite');
    const newAdmin = 'Inès Leroy <ines.leroy@loire-atlantique.example>';
    // Two admins make every account between them: the operator adds none to a healthy département.
    const refused = await runCli(
      ['tenants', 'add-admin', '--code', '44', '--admin', newAdmin],
      env,
    );
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain('déjà 2 administrateurs');
    // One of them gone dormant: the département could never approve another account on its own.
    writeDb(
      db,
      "update accounts set status = 'disabled', disabled_reason = 'dormant' where email = ?",
      ADMIN_B.email,
    );
    const restored = await runCli(
      ['tenants', 'add-admin', '--code', '44', '--admin', newAdmin],
      env,
    );
    expect(restored.code, restored.output).toBe(0);
    expect(tokensByEmail(restored.output).has('ines.leroy@loire-atlantique.example')).toBe(true);
    expect(
      queryDb(
        db,
        "select status, disabled_reason, role from accounts where email = 'ines.leroy@loire-atlantique.example'",
      ),
    ).toEqual([{ status: 'disabled', disabled_reason: 'awaiting-activation', role: 'admin' }]);
    const third = await runCli(
      ['tenants', 'add-admin', '--code', '44', '--admin', 'Jules Roux <jules.roux@x.example>'],
      env,
    );
    expect(third.code, third.output).toBe(1);
    const verify = await runCli(['audit', 'verify'], env);
    expect(verify.code, verify.output).toBe(0);
    const created = queryDb<{ chain: string; actor: string }>(
      path.join(dataDir, 'cloison.sqlite'),
      `select chain, json_extract(entry, '$.actorKind') as actor from audit_events
       where json_extract(entry, '$.action') = 'tenant.created' order by chain, seq`,
    );
    expect(created).toHaveLength(4);
    expect(
      created
        .filter((c) => c.chain === '-')
        .map((c) => c.actor)
        .sort(),
    ).toEqual(['operateur', 'system']);
    const restoredIn = queryDb<{ chain: string }>(
      db,
      "select chain from audit_events where json_extract(entry, '$.action') = 'tenant.admin-restored'",
    );
    expect(restoredIn).toHaveLength(2);
  });
});
