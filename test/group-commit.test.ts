import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { ONE_BUSY_ACCOUNT, runCli, startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld, type World } from './harness/world.js';
import { stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

/**
 * Concurrent requests share their durable commits (src/db/sqlite-driver.ts). What must not change:
 * every answer waits for its record on disk, a group that cannot be committed answers no one with
 * success and leaves nothing, and the chains stay gapless and verifiable. A real server, real HTTP.
 */

let server: RunningServer;
let world: World;
beforeAll(async () => {
  server = await startServer({ env: { ...ONE_BUSY_ACCOUNT, CLOISON_METRICS_PORT: '0' } });
  world = readWorld(server.dbFile);
});
afterAll(() => stopAndRemove(server));

/** The value of one sample (`name value`) scraped from the metrics listener. */
async function sample(series: string): Promise<number> {
  const text = await (await fetch(server.metricsUrl!)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.slice(series.length + 1) ?? NaN);
}

const verify = () =>
  runCli(['audit', 'verify'], { CLOISON_DATA_DIR: server.dataDir, LOG_LEVEL: 'error' });

describe('group commit', () => {
  it('makes concurrent requests durable together, each with its record, chains gapless', async () => {
    const usager = await new Client(server.baseUrl).login(server.account('usager'));
    const tenant = world.tenants.find((t) => t.code === '44')!.id;
    const records = () =>
      queryDb<{ n: number }>(
        server.dbFile,
        `select count(*) as n from audit_events where chain = ? and json_extract(entry, '$.action') = 'me.read'`,
        tenant,
      )[0]!.n;
    const before = records();
    const commitsBefore = await sample('cloison_db_group_commit_units_count');
    const unitsBefore = await sample('cloison_db_group_commit_units_sum');

    // Sixty requests at once, as a burst reaches a busy server.
    const answers = await Promise.all(Array.from({ length: 60 }, () => usager.get('/api/v1/me')));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    // Every answer that left had its record on disk (read here by another connection).
    expect(records()).toBe(before + 60);

    const commits = (await sample('cloison_db_group_commit_units_count')) - commitsBefore;
    const units = (await sample('cloison_db_group_commit_units_sum')) - unitsBefore;
    expect(units).toBeGreaterThanOrEqual(60);
    // One write to disk per request would make these equal: requests shared theirs.
    expect(commits).toBeLessThan(units);

    const links = queryDb<{ seq: number }>(
      server.dbFile,
      'select seq from audit_events where chain = ? order by seq',
      tenant,
    ).map((r) => r.seq);
    const first = links[0]!;
    expect(links).toEqual(links.map((_, i) => first + i));
    const verified = await verify();
    expect(verified.code, verified.output).toBe(0);
  });

  it('answers no one with success when the group cannot be committed, and keeps none of it', async () => {
    const account = server.account('usager');
    const person = world.persons.find((p) => p.account_id === account.id)!;
    const kase = world.cases.find((c) => c.person_id === person.id)!;
    const client = await new Client(server.baseUrl).login(account);
    const messages = () =>
      queryDb(server.dbFile, 'select id from messages where case_id = ?', kase.id).length;
    const recorded = () =>
      queryDb(
        server.dbFile,
        `select seq from audit_events where json_extract(entry, '$.action') = 'message.create'`,
      ).length;
    const before = { messages: messages(), recorded: recorded() };

    // A deferred foreign key is only checked by COMMIT: every statement of the request succeeds,
    // its savepoint is released, and the group's commit is what fails (as a full disk would).
    writeDb(server.dbFile, 'create table poison_parent (id text primary key)');
    writeDb(
      server.dbFile,
      `create table poison (ref text references poison_parent (id) deferrable initially deferred)`,
    );
    writeDb(
      server.dbFile,
      `create trigger audit_events_poison after insert on audit_events
       when json_extract(new.entry, '$.action') = 'message.create'
       begin insert into poison (ref) values ('nowhere'); end`,
    );
    try {
      const res = await client.post(`/api/v1/cases/${kase.id}/messages`, {
        json: { body: 'Un message dont le groupe ne sera jamais écrit' },
      });
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(messages()).toBe(before.messages);
      expect(recorded()).toBe(before.recorded);
    } finally {
      writeDb(server.dbFile, 'drop trigger audit_events_poison');
    }
    // The connection is usable again at once, and what follows is kept with its record.
    const sent = await client.post(`/api/v1/cases/${kase.id}/messages`, {
      json: { body: 'Un message avec sa trace' },
    });
    expect(sent.status).toBe(201);
    expect(messages()).toBe(before.messages + 1);
    expect(recorded()).toBe(before.recorded + 1);
    const verified = await verify();
    expect(verified.code, verified.output).toBe(0);
  });
});
