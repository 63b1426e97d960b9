import fs from 'node:fs';
import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations/index.js';
import { makeDataDir } from './harness/server.js';

/**
 * Migration 0020 rebuilds alert_channels (SQLite cannot drop NOT NULL in place): the webhooks
 * made before it must come through byte for byte, their sealed secret still bound to the same
 * table, column and row id.
 */

let dir = '';
let db: Db | null = null;
afterEach(async () => {
  await db?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('migration 0020_alert_channels', () => {
  it('keeps every webhook as it was and lets each kind fill only its own columns', async () => {
    dir = makeDataDir('cloison-migration-');
    db = openDatabase({ dataDir: dir, databaseUrl: null });
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const to0017 = await migrator.migrateTo('0017_audit_checkpoints');
    expect(to0017.error).toBeUndefined();

    const any = db as unknown as Db;
    await sql`insert into tenants (id, code, name, created_at) values ('t-1', '44', 'Loire-Atlantique', '2026-01-01T00:00:00.000Z')`.execute(
      any,
    );
    const sealed = Buffer.from('00ff10sealed-secret', 'latin1');
    await sql`insert into alert_channels (id, tenant_id, kind, url, secret_enc, created_by, created_at)
      values ('ch-1', 't-1', 'webhook', 'https://siem.example/hook', ${sealed}, 'acc-1', '2026-01-02T00:00:00.000Z')`.execute(
      any,
    );

    await migrateToLatest(db);

    const rows = await db.selectFrom('alert_channels').selectAll().execute();
    expect(rows).toEqual([
      {
        id: 'ch-1',
        tenant_id: 't-1',
        kind: 'webhook',
        url: 'https://siem.example/hook',
        // Made before 0022: its URL stays whole (no key in a migration to seal it with).
        url_enc: null,
        address_enc: null,
        secret_enc: sealed,
        facility: null,
        created_by: 'acc-1',
        created_at: '2026-01-02T00:00:00.000Z',
      },
    ]);
    expect(
      (
        await sql<{
          name: string;
        }>`select name from sqlite_master where name like 'alert_channels%'`.execute(db)
      ).rows
        .map((r) => r.name)
        .sort(),
    ).toEqual(['alert_channels', 'alert_channels_tenant']);

    const insert = (row: Record<string, unknown>) =>
      db!
        .insertInto('alert_channels')
        .values({
          id: String(Math.random()),
          tenant_id: 't-1',
          kind: 'email',
          url: null,
          address_enc: null,
          secret_enc: null,
          facility: null,
          created_by: 'acc-1',
          created_at: '2026-01-03T00:00:00.000Z',
          ...row,
        })
        .execute();
    // An e-mail channel needs its sealed address and nothing else; syslog a URL and a facility.
    await expect(insert({ kind: 'email' })).rejects.toThrow(/CHECK/);
    await expect(
      insert({ kind: 'email', address_enc: sealed, url: 'https://x.example' }),
    ).rejects.toThrow(/CHECK/);
    await expect(insert({ kind: 'syslog', url: 'syslog+tls://x.example:6514' })).rejects.toThrow(
      /CHECK/,
    );
    await expect(insert({ kind: 'webhook', url: 'https://x.example' })).rejects.toThrow(/CHECK/);
    await expect(insert({ kind: 'sms', url: 'x' })).rejects.toThrow(/CHECK/);
    await insert({ kind: 'email', address_enc: sealed });
    await insert({ kind: 'syslog', url: 'syslog+tls://x.example:6514', facility: 'local0' });
  });
});
