import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld } from './harness/world.js';
import { stopAndRemove } from './support/storage.js';
import { writeDb } from './support/writable-db.js';

/**
 * An erasure does what no rollback undoes after its database changes: it deletes blobs and
 * retires tenant key versions. Each of those must follow a change that is already on disk, never
 * one still waiting for its group's commit: an erasure whose commit fails (a full disk, a power
 * cut before the fsync) must leave every document readable, the erased person's included.
 */

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => stopAndRemove(server));

describe('an erasure whose commit fails', () => {
  it('deletes no blob and retires no key: every document still opens', async () => {
    const world = readWorld(server.dbFile);
    const staffIds = new Set(server.accounts.map((a) => a.id));
    // Documents of two persons of one tenant, on cases a demo instructeur is assigned.
    const readable = world.documents.filter((d) => {
      const c = world.cases.find((x) => x.id === d.case_id);
      return c?.instructeur_id && staffIds.has(c.instructeur_id) && d.category !== 'medical';
    });
    const caseOf = (d: (typeof readable)[number]) => world.cases.find((c) => c.id === d.case_id)!;
    const target = readable[0]!;
    const other = readable.find(
      (d) =>
        caseOf(d).tenant_id === caseOf(target).tenant_id &&
        caseOf(d).person_id !== caseOf(target).person_id,
    );
    expect(other).toBeDefined();
    const tenant = world.tenants.find((t) => t.id === caseOf(target).tenant_id)!;
    const reader = async (d: typeof target) =>
      new Client(server.baseUrl).login(
        server.accounts.find((a) => a.id === caseOf(d).instructeur_id)!,
      );
    const contents = async (d: typeof target) => {
      const res = await (await reader(d)).get(`/api/v1/documents/${d.id}/content`);
      expect(res.status, res.text).toBe(200);
      return res.bytes;
    };
    const before = { target: await contents(target), other: await contents(other!) };
    const keyVersions = () =>
      queryDb<{ n: number }>(server.dbFile, 'select count(*) as n from person_keys')[0]!.n;
    const keysBefore = keyVersions();

    // A deferred foreign key is only checked by COMMIT: every statement of the erasure succeeds
    // and its commit is what fails.
    writeDb(server.dbFile, 'create table poison_parent (id text primary key)');
    writeDb(
      server.dbFile,
      'create table poison (ref text references poison_parent (id) deferrable initially deferred)',
    );
    writeDb(
      server.dbFile,
      `create trigger erasure_poison after insert on erasure_certificates
       begin insert into poison (ref) values ('nowhere'); end`,
    );
    const dpo = await new Client(server.baseUrl).login(
      server.accounts.find((a) => a.label === 'dpo' && a.tenant === tenant.code)!,
    );
    try {
      const erased = await dpo.post(`/api/v1/persons/${caseOf(target).person_id}/erasure`, {
        json: { reason: 'right-to-erasure' },
      });
      expect(erased.status, erased.text).toBe(500);
    } finally {
      writeDb(server.dbFile, 'drop trigger erasure_poison');
    }

    // Nothing of it happened: the person, their blob and every tenant key version are there.
    expect(keyVersions()).toBe(keysBefore);
    expect((await contents(target)).equals(before.target)).toBe(true);
    expect((await contents(other!)).equals(before.other)).toBe(true);
  });
});
