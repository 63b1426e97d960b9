import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { queryDb, readWorld } from './harness/world.js';
import { blobPath, stopAndRemove } from './support/storage.js';

/**
 * The server keeps unwrapped person keys for a short while (src/crypto/person-key-cache.ts).
 * Erasure must still take effect at once (THREATS.md T4): a key the server read moments before
 * must not open a copy of the erased person's rows, the way a restored backup would put them back.
 */

type Row = Record<string, unknown>;

/** Every row of `table` matching `where`, as stored. */
function rowsOf(dbFile: string, table: string, where: string, ...params: unknown[]): Row[] {
  return queryDb<Row>(dbFile, `select * from ${table} where ${where}`, ...params);
}

/** Puts rows back as they were (foreign keys off: the copy, not the schema, is under test). */
function putBack(dbFile: string, rows: Record<string, Row[]>): void {
  const db = new Database(dbFile, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = OFF');
    for (const [table, list] of Object.entries(rows)) {
      for (const row of list) {
        const columns = Object.keys(row);
        db.prepare(
          `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        ).run(...columns.map((c) => row[c]));
      }
    }
  } finally {
    db.close();
  }
}

describe('unwrapped person keys kept by the server', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => stopAndRemove(server));

  it('are forgotten at the erasure: the rows put back from a copy cannot be decrypted', async () => {
    const world = readWorld(server.dbFile);
    const staffIds = new Set(server.accounts.map((a) => a.id));
    // A document whose case is assigned to a demo instructeur, who reads it before and after.
    const doc = world.documents.find((d) => {
      const c = world.cases.find((x) => x.id === d.case_id);
      return c?.instructeur_id && staffIds.has(c.instructeur_id) && d.category !== 'medical';
    })!;
    expect(doc).toBeDefined();
    const theCase = world.cases.find((c) => c.id === doc.case_id)!;
    const personId = theCase.person_id;
    const instructeur = server.accounts.find((a) => a.id === theCase.instructeur_id)!;
    const tenant = world.tenants.find((t) => t.id === theCase.tenant_id)!;
    const dpoAccount = server.accounts.find((a) => a.label === 'dpo' && a.tenant === tenant.code);
    expect(dpoAccount).toBeDefined();

    const staff = await new Client(server.baseUrl).login(instructeur);
    const url = `/api/v1/documents/${doc.id}/content`;
    // Read twice: the second read is answered from the kept key.
    const first = await staff.get(url);
    expect(first.status, first.text).toBe(200);
    expect((await staff.get(url)).bytes.equals(first.bytes)).toBe(true);

    // What a copy taken now would hold of them: the wrapped key, the rows, the blob.
    const copy = {
      persons: rowsOf(server.dbFile, 'persons', 'id = ?', personId),
      person_keys: rowsOf(server.dbFile, 'person_keys', 'person_id = ?', personId),
      cases: rowsOf(server.dbFile, 'cases', 'id = ?', theCase.id),
      documents: rowsOf(server.dbFile, 'documents', 'id = ?', doc.id),
    };
    const blob = fs.readFileSync(blobPath(server.dataDir, doc.storage_key));

    const dpo = await new Client(server.baseUrl).login(dpoAccount!);
    const erased = await dpo.post(`/api/v1/persons/${personId}/erasure`, {
      json: { reason: 'right-to-erasure' },
    });
    expect(erased.status, erased.text).toBe(201);

    // Gone: the document answers exactly like one that never existed.
    const gone = await staff.get(url);
    const never = await staff.get(`/api/v1/documents/${randomUUID()}/content`);
    expect(gone.status).toBe(404);
    expect(gone.text).toBe(never.text);

    // The copy put back, well within the keys' lifetime: the server must go to the key
    // manager, whose tenant key version that wrapped this data key is now retired.
    fs.mkdirSync(blobPath(server.dataDir, doc.storage_key).replace(/\/[^/]+$/, ''), {
      recursive: true,
    });
    fs.writeFileSync(blobPath(server.dataDir, doc.storage_key), blob);
    putBack(server.dbFile, copy);
    const again = await staff.get(url);
    expect(again.status, again.text).not.toBe(200);
    expect(again.bytes.includes(first.bytes.subarray(0, 64))).toBe(false);
    expect((again.json as { type?: string }).type).toBe('urn:cloison:problem:key-retired');
  });
});
