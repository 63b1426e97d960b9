import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { aad, open } from '../../src/crypto/aead.js';
import { parseMasterKey } from '../../src/crypto/master-key.js';

/** Master key files kept outside a data directory, by data directory (set by the harness). */
export const KEY_FILES = new Map<string, string>();

/**
 * Test-side decryption of a demo data directory: the tests need the clear values to know what
 * must never leak. It reads the demo master key and the keyring the way an operator holding
 * them could, and nothing else of the server's code runs.
 */
export class Unsealer {
  private readonly tenantKeys = new Map<string, Buffer>();
  private readonly personKeys = new Map<string, Buffer>();

  constructor(
    private readonly db: Database.Database,
    dataDir: string,
  ) {
    const keyFile = KEY_FILES.get(path.resolve(dataDir)) ?? path.join(dataDir, 'demo-master.key');
    const master = parseMasterKey(fs.readFileSync(keyFile, 'utf8').split('\n')[0]!, 'master key');
    const ring = JSON.parse(fs.readFileSync(path.join(dataDir, 'keyring.json'), 'utf8')) as {
      tenants: Record<string, Array<{ version: number; sealed: string | null }>>;
    };
    for (const [tenantId, versions] of Object.entries(ring.tenants)) {
      for (const v of versions) {
        if (v.sealed === null) continue;
        const key = open(
          master.key,
          Buffer.from(v.sealed, 'base64'),
          aad('keyring', tenantId, v.version),
        );
        this.tenantKeys.set(`${tenantId}:${v.version}`, key);
      }
    }
  }

  /** A key-manager key in clear (tenant key or the platform's), or null if unknown. */
  keyManagerKey(id: string, version: number): Buffer | null {
    return this.tenantKeys.get(`${id}:${version}`) ?? null;
  }

  private personKey(personId: string): Buffer | null {
    const cached = this.personKeys.get(personId);
    if (cached) return cached;
    const row = this.db.prepare('select * from person_keys where person_id = ?').get(personId) as
      { tenant_id: string; version: number; kek_version: number; wrapped_key: Buffer } | undefined;
    if (!row) return null;
    const kek = this.tenantKeys.get(`${row.tenant_id}:${row.kek_version}`);
    if (!kek) return null;
    const key = open(kek, row.wrapped_key, aad('person-key', row.tenant_id, personId, row.version));
    this.personKeys.set(personId, key);
    return key;
  }

  /** The clear value of a sealed field, or null when absent or no longer decryptable. */
  field(
    tenantId: string,
    personId: string,
    table: string,
    column: string,
    rowId: string | number,
    sealed: Buffer | null,
  ): string | null {
    if (sealed === null) return null;
    const key = this.personKey(personId);
    if (!key) return null;
    try {
      const ad = aad('field', tenantId, personId, table, column, String(rowId));
      return open(key, sealed, ad).toString('utf8');
    } catch {
      // Tests that tamper with the database read the world afterwards too.
      return '<tampered>';
    }
  }
}
