import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { runCli, startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { stopAndRemove } from './support/storage.js';

/**
 * THREATS.md T4, the schedule: every kind of data has a rule (what it covers, from when, how
 * long active, how long archived, why, where the default comes from), public without an
 * account; the DPO of a département changes a duration within its bounds, the change in the
 * audit log with what it replaced; what the platform fixes (the audit log, backups, exports)
 * comes from its configuration and no département changes it.
 */

let server: RunningServer;
const AUDIT_DAYS = 200;

const anonymous = () => new Client(server.baseUrl);
const login = (label: string, tenant = '44') =>
  new Client(server.baseUrl).login(server.account(label, tenant));

interface Rule {
  kind: string;
  activeDays: number;
  archiveDays: number;
  setBy: string;
  kept: boolean;
  enforced: boolean;
  covers: string;
  startsFrom: string;
  legalBasis: string;
  source: string;
}
const rulesOf = (json: unknown) =>
  new Map(((json as { rules: Rule[] }).rules ?? []).map((r) => [r.kind, r]));

async function publicRules(code = '44') {
  const res = await anonymous().get(`/api/v1/public/tenants/${code}/retention`);
  expect(res.status, res.text).toBe(200);
  return rulesOf(res.json);
}

beforeAll(async () => {
  server = await startServer({ env: { CLOISON_AUDIT_RETENTION_DAYS: String(AUDIT_DAYS) } });
});
afterAll(async () => stopAndRemove(server));

describe('the retention schedule (T4)', () => {
  it('is public: every kind of data, its clock, its durations, its reasons, its source', async () => {
    const res = await anonymous().get('/api/v1/public/tenants/44/retention');
    expect(res.status, res.text).toBe(200);
    expect((res.json as { tenant: { code: string } }).tenant.code).toBe('44');
    const rules = rulesOf(res.json);
    expect([...rules.keys()].sort()).toEqual(
      [
        'backups',
        'case-decided',
        'case-lapsed',
        'draft',
        'exports',
        'person-without-case',
        'security-events',
        'sessions',
        'unverified-signup',
      ].sort(),
    );
    for (const rule of rules.values()) {
      for (const text of [rule.covers, rule.startsFrom, rule.legalBasis, rule.source]) {
        expect(text.length).toBeGreaterThan(5);
      }
    }
    // The defaults, as documented; the audit log's from the platform's configuration.
    expect(rules.get('draft')).toMatchObject({ activeDays: 90, archiveDays: 0, setBy: 'default' });
    // What Cloison already deletes by itself, and what it only publishes for now.
    expect(rules.get('draft')).toMatchObject({ enforced: false });
    expect(rules.get('security-events')).toMatchObject({ enforced: true });
    expect(rules.get('person-without-case')).toMatchObject({ activeDays: 730 });
    expect(rules.get('security-events')).toMatchObject({
      activeDays: AUDIT_DAYS,
      setBy: 'platform',
    });
    // No CLOISON_BACKUP_DIR: this server keeps no backup, and says so.
    expect(rules.get('backups')).toMatchObject({ kept: false, setBy: 'platform' });
    expect((res.json as { erasure: string }).erasure).toMatch(/effacement/);
  });

  it('answers a département that does not exist, or a code that cannot be one, with a problem', async () => {
    // Codes a département may have (Corsica's too), that none here has.
    for (const code of ['95', '2A']) {
      const missing = await anonymous().get(`/api/v1/public/tenants/${code}/retention`);
      expect(missing.status, code).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    const hostile = await anonymous().get("/api/v1/public/tenants/44'--/retention");
    expect(hostile.status).toBe(400);
    expect(hostile.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('is changed by the DPO within its bounds, for their département only, and audited', async () => {
    const dpo = await login('dpo');
    const changed = await dpo.put('/api/v1/retention/rules/draft', {
      json: { activeDays: 60, archiveDays: 0, reason: 'Délibération du conseil du 3 mars' },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(rulesOf(changed.json).get('draft')).toMatchObject({ activeDays: 60, setBy: 'dpo' });
    expect((await publicRules('44')).get('draft')).toMatchObject({ activeDays: 60 });
    // Another département keeps its own schedule.
    expect((await publicRules('85')).get('draft')).toMatchObject({
      activeDays: 90,
      setBy: 'default',
    });
    const events = queryDb<{ detail: string; account_id: string }>(
      server.dbFile,
      `select detail, account_id from security_events where kind = 'retention.changed' and object_id = 'draft'`,
    );
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.detail)).toMatchObject({
      fromActiveDays: 90,
      activeDays: 60,
      reason: 'Délibération du conseil du 3 mars',
    });
    expect(events[0]!.account_id).toBe(server.account('dpo', '44').id);
    const chained = queryDb<{ n: number }>(
      server.dbFile,
      `select count(*) as n from audit_events where json_extract(entry, '$.action') = 'retention.changed'`,
    );
    expect(chained[0]!.n).toBe(1);
  });

  it('refuses a duration outside its bounds, a platform rule, an unknown kind: nothing changes', async () => {
    const dpo = await login('dpo');
    const reason = 'Essai de durées hors des bornes';
    const attempts: Array<[string, object]> = [
      ['draft', { activeDays: 10, archiveDays: 0, reason }],
      ['draft', { activeDays: 60, archiveDays: 30, reason }],
      ['case-decided', { activeDays: 20 * 365, archiveDays: 0, reason }],
      ['security-events', { activeDays: 30, archiveDays: 0, reason }],
      ['backups', { activeDays: 30, archiveDays: 0, reason }],
      ['everything', { activeDays: 30, archiveDays: 0, reason }],
      ['draft', { activeDays: 60, archiveDays: 0 }],
      ['draft', { activeDays: 60, archiveDays: 0, reason: '\u200b\u200b\u200b\u200b\u200b' }],
      ['draft', { activeDays: -1, archiveDays: 0, reason }],
    ];
    const before = await publicRules('44');
    for (const [kind, body] of attempts) {
      const res = await dpo.put(`/api/v1/retention/rules/${kind}`, { json: body });
      expect(res.status, `${kind} ${JSON.stringify(body)}: ${res.text}`).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(await publicRules('44')).toEqual(before);
    const events = queryDb<{ n: number }>(
      server.dbFile,
      `select count(*) as n from security_events where kind = 'retention.changed'`,
    );
    expect(events[0]!.n).toBe(1);
  });

  it('is changed by the DPO only: the admin and the responsable read it, others never', async () => {
    const body = { activeDays: 120, archiveDays: 0, reason: 'Tentative sans le rôle voulu' };
    for (const label of ['admin', 'responsable', 'instructeur']) {
      const client = await login(label);
      const res = await client.put('/api/v1/retention/rules/draft', { json: body });
      expect(res.status, `${label}: ${res.text}`).toBe(403);
    }
    for (const label of ['admin', 'responsable']) {
      const res = await (await login(label)).get('/api/v1/retention/schedule');
      expect(res.status, `${label}: ${res.text}`).toBe(200);
      expect(rulesOf(res.json).get('draft')).toMatchObject({ activeDays: 60 });
    }
    const agent = await (await login('instructeur')).get('/api/v1/retention/schedule');
    expect(agent.status).toBe(403);
    expect((await publicRules('44')).get('draft')).toMatchObject({ activeDays: 60 });
  });

  it('is shown by `cloison retention show`, beside the running server', async () => {
    const shown = await runCli(['retention', 'show', '--tenant', '44'], {
      CLOISON_DATA_DIR: server.dataDir,
      CLOISON_AUDIT_RETENTION_DAYS: String(AUDIT_DAYS),
    });
    expect(shown.code, shown.output).toBe(0);
    expect(shown.output).toMatch(/^draft\s+active 60 j, archived 0, then purged\s+\[dpo\]/m);
    expect(shown.output).toMatch(/^security-events\s+active 200 j/m);
    const json = await runCli(['retention', 'show', '--tenant', '44', '--json'], {
      CLOISON_DATA_DIR: server.dataDir,
    });
    expect(json.code, json.output).toBe(0);
    expect(rulesOf(JSON.parse(json.output)).get('draft')).toMatchObject({ activeDays: 60 });
    const none = await runCli(['retention', 'show', '--tenant', '99'], {
      CLOISON_DATA_DIR: server.dataDir,
    });
    expect(none.code).toBe(1);
  });
});
