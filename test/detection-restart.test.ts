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
 * Time and restarts: out-of-hours access judged on each département's own working hours in
 * Europe/Paris time (the server's clock moved with CLOISON_CLOCK_OFFSET), and a detector that,
 * restarted, neither alerts again on what it has read nor misses what came while it was down.
 */

let server: RunningServer;
let world: World;
let hooks: WebhookReceiver;

/** Minutes from now until the next time Paris shows this week day and hour (weekday 1 = Monday). */
function minutesUntil(weekday: number, hour: number, from = Date.now()): number {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    weekday: 'short',
    hour: '2-digit',
    hourCycle: 'h23',
  });
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  for (let m = 60; m < 9 * 24 * 60; m += 60) {
    const at = new Date(Math.floor(from / 3_600_000) * 3_600_000 + m * 60_000);
    const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
    if (parts.weekday === days[weekday - 1] && Number(parts.hour) === hour) {
      return Math.round((at.getTime() - from) / 60_000) + 5;
    }
  }
  throw new Error('no such hour within nine days');
}

const sundayNoon = minutesUntil(7, 12);
// The Tuesday after that Sunday, mid-morning: working hours by default.
const tuesdayMorning = sundayNoon + minutesUntil(2, 10, Date.now() + sundayNoon * 60_000);

async function start(offsetMinutes: number, dataDir?: string) {
  server = await startServer({
    ...(dataDir ? { dataDir } : {}),
    env: { CLOISON_CLOCK_OFFSET: `${offsetMinutes}m`, NODE_ENV: 'test' },
  });
}

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  await start(sundayNoon);
  world = readWorld(server.dbFile);
  await subscribeDepartements(server, hooks);
});
afterAll(async () => {
  await stopAndRemove(server);
  await hooks.close();
});

const tenantId = (code: string) => world.tenants.find((t) => t.code === code)!.id;
const settle = () => new Promise((r) => setTimeout(r, 1_500));
const caseOf = (code: string) => world.cases.find((c) => c.tenant_id === tenantId(code))!.id;
const outOfHours = (code: string, subject: string) =>
  hooks.alerts(code, 'out-of-hours').filter((a) => a.subject === subject);

describe('out-of-hours access', () => {
  it('on a Sunday: one alert per agent and day; a département working Sundays is not alerted', async () => {
    const admin85 = await new Client(server.baseUrl).login(server.account('admin', '85'));
    const everyDay = { timeZone: 'Europe/Paris', days: [1, 2, 3, 4, 5, 6, 7] };
    const res = await admin85.put('/api/v1/alert-settings', {
      json: { workingHours: { ...everyDay, start: '07:00', end: '20:00' } },
    });
    expect(res.status, res.text).toBe(200);

    const agent = server.account('responsable');
    const agent85 = server.account('responsable', '85');
    const client = await new Client(server.baseUrl).login(agent);
    const client85 = await new Client(server.baseUrl).login(agent85);
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    expect((await usager.get('/api/v1/cases')).status).toBe(200);
    expect((await client85.get(`/api/v1/cases/${caseOf('85')}`)).status).toBe(200);
    expect((await client.get(`/api/v1/cases/${caseOf('44')}`)).status).toBe(200);
    expect(await eventually(() => outOfHours('44', agent.id).length === 1)).toBe(true);
    expect(outOfHours('44', agent.id)[0]).toMatchObject({ severity: 'medium', count: 1 });

    // More reads that day: counted in the same alert; resolved, still not a second one that day.
    expect((await client.get(`/api/v1/cases/${caseOf('44')}/documents`)).status).toBe(200);
    await settle();
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    const inbox = (await dpo.get('/api/v1/alerts')).json as {
      items: Array<{ id: string; rule: string; subject: string; count: number }>;
    };
    const alert = inbox.items.find((i) => i.rule === 'out-of-hours' && i.subject === agent.id)!;
    expect(alert.count).toBe(2);
    expect((await dpo.post(`/api/v1/alerts/${alert.id}/resolve`)).status).toBe(204);
    expect((await client.get('/api/v1/cases')).status).toBe(200);
    await settle();
    expect(outOfHours('44', agent.id)).toHaveLength(1);

    expect(hooks.alerts('85', 'out-of-hours')).toEqual([]);
    expect(hooks.alerts('44', 'out-of-hours').map((a) => a.subject)).toEqual([agent.id]);
  });
});

describe('a restarted detector', () => {
  it('alerts on what came while it was down, and on nothing it had already read', async () => {
    // An alert read and dealt with before the restart: reading its event again would raise it anew.
    const decoy = world.decoys.find((d) => d.tenant_id === tenantId('44'))!.case_id;
    const accueil = server.account('accueil');
    const desk = await new Client(server.baseUrl).login(accueil);
    expect((await desk.get(`/api/v1/cases/${decoy}`)).status).toBe(200);
    const touched = () =>
      hooks.alerts('44', 'decoy-touched').filter((a) => a.subject === accueil.id);
    expect(await eventually(() => touched().length === 1)).toBe(true);
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    expect((await dpo.post(`/api/v1/alerts/${touched()[0]!.id}/resolve`)).status).toBe(204);
    await settle();

    const dataDir = server.dataDir;
    const deliveredBefore = hooks.received.length;
    const alertsBefore = queryDb(server.dbFile, 'select id from alerts').length;
    await server.stop();

    // While the server is down, another process appends a break-glass use to the log.
    const instructeur = server.account('instructeur');
    appendAuditEntry(server.dbFile, {
      at: new Date(Date.now() + sundayNoon * 60_000).toISOString(),
      tenant: tenantId('44'),
      actorKind: 'staff',
      actorId: instructeur.id,
      actorRole: 'instructeur',
      actorTeam: 'equipe-nord',
      onBehalfOf: null,
      action: 'case.breakGlass',
      objectType: 'case',
      objectId: caseOf('44'),
      purpose: 'accès exceptionnel (bris de glace)',
      outcome: 'allowed',
      ip: '127.0.0.1',
      route: null,
    });

    await start(tuesdayMorning, dataDir);
    expect(
      await eventually(() =>
        hooks.alerts('44', 'break-glass').some((a) => a.subject === instructeur.id),
      ),
    ).toBe(true);
    await settle();
    // Only about that event: a break-glass use, on a Sunday (out of hours too).
    const fresh = hooks.received.slice(deliveredBefore).map((r) => r.alert);
    expect(fresh.map((a) => `${a.rule} ${a.subject}`).sort()).toEqual([
      `break-glass ${instructeur.id}`,
      `out-of-hours ${instructeur.id}`,
    ]);
    expect(queryDb(server.dbFile, 'select id from alerts').length).toBe(alertsBefore + 2);

    // Tuesday morning is working time: reading a file raises nothing.
    const agent = server.account('responsable');
    const client = await new Client(server.baseUrl).login(agent);
    expect((await client.get(`/api/v1/cases/${caseOf('44')}`)).status).toBe(200);
    await settle();
    expect(outOfHours('44', agent.id)).toHaveLength(1);
    expect(hooks.received.length).toBe(deliveredBefore + 2);
  });
});
