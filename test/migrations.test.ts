import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrations/index.js';
import { makeDataDir, makeKeyFile, runCli } from './harness/server.js';
import { writeDb } from './support/writable-db.js';

/** Upgrades go forward only, can be previewed, and a newer database is never touched. */
describe('cloison migrate', () => {
  const names = Object.keys(migrations);
  let dataDir: string;
  let env: Record<string, string>;
  const dbFile = () => path.join(dataDir, 'cloison.sqlite');
  const recorded = () => {
    const db = new Database(dbFile(), { readonly: true, fileMustExist: true });
    try {
      return (
        db.prepare('select name from kysely_migration order by name').all() as Array<{
          name: string;
        }>
      ).map((r) => r.name);
    } finally {
      db.close();
    }
  };

  beforeAll(() => {
    dataDir = makeDataDir();
    env = { CLOISON_DATA_DIR: dataDir, CLOISON_MASTER_KEY_FILE: makeKeyFile() };
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('--dry-run on a new data directory lists every migration and creates no database', async () => {
    const run = await runCli(['migrate', '--dry-run'], env);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`would create the database and apply: ${names.join(', ')}`);
    expect(fs.existsSync(dbFile())).toBe(false);
  });

  it('applies every migration in order, then has nothing left to do', async () => {
    const run = await runCli(['migrate'], env);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`applied: ${names.join(', ')}`);
    expect(recorded()).toEqual(names);
    const again = await runCli(['migrate', '--dry-run'], env);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('database is up to date');
  });

  it('--dry-run lists only what is pending and runs none of it', async () => {
    const last = names.at(-1)!;
    writeDb(dbFile(), 'delete from kysely_migration where name = ?', last);
    const run = await runCli(['migrate', '--dry-run'], env);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`would apply: ${last}`);
    expect(recorded()).toEqual(names.slice(0, -1));
    // Put the record back: the schema of that migration is still there.
    writeDb(
      dbFile(),
      'insert into kysely_migration (name, timestamp) values (?, ?)',
      last,
      new Date().toISOString(),
    );
    expect(recorded()).toEqual(names);
  });

  describe('a database written by a newer Cloison', () => {
    const future = '9999_written_by_a_newer_version';
    let before: Buffer;

    beforeAll(() => {
      writeDb(
        dbFile(),
        'insert into kysely_migration (name, timestamp) values (?, ?)',
        future,
        new Date().toISOString(),
      );
      before = fs.readFileSync(dbFile());
    });

    it.each([
      ['migrate', ['migrate']],
      ['migrate --dry-run', ['migrate', '--dry-run']],
      ['serve', ['serve']],
    ])('%s refuses it with exit 65 and a message that says what to do', async (_name, args) => {
      const run = await runCli(args, { ...env, PORT: '0', HOST: '127.0.0.1' });
      expect(run.code, run.output).toBe(65);
      expect(run.output).toContain('written by a newer version of Cloison');
      expect(run.output).toContain(future);
      expect(run.output).toContain('never migrated backwards');
    });

    it('and leaves it as it was', () => {
      expect(fs.readFileSync(dbFile()).equals(before)).toBe(true);
      expect(recorded()).toEqual([...names, future]);
    });
  });
});
