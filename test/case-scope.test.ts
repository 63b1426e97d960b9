import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDemo } from '../src/demo/seed.js';
import { actorFromAccount } from '../src/modules/auth/account-actor.js';
import { findCaseInScope, listCasesInScope } from '../src/modules/cases/case.repository.js';
import { caseScope } from '../src/policy/case.policy.js';
import { FileBlobStore } from '../src/storage/file-blob-store.js';
import { LocalKeyManager } from '../src/crypto/local-key-manager.js';
import { createMasterKeyFile } from '../src/crypto/master-key.js';
import { demoMasterKeyPath } from '../src/crypto/open-key-manager.js';
import { Vault } from '../src/crypto/vault.js';
import { makeDataDir } from './harness/server.js';
import { readWorld, type World } from './harness/world.js';
import { Oracle } from './access-matrix/oracle.js';

/**
 * The data-layer wall on its own (STYLE.md: deny at three depths). The access matrix proves the
 * server as a whole; here the SQL scope alone must load exactly the cases the oracle allows,
 * so that a service that forgot to call authorize() would still see nothing foreign.
 */

let dataDir: string;
let db: Db;
let world: World;
const today = new Date().toISOString().slice(0, 10);
const dayOffset = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  dataDir = makeDataDir('cloison-scope-');
  const config = loadConfig({ CLOISON_DATA_DIR: dataDir });
  db = openDatabase(config);
  await migrateToLatest(db);
  const keys = LocalKeyManager.open(
    path.join(dataDir, 'keyring.json'),
    createMasterKeyFile(demoMasterKeyPath(dataDir)),
  );
  const blobs = new FileBlobStore(path.join(dataDir, 'blobs'));
  await seedDemo({ db, blobs, vault: new Vault(keys) }, dataDir);

  // Mandates that must grant nothing: not verified yet, and verified but starting tomorrow.
  const accounts = await db.selectFrom('accounts').selectAll().execute();
  const persons = await db.selectFrom('persons').selectAll().execute();
  for (const tenant of await db.selectFrom('tenants').selectAll().execute()) {
    const usager = accounts.find((a) => a.tenant_id === tenant.id && a.email.startsWith('usager.'));
    const usager2 = accounts.find(
      (a) => a.tenant_id === tenant.id && a.email.startsWith('usager-2.'),
    );
    const ownerOf = (accountId: string | undefined) =>
      persons.find((p) => p.account_id === accountId)!;
    const mandate = (rep: string, person: string, startsOn: string, verified: boolean) => ({
      id: randomUUID(),
      tenant_id: tenant.id,
      representative_account_id: rep,
      person_id: person,
      kind: 'aidant' as const,
      starts_on: startsOn,
      ends_on: dayOffset(365),
      verified_by: null,
      verified_at: verified ? new Date().toISOString() : null,
      created_at: new Date().toISOString(),
    });
    await db
      .insertInto('mandates')
      .values([
        mandate(usager!.id, ownerOf(usager2?.id).id, dayOffset(-10), false),
        mandate(usager2!.id, ownerOf(usager?.id).id, dayOffset(1), true),
      ])
      .execute();

    // CDAPH sessions that must open nothing to their member: one whose agenda opens tomorrow,
    // one closed; each with a case of the tenant the demo session does not hold.
    const cdaph = accounts.find((a) => a.tenant_id === tenant.id && a.role === 'cdaph')!;
    const cases = await db
      .selectFrom('cases')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .execute();
    const byStatus = (status: string) => cases.find((c) => c.status === status)!;
    for (const [status, opensOn, caseId] of [
      ['planned', dayOffset(1), byStatus('evaluation').id],
      ['closed', dayOffset(-10), byStatus('recevable').id],
    ] as const) {
      const sessionId = randomUUID();
      await db
        .insertInto('cdaph_sessions')
        .values({
          id: sessionId,
          tenant_id: tenant.id,
          sits_on: dayOffset(status === 'planned' ? 16 : -1),
          starts_at: '10:00',
          formation: 'pleniere',
          status,
          agenda_opens_on: opensOn,
          minutes_enc: null,
          created_by: cdaph.id,
          created_at: new Date().toISOString(),
          opened_at: null,
          closed_at: status === 'closed' ? new Date().toISOString() : null,
          closed_by: null,
        })
        .execute();
      await db
        .insertInto('cdaph_session_members')
        .values({ session_id: sessionId, tenant_id: tenant.id, account_id: cdaph.id })
        .execute();
      await db
        .insertInto('cdaph_agenda_items')
        .values({
          session_id: sessionId,
          tenant_id: tenant.id,
          case_id: caseId,
          pending: status === 'closed' ? 0 : 1,
          added_by: cdaph.id,
          added_at: new Date().toISOString(),
        })
        .execute();
    }
  }
  world = readWorld(path.join(dataDir, 'cloison.sqlite'));
});

afterAll(async () => {
  await db?.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('case scope in SQL', () => {
  it('lists, for every account, exactly the cases its relation allows', async () => {
    const oracle = new Oracle(world, today);
    expect(world.decoys).toHaveLength(world.tenants.length);
    const rows = await db.selectFrom('accounts').selectAll().execute();
    expect(rows.length).toBeGreaterThan(20);
    for (const account of rows) {
      const actor = actorFromAccount(account);
      const who = {
        name: account.email,
        account: world.accounts.find((a) => a.id === account.id)!,
      };
      const expected = world.cases
        .filter((c) => oracle.relation(who, c) !== null)
        .map((c) => c.id)
        .sort();
      const listed = await listCasesInScope(db, caseScope(actor), today, {
        limit: 1000,
        offset: 0,
      });
      // The decoy is in scope (found by id below) but never listed.
      expect(listed.map((c) => c.id).sort(), account.email).toEqual(
        expected.filter((id) => !oracle.isDecoyCase(id)),
      );
      for (const c of world.cases) {
        const found = await findCaseInScope(db, caseScope(actor), c.id, today);
        expect(found !== undefined, `${account.email} → ${c.reference}`).toBe(
          expected.includes(c.id),
        );
      }
    }
  });

  it('gives a representative nothing before the mandate starts or while it is unverified', async () => {
    const pending = world.mandates.filter((m) => m.verified_at === null || m.starts_on > today);
    expect(pending.length).toBe(4);
    for (const m of pending) {
      const account = (await db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', m.representative_account_id)
        .executeTakeFirst())!;
      const listed = await listCasesInScope(db, caseScope(actorFromAccount(account)), today, {
        limit: 1000,
        offset: 0,
      });
      const theirs = world.cases.filter((c) => c.person_id === m.person_id).map((c) => c.id);
      expect(theirs.length).toBeGreaterThan(0);
      expect(listed.filter((c) => theirs.includes(c.id))).toEqual([]);
    }
  });
});
