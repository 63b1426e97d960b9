import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledOnce, firstRow } from './compiled-once.js';
import { openInMemoryDatabase, type Db } from './database.js';
import { migrateToLatest } from './migrate.js';

let db: Db;
beforeAll(async () => {
  db = openInMemoryDatabase();
  await migrateToLatest(db);
  await db
    .insertInto('tenants')
    .values([
      { id: 't1', code: '44', name: 'MDPH 44', created_at: '2026-01-01T00:00:00.000Z' },
      { id: 't2', code: '85', name: 'MDPH 85', created_at: '2026-01-01T00:00:00.000Z' },
    ])
    .execute();
});
afterAll(() => db.destroy());

const byCode = compiledOnce((d, code: string) =>
  d.selectFrom('tenants').select(['id', 'code']).where('code', '=', code).limit(1),
);

describe('a query compiled once', () => {
  it('runs each call with its own arguments, and keeps the constants it was built with', async () => {
    const first = byCode(db, '44');
    const second = byCode(db, '85');
    expect(second.sql).toBe(first.sql);
    expect(first.parameters).toEqual(['44', 1]);
    expect(second.parameters).toEqual(['85', 1]);
    expect(await firstRow(db, second)).toEqual({ id: 't2', code: '85' });
    expect(await firstRow(db, byCode(db, '13'))).toBeUndefined();
  });

  it('answers in a transaction as outside one', async () => {
    const row = await db.transaction().execute((trx) => firstRow(trx, byCode(trx, '44')));
    expect(row).toEqual({ id: 't1', code: '44' });
  });

  it('refuses a query whose shape depends on an argument', () => {
    const shaped = compiledOnce((d, code: string, all: boolean) => {
      const q = d.selectFrom('tenants').select('id');
      return all ? q : q.where('code', '=', code);
    });
    expect(() => shaped(db, '44', false)).toThrow(/uses 0 of its 2 arguments/);
  });
});
