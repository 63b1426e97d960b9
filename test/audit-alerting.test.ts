import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { eventually, stopAndRemove } from './support/storage.js';
import {
  startWebhookReceiver,
  subscribeDepartements,
  type WebhookReceiver,
} from './support/webhook-receiver.js';

/**
 * Issue 5 item 9, end to end with the real producers: a row of the audit log edited in the
 * database file, or a break-glass access, reaches the département's webhook within seconds.
 */

let server: RunningServer;
let world: World;
let hooks: WebhookReceiver;

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  server = await startServer({ env: { CLOISON_AUDIT_VERIFY_SECONDS: '1' } });
  world = readWorld(server.dbFile);
  await subscribeDepartements(server, hooks, ['44']);
});
afterAll(async () => {
  await stopAndRemove(server);
  await hooks.close();
});

const tenant44 = () => world.tenants.find((t) => t.code === '44')!.id;

describe('alerts from the real producers', () => {
  it('a break-glass access alerts the DPO of its département', async () => {
    const instructeur = server.account('instructeur');
    const me = world.accounts.find((a) => a.id === instructeur.id)!;
    // A submitted case: a draft is no agent's, break-glass included.
    const target = world.cases.find(
      (c) =>
        c.tenant_id === me.tenant_id &&
        c.status !== 'brouillon' &&
        c.instructeur_id !== me.id &&
        (me.team === null || c.team !== me.team),
    )!;
    const client = await new Client(server.baseUrl).login(instructeur);
    const res = await client.post(`/api/v1/cases/${target.id}/break-glass`, {
      json: { reason: 'Appel de la personne, son instructeur est absent cette semaine' },
    });
    expect(res.status).toBe(201);
    expect(await eventually(() => hooks.alerts('44', 'break-glass').length === 1, 10_000)).toBe(
      true,
    );
    const [alert] = hooks.alerts('44', 'break-glass');
    expect(alert!.subject).toBe(instructeur.id);
    // The written reason stays with the DPO's review list, not in the alert.
    expect(JSON.stringify(alert)).not.toContain('absent');

    // Once the DPO acknowledged it, the next opening is a new alert, not absorbed in silence.
    const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
    expect((await dpo.post(`/api/v1/alerts/${alert!.id}/acknowledge`)).status).toBe(204);
    const second = world.cases.find(
      (c) =>
        c.tenant_id === me.tenant_id &&
        c.id !== target.id &&
        c.status !== 'brouillon' &&
        c.instructeur_id !== me.id &&
        (me.team === null || c.team !== me.team),
    )!;
    const again = await client.post(`/api/v1/cases/${second.id}/break-glass`, {
      json: { reason: 'Deuxième appel, une autre personne attend une réponse urgente' },
    });
    expect(again.status).toBe(201);
    expect(await eventually(() => hooks.alerts('44', 'break-glass').length === 2, 10_000)).toBe(
      true,
    );
  });

  it('an audit row edited in the database file raises a critical alert within seconds', async () => {
    const [row] = queryDb<{ seq: number }>(
      server.dbFile,
      'select seq from audit_events where chain = ? order by seq limit 1 offset 5',
      tenant44(),
    );
    expect(row).toBeDefined();
    const db = new Database(server.dbFile, { fileMustExist: true, timeout: 5_000 });
    try {
      db.exec('drop trigger if exists audit_events_no_update');
      const changed = db
        .prepare(
          'update audit_events set entry = replace(entry, \'"outcome":\', \'"outcome" :\') where chain = ? and seq = ?',
        )
        .run(tenant44(), row!.seq).changes;
      expect(changed).toBe(1);
    } finally {
      db.close();
    }
    expect(
      await eventually(() => hooks.alerts('44', 'audit-verification-failed').length === 1, 15_000),
    ).toBe(true);
    const [alert] = hooks.alerts('44', 'audit-verification-failed');
    expect(alert!.severity).toBe('critical');
    // Once per breakage: later runs of the verification do not alert again.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(hooks.alerts('44', 'audit-verification-failed')).toHaveLength(1);
  });
});
