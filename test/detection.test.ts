import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { appendAuditEntry } from './support/audit-append.js';
import { eventually, stopAndRemove } from './support/storage.js';
import {
  startWebhookReceiver,
  subscribeDepartements,
  type WebhookReceiver,
} from './support/webhook-receiver.js';

/**
 * Issue 5 item 4 over HTTP: each detection rule reads the committed audit log and its alert
 * reaches the département's webhook on 127.0.0.1; thresholds are each département's own.
 * Alerts are picked by rule and subject: a test run at night also raises out-of-hours ones.
 */

let server: RunningServer;
let world: World;
let hooks: WebhookReceiver;

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  server = await startServer();
  world = readWorld(server.dbFile);
  await subscribeDepartements(server, hooks);
});
afterAll(async () => {
  await stopAndRemove(server);
  await hooks.close();
});

const tenantId = (code: string) => world.tenants.find((t) => t.code === code)!.id;
/** Longer than a detection pass: what has not arrived by then was not raised. */
const settle = () => new Promise((r) => setTimeout(r, 1_500));
const bySubject = (code: string, rule: string, subject: string) =>
  hooks.alerts(code, rule).filter((a) => a.subject === subject);

async function signIn(label: string, code = '44') {
  return new Client(server.baseUrl).login(server.account(label, code));
}

interface SettingsView {
  rules: Array<{ rule: string; enabled: boolean; threshold: number; windowMinutes: number }>;
  workingHours: { timeZone: string; days: number[]; start: string; end: string };
}
const ruleOf = (view: unknown, rule: string) =>
  (view as SettingsView).rules.find((r) => r.rule === rule)!;

describe('alert settings', () => {
  it('list every rule for the DPO and admin; bounds hold and the decoy and audit rules stay on', async () => {
    const dpo = await signIn('dpo');
    const view = await dpo.get('/api/v1/alert-settings');
    expect(view.status).toBe(200);
    expect((view.json as SettingsView).rules.map((r) => r.rule)).toEqual([
      'refusal-burst',
      'id-probing',
      'bulk-download',
      'out-of-hours',
      'disabled-account-login',
      'concurrent-sessions',
      'decoy-touched',
      'audit-verification-failed',
      'break-glass',
      'detection-settings-changed',
      'invitation-claimed-from-inviter-address',
    ]);
    expect(ruleOf(view.json, 'refusal-burst')).toMatchObject({ threshold: 50, windowMinutes: 1 });
    expect((view.json as SettingsView).workingHours).toEqual({
      timeZone: 'Europe/Paris',
      days: [1, 2, 3, 4, 5],
      start: '07:00',
      end: '20:00',
    });

    const instructeur = await signIn('instructeur');
    expect((await instructeur.get('/api/v1/alert-settings')).status).toBe(403);
    const change = { rules: [{ rule: 'refusal-burst', threshold: 2 }] };
    expect((await instructeur.put('/api/v1/alert-settings', { json: change })).status).toBe(403);

    const refused = [
      { rules: [{ rule: 'refusal-burst', threshold: 0 }] },
      { rules: [{ rule: 'refusal-burst', windowMinutes: 0 }] },
      { rules: [{ rule: 'refusal-burst', windowMinutes: 1441 }] },
      { rules: [{ rule: 'decoy-touched', enabled: false }] },
      { rules: [{ rule: 'decoy-touched', threshold: 3 }] },
      { rules: [{ rule: 'audit-verification-failed', enabled: false }] },
      { rules: [{ rule: 'break-glass', enabled: false }] },
      { rules: [{ rule: 'detection-settings-changed', enabled: false }] },
      { rules: [{ rule: 'audit-verification-failed', windowMinutes: 5 }] },
      { rules: [{ rule: 'no-such-rule', enabled: false }] },
      {
        rules: [
          { rule: 'id-probing', threshold: 5 },
          { rule: 'id-probing', threshold: 6 },
        ],
      },
      { workingHours: { timeZone: 'Mars/Olympus', days: [1], start: '07:00', end: '20:00' } },
      { workingHours: { timeZone: 'Europe/Paris', days: [1], start: '20:00', end: '07:00' } },
      { workingHours: { timeZone: 'Europe/Paris', days: [0, 8], start: '07:00', end: '20:00' } },
      {},
    ];
    for (const body of refused) {
      const res = await dpo.put('/api/v1/alert-settings', { json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await dpo.get('/api/v1/alert-settings')).text).toBe(view.text);
  });

  it('are each département’s own, and every change is recorded', async () => {
    const admin85 = await signIn('admin', '85');
    const hours = {
      timeZone: 'Europe/Paris',
      days: [1, 2, 3, 4, 5, 6],
      start: '08:00',
      end: '19:00',
    };
    const res = await admin85.put('/api/v1/alert-settings', {
      json: {
        rules: [{ rule: 'bulk-download', threshold: 40, windowMinutes: 30 }],
        workingHours: hours,
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(ruleOf(res.json, 'bulk-download')).toMatchObject({ threshold: 40, windowMinutes: 30 });
    expect((res.json as SettingsView).workingHours).toEqual(hours);
    const other = await (await signIn('dpo')).get('/api/v1/alert-settings');
    expect(ruleOf(other.json, 'bulk-download')).toMatchObject({ threshold: 30, windowMinutes: 10 });

    const recorded = queryDb<{ entry: string }>(
      server.dbFile,
      "select entry from audit_events where chain = ? and json_extract(entry, '$.action') = 'alert-settings.changed'",
      tenantId('85'),
    ).map((r) => JSON.parse(r.entry) as { objectType: string; actorId: string });
    expect(recorded.map((e) => e.objectType).sort()).toEqual(['alert-rule', 'working-hours']);
    expect(recorded.every((e) => e.actorId === server.account('admin', '85').id)).toBe(true);
    // Loosening detection is itself told to the département, whoever did it.
    const changedBy = server.account('admin', '85').id;
    expect(
      await eventually(
        () => bySubject('85', 'detection-settings-changed', changedBy).length === 1,
        10_000,
      ),
    ).toBe(true);
    // Whoever an alert watches does not close it: the admin cannot, the DPO can.
    const [about] = queryDb<{ id: string }>(
      server.dbFile,
      "select id from alerts where rule = 'detection-settings-changed' and subject = ?",
      changedBy,
    );
    const own = await admin85.post(`/api/v1/alerts/${about!.id}/resolve`);
    const missing = await admin85.post(`/api/v1/alerts/${randomUUID()}/resolve`);
    expect(own.status).toBe(404);
    expect(own.text).toBe(missing.text);
    const dpo85 = await signIn('dpo', '85');
    expect((await dpo85.post(`/api/v1/alerts/${about!.id}/resolve`)).status).toBe(204);
  });
});

describe('detection rules', () => {
  it('refusal-burst: a département that lowers it to 5 is alerted at the 5th refusal; the other still needs 50', async () => {
    const admin = await signIn('admin');
    const lowered = await admin.put('/api/v1/alert-settings', {
      json: { rules: [{ rule: 'refusal-burst', threshold: 5 }] },
    });
    expect(lowered.status, lowered.text).toBe(200);
    const usager44 = server.account('usager');
    const usager85 = server.account('usager', '85');
    const client44 = await signIn('usager');
    const client85 = await signIn('usager', '85');
    const foreignTo44 = world.cases.find((c) => c.tenant_id === tenantId('85'))!.id;
    const foreignTo85 = world.cases.find((c) => c.tenant_id === tenantId('44'))!.id;
    for (let i = 0; i < 4; i += 1) {
      expect((await client44.get(`/api/v1/cases/${foreignTo44}`)).status).toBe(404);
    }
    for (let i = 0; i < 6; i += 1) {
      expect((await client85.get(`/api/v1/cases/${foreignTo85}`)).status).toBe(404);
    }
    await settle();
    expect(bySubject('44', 'refusal-burst', usager44.id)).toEqual([]);

    expect((await client44.get(`/api/v1/cases/${foreignTo44}`)).status).toBe(404);
    expect(await eventually(() => bySubject('44', 'refusal-burst', usager44.id).length === 1)).toBe(
      true,
    );
    const [alert] = bySubject('44', 'refusal-burst', usager44.id);
    expect(alert).toMatchObject({ severity: 'high', tenant: tenantId('44'), count: 5 });
    // The evidence is the five refusals, by sequence number in the département's chain.
    const evidence = queryDb<{ entry: string }>(
      server.dbFile,
      `select entry from audit_events where chain = ? and seq in (${alert!.evidence.join(',')})`,
      tenantId('44'),
    ).map((r) => JSON.parse(r.entry) as { actorId: string; outcome: string });
    expect(evidence).toHaveLength(5);
    expect(evidence.every((e) => e.actorId === usager44.id && e.outcome === 'refused')).toBe(true);

    await settle();
    expect(hooks.alerts('85', 'refusal-burst')).toEqual([]);
    expect(bySubject('44', 'refusal-burst', usager85.id)).toEqual([]);
    await admin.put('/api/v1/alert-settings', {
      json: { rules: [{ rule: 'refusal-burst', threshold: 50 }] },
    });
  });

  it('id-probing: ten distinct unknown ids within five minutes, not ten tries of one id', async () => {
    const responsable = server.account('responsable');
    const instructeur = server.account('instructeur');
    const prober = await signIn('responsable');
    const repeater = await signIn('instructeur');
    const same = randomUUID();
    for (let i = 0; i < 12; i += 1) {
      expect((await repeater.get(`/api/v1/cases/${same}`)).status).toBe(404);
    }
    for (let i = 0; i < 9; i += 1) {
      expect((await prober.get(`/api/v1/cases/${randomUUID()}`)).status).toBe(404);
    }
    await settle();
    expect(bySubject('44', 'id-probing', responsable.id)).toEqual([]);
    expect((await prober.get(`/api/v1/documents/${randomUUID()}/content`)).status).toBe(404);
    expect(await eventually(() => bySubject('44', 'id-probing', responsable.id).length === 1)).toBe(
      true,
    );
    expect(bySubject('44', 'id-probing', responsable.id)[0]).toMatchObject({
      severity: 'high',
      count: 10,
    });
    expect(bySubject('44', 'id-probing', instructeur.id)).toEqual([]);
  });

  it('bulk-download: the 30th download within ten minutes, not the 29th', async () => {
    const usager = server.account('usager-2');
    const client = await signIn('usager-2');
    const person = world.persons.find((p) => p.account_id === usager.id)!;
    const document = world.documents.find((d) =>
      world.cases.some((c) => c.id === d.case_id && c.person_id === person.id),
    )!;
    for (let i = 0; i < 29; i += 1) {
      expect((await client.get(`/api/v1/documents/${document.id}/content`)).status).toBe(200);
    }
    await settle();
    expect(bySubject('44', 'bulk-download', usager.id)).toEqual([]);
    expect((await client.get(`/api/v1/documents/${document.id}/content`)).status).toBe(200);
    expect(await eventually(() => bySubject('44', 'bulk-download', usager.id).length === 1)).toBe(
      true,
    );
    expect(bySubject('44', 'bulk-download', usager.id)[0]).toMatchObject({ count: 30 });
  });

  it('disabled-account-login: an attempt on an offboarded account reaches its département only', async () => {
    const leaver = server.account('evaluateur-2');
    const admin = await signIn('admin');
    expect((await admin.post(`/api/v1/accounts/${leaver.id}/disable`)).status).toBe(200);
    const attempt = await new Client(server.baseUrl).post('/api/v1/auth/login', {
      json: { email: leaver.email, password: leaver.password },
    });
    expect(attempt.status).toBe(401);
    expect(
      await eventually(() => bySubject('44', 'disabled-account-login', leaver.id).length === 1),
    ).toBe(true);
    expect(bySubject('44', 'disabled-account-login', leaver.id)[0]).toMatchObject({
      severity: 'high',
      tenant: tenantId('44'),
    });
    expect(hooks.alerts('85', 'disabled-account-login')).toEqual([]);
    expect(hooks.received.some((r) => r.body.includes(leaver.email))).toBe(false);
  });

  it('concurrent-sessions: one staff account signed in on a second device', async () => {
    const account = server.account('responsable', '85');
    await signIn('responsable', '85');
    await settle();
    expect(bySubject('85', 'concurrent-sessions', account.id)).toEqual([]);
    const elsewhere = new Client(server.baseUrl);
    const original = elsewhere.request.bind(elsewhere);
    elsewhere.request = (method, url, options = {}) =>
      original(method, url, {
        ...options,
        headers: { ...options.headers, 'user-agent': 'Another browser/1.0' },
      });
    await elsewhere.login(account);
    expect(
      await eventually(() => bySubject('85', 'concurrent-sessions', account.id).length === 1),
    ).toBe(true);
    expect(bySubject('85', 'concurrent-sessions', account.id)[0]!.severity).toBe('medium');
  });

  it('break-glass and audit verification failures, as their producers append them, alert once each', async () => {
    const t44 = tenantId('44');
    const instructeur = server.account('instructeur-sud');
    const base = {
      at: new Date().toISOString(),
      tenant: t44,
      onBehalfOf: null,
      ip: null,
      route: null,
    } as const;
    // What the break-glass route appends: a staff member opening a case outside their assignment.
    appendAuditEntry(server.dbFile, {
      ...base,
      actorKind: 'staff',
      actorId: instructeur.id,
      actorRole: 'instructeur',
      actorTeam: 'equipe-sud',
      action: 'case.breakGlass',
      objectType: 'case',
      objectId: world.cases.find((c) => c.tenant_id === t44)!.id,
      purpose: 'accès exceptionnel (bris de glace)',
      outcome: 'allowed',
      ip: '127.0.0.1',
    });
    // What periodic verification appends for each breakage it finds.
    const breakage = {
      ...base,
      actorKind: 'system',
      actorId: null,
      actorRole: null,
      actorTeam: null,
      action: 'audit.verification-failed',
      objectType: 'audit-chain',
      objectId: `${t44}:12`,
      purpose: null,
      outcome: 'failed',
    } as const;
    appendAuditEntry(server.dbFile, breakage);
    expect(
      await eventually(
        () =>
          bySubject('44', 'break-glass', instructeur.id).length === 1 &&
          bySubject('44', 'audit-verification-failed', `${t44}:12`).length === 1,
      ),
    ).toBe(true);
    expect(bySubject('44', 'break-glass', instructeur.id)[0]!.severity).toBe('high');
    expect(bySubject('44', 'audit-verification-failed', `${t44}:12`)[0]!.severity).toBe('critical');

    // Reported again by the next verification: the open alert counts it, nobody is told twice.
    appendAuditEntry(server.dbFile, { ...breakage, at: new Date().toISOString() });
    await settle();
    expect(bySubject('44', 'audit-verification-failed', `${t44}:12`)).toHaveLength(1);
    const rows = queryDb<{ count: number }>(
      server.dbFile,
      "select count from alerts where rule = 'audit-verification-failed' and tenant_id = ?",
      t44,
    );
    expect(rows).toEqual([{ count: 2 }]);

    // The inbox of the DPO lists them; the other département's does not.
    const inbox = await (await signIn('dpo')).get('/api/v1/alerts');
    const rules = (inbox.json as { items: Array<{ rule: string }> }).items.map((i) => i.rule);
    expect(rules).toEqual(expect.arrayContaining(['break-glass', 'audit-verification-failed']));
    const foreign = await (await signIn('dpo', '85')).get('/api/v1/alerts');
    expect(foreign.text).not.toContain('break-glass');
  });
});
