import { createHmac, randomBytes } from 'node:crypto';
import type { Transform } from 'node:stream';
import type { Db, DbOrTx } from '../db/database.js';
import { aad, open, seal, sealedKeyVersion } from './aead.js';
import { decryptStream, decryptWhole, encryptStream } from './blob-stream.js';
import { KeyUnavailableError, TamperedError, type KeyManager } from './key-manager.js';
import { PersonKeyCache } from './person-key-cache.js';
import {
  findPersonKey,
  findTenantSecret,
  insertPersonKey,
  insertTenantSecretIfAbsent,
  listKekVersionsInUse,
  listKekVersionsOfTenant,
  listPersonKeysNotWrappedBy,
  listPersonKeysOf,
  listTenantSecretsNotWrappedBy,
  replacePersonKeyWrapping,
  replaceTenantSecretWrapping,
  type PersonKeyRow,
} from './wrapped-key.repository.js';

/** How many unwrapped data keys a process keeps, and for how long at most. */
export const PERSON_KEY_CACHE_SIZE = 1_000;
export const PERSON_KEY_TTL_MS = 60_000;

/** Where a sealed value lives: bound into its associated data, so it cannot be moved. */
export interface FieldRef {
  readonly table: string;
  readonly column: string;
  readonly rowId: string;
}

/** The person's data key is gone: they were erased. Their data is unreadable for good. */
export class PersonErasedError extends Error {
  constructor(readonly personId: string) {
    super(`person ${personId} has no data key: erased`);
    this.name = 'PersonErasedError';
  }
}

/** Seals and opens the fields and documents of one person under their data key. */
export class PersonCipher {
  constructor(
    readonly tenantId: string,
    readonly personId: string,
    private readonly key: Buffer,
    readonly version: number,
  ) {}

  private ad(ref: FieldRef): Buffer {
    return aad('field', this.tenantId, this.personId, ref.table, ref.column, ref.rowId);
  }

  seal(ref: FieldRef, value: string): Buffer {
    return seal(this.key, this.version, Buffer.from(value, 'utf8'), this.ad(ref));
  }

  sealOptional(ref: FieldRef, value: string | null | undefined): Buffer | null {
    return value === null || value === undefined ? null : this.seal(ref, value);
  }

  open(ref: FieldRef, sealed: Buffer): string {
    if (sealedKeyVersion(sealed) !== this.version)
      throw new TamperedError(`${ref.table}.${ref.column}`);
    return open(this.key, sealed, this.ad(ref), `${ref.table}.${ref.column}`).toString('utf8');
  }

  openOptional(ref: FieldRef, sealed: Buffer | null): string | null {
    return sealed === null ? null : this.open(ref, sealed);
  }

  private blobAd(documentId: string): Buffer {
    return aad('blob', this.tenantId, this.personId, documentId);
  }

  encryptBlob(documentId: string): Transform {
    return encryptStream(this.key, this.version, this.blobAd(documentId));
  }

  decryptBlob(documentId: string): Transform {
    return decryptStream(this.key, this.blobAd(documentId), this.version);
  }

  /** A small blob's stored bytes, read whole, opened at once (TamperedError if altered). */
  openBlob(documentId: string, stored: Buffer): Buffer {
    return decryptWhole(this.key, this.blobAd(documentId), stored, this.version);
  }
}

/**
 * Envelope encryption (THREATS.md T2/T4): each person has a random data key, stored only
 * wrapped by the tenant key that the key manager holds. Erasing the person is deleting that
 * wrapped key.
 *
 * Unwrapped data keys are kept a minute at most (PersonKeyCache), and a kept key is used only
 * after two checks that cost no decryption: the person_keys row, read on every use, is still the
 * very wrapped key it came from (an erased person has none, whichever process erased them), and
 * the key manager still holds the tenant key version that wrapped it (assertUsable: a stat of the
 * keyring file, or a lookup in the HSM). Erasure can also run elsewhere than in this process's
 * own request (`cloison keys retire --force` from the CLI beside a running server, a key deleted
 * in the HSM by its administrator): both checks see it at the next use, so no TTL bounds how
 * late it is noticed; the TTL only bounds how long key material stays in memory. In this process
 * the erasure also forgets the key at once, and re-wrapping or retiring a tenant key forgets the
 * tenant's keys.
 */
export class Vault {
  private readonly personKeys: PersonKeyCache;

  constructor(
    readonly keys: KeyManager,
    cache: { maxEntries: number; ttlMs: number } = {
      maxEntries: PERSON_KEY_CACHE_SIZE,
      ttlMs: PERSON_KEY_TTL_MS,
    },
  ) {
    this.personKeys = new PersonKeyCache(cache);
  }

  private static keyAd(tenantId: string, personId: string, version: number): Buffer {
    return aad('person-key', tenantId, personId, version);
  }

  /** Creates the data key of a new person, in the caller's transaction. */
  async createPersonKey(
    db: DbOrTx,
    tenantId: string,
    personId: string,
    now: Date,
  ): Promise<PersonCipher> {
    const kekVersion = await this.keys.ensureTenantKey(tenantId);
    const key = randomBytes(32);
    const version = 1;
    const wrapped = await this.keys.wrap(
      tenantId,
      kekVersion,
      key,
      Vault.keyAd(tenantId, personId, version),
    );
    await insertPersonKey(db, {
      person_id: personId,
      tenant_id: tenantId,
      version,
      kek_version: kekVersion,
      wrapped_key: wrapped,
      created_at: now.toISOString(),
    });
    return new PersonCipher(tenantId, personId, key, version);
  }

  /** The cipher of an existing person; PersonErasedError once their key is destroyed. */
  async forPerson(db: DbOrTx, tenantId: string, personId: string): Promise<PersonCipher> {
    const row = await findPersonKey(db, tenantId, personId);
    if (!row) {
      this.personKeys.forgetPerson(tenantId, personId);
      throw new PersonErasedError(personId);
    }
    return this.#cipherOf(tenantId, row, new Set());
  }

  /**
   * The ciphers of several persons of a tenant, by person id (a page of a list): their keys read
   * in one query, each kept key's tenant key version checked once. PersonErasedError if one of
   * them has no key any more, as forPerson.
   */
  async forPersons(
    db: DbOrTx,
    tenantId: string,
    personIds: readonly string[],
  ): Promise<Map<string, PersonCipher>> {
    const wanted = [...new Set(personIds)];
    const rows = wanted.length === 0 ? [] : await listPersonKeysOf(db, tenantId, wanted);
    const found = new Set(rows.map((r) => r.person_id));
    const erased = wanted.find((id) => !found.has(id));
    if (erased !== undefined) {
      this.personKeys.forgetPerson(tenantId, erased);
      throw new PersonErasedError(erased);
    }
    const usable = new Set<number>();
    const ciphers = new Map<string, PersonCipher>();
    for (const row of rows) ciphers.set(row.person_id, await this.#cipherOf(tenantId, row, usable));
    return ciphers;
  }

  /**
   * The cipher of a person_keys row: the kept key if it came from exactly this row and the key
   * manager still holds its tenant key version (checked unless in `usable`, which it joins),
   * else unwrapped now and kept.
   */
  async #cipherOf(tenantId: string, row: PersonKeyRow, usable: Set<number>): Promise<PersonCipher> {
    const personId = row.person_id;
    const cached = this.personKeys.get(tenantId, personId, row);
    if (cached) {
      if (!usable.has(row.kek_version)) {
        try {
          await this.keys.assertUsable(tenantId, row.kek_version);
        } catch (error) {
          cached.fill(0);
          this.personKeys.forgetPerson(tenantId, personId);
          throw error;
        }
        usable.add(row.kek_version);
      }
      return new PersonCipher(tenantId, personId, cached, row.version);
    }
    const generation = this.personKeys.currentGeneration;
    const key = await this.keys.unwrap(
      tenantId,
      row.kek_version,
      row.wrapped_key,
      Vault.keyAd(tenantId, personId, row.version),
    );
    const cipher = new PersonCipher(tenantId, personId, Buffer.from(key), row.version);
    this.personKeys.set(tenantId, personId, row, key, generation);
    return cipher;
  }

  /** The person's key is being destroyed (erasure): no use of it may follow from this process. */
  forgetPerson(tenantId: string, personId: string): void {
    this.personKeys.forgetPerson(tenantId, personId);
  }

  /** Retires a tenant key version; the tenant's kept data keys are dropped first. */
  async retireTenantKey(tenantId: string, version: number): Promise<void> {
    this.personKeys.forgetTenant(tenantId);
    await this.keys.retire(tenantId, version);
    this.personKeys.forgetTenant(tenantId);
  }

  /** Wipes every kept data key (the server is closing). */
  forgetAll(): void {
    this.personKeys.clear();
  }

  /**
   * Moves every wrapped key of the tenant (person keys, tenant secrets) to the current tenant
   * key version. Documents and fields are untouched: only 32-byte keys are re-wrapped.
   */
  async rewrapTenant(db: Db, tenantId: string): Promise<{ rewrapped: number; current: number }> {
    const current = await this.keys.currentVersion(tenantId);
    // One transaction: one durable commit instead of one per person, and all or nothing.
    const rewrapped = await db.transaction().execute(async (trx) => {
      let count = 0;
      const stale = await listPersonKeysNotWrappedBy(trx, tenantId, current);
      for (const row of stale) {
        const ad = Vault.keyAd(tenantId, row.person_id, row.version);
        const key = await this.keys.unwrap(tenantId, row.kek_version, row.wrapped_key, ad);
        const wrapped = await this.keys.wrap(tenantId, current, key, ad);
        key.fill(0);
        await replacePersonKeyWrapping(
          trx,
          { personId: row.person_id, kekVersion: row.kek_version },
          { kekVersion: current, wrappedKey: wrapped },
        );
        count += 1;
      }
      const secrets = await listTenantSecretsNotWrappedBy(trx, tenantId, current);
      for (const row of secrets) {
        const ad = aad('tenant-secret', tenantId, row.purpose);
        const key = await this.keys.unwrap(tenantId, row.kek_version, row.wrapped_key, ad);
        const wrapped = await this.keys.wrap(tenantId, current, key, ad);
        await replaceTenantSecretWrapping(
          trx,
          { tenantId, purpose: row.purpose },
          { kekVersion: current, wrappedKey: wrapped },
        );
        count += 1;
      }
      return count;
    });
    this.personKeys.forgetTenant(tenantId);
    this.indexKeys.clear();
    return { rewrapped, current };
  }

  /**
   * Refuses a key manager that does not know a tenant key version the database depends on (a
   * wrong keyring path, a re-initialised HSM): better not to start than to mint new tenant keys
   * and report every read as tampered.
   */
  async assertKeysMatch(db: DbOrTx): Promise<void> {
    const used = await listKekVersionsInUse(db);
    const known = new Map<string, Set<number>>();
    for (const { tenant_id, kek_version } of used) {
      if (!known.has(tenant_id)) {
        known.set(tenant_id, new Set((await this.keys.versions(tenant_id)).map((v) => v.version)));
      }
      if (!known.get(tenant_id)!.has(kek_version)) {
        throw new KeyUnavailableError(
          `the ${this.keys.kind} key manager has no version ${kek_version} of tenant ${tenant_id}'s key, ` +
            'which the database uses: wrong keyring, key file or token',
        );
      }
    }
  }

  /** How many wrapped keys of the tenant still depend on each tenant key version. */
  async dependents(db: DbOrTx, tenantId: string): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    const rows = await listKekVersionsOfTenant(db, tenantId);
    for (const r of rows) counts.set(r.kek_version, (counts.get(r.kek_version) ?? 0) + 1);
    return counts;
  }

  private readonly indexKeys = new Map<string, Buffer>();

  /**
   * Keyed blind index of a searchable value (NIR): HMAC-SHA256 under a tenant secret that is
   * itself stored wrapped. Equal values match; the index reveals nothing without the key.
   */
  async blindIndex(
    db: DbOrTx,
    tenantId: string,
    purpose: 'nir' | 'invitation',
    value: string,
  ): Promise<string> {
    const key = await this.indexKey(db, tenantId, purpose);
    return createHmac('sha256', key).update(value, 'utf8').digest('hex');
  }

  /**
   * Seals an account's credential secret (a TOTP seed) under the tenant's credential secret,
   * bound to the account and column: a copy of the database generates no code.
   */
  async sealCredential(db: DbOrTx, tenantId: string, ref: FieldRef, secret: Buffer) {
    const key = await this.indexKey(db, tenantId, 'credentials');
    return seal(key, 0, secret, aad('credential', tenantId, ref.table, ref.column, ref.rowId));
  }

  async openCredential(db: DbOrTx, tenantId: string, ref: FieldRef, sealed: Buffer) {
    const key = await this.indexKey(db, tenantId, 'credentials');
    const ad = aad('credential', tenantId, ref.table, ref.column, ref.rowId);
    return open(key, sealed, ad, `${ref.table}.${ref.column}`);
  }

  private async indexKey(db: DbOrTx, tenantId: string, purpose: string): Promise<Buffer> {
    const cacheKey = `${tenantId}:${purpose}`;
    const cached = this.indexKeys.get(cacheKey);
    if (cached) return cached;
    const ad = aad('tenant-secret', tenantId, purpose);
    let row = await findTenantSecret(db, tenantId, purpose);
    if (!row) {
      const kekVersion = await this.keys.ensureTenantKey(tenantId);
      const wrapped = await this.keys.wrap(tenantId, kekVersion, randomBytes(32), ad);
      row = await insertTenantSecretIfAbsent(db, {
        tenant_id: tenantId,
        purpose,
        kek_version: kekVersion,
        wrapped_key: wrapped,
        created_at: new Date().toISOString(),
      });
    }
    const key = await this.keys.unwrap(tenantId, row.kek_version, row.wrapped_key, ad);
    this.indexKeys.set(cacheKey, key);
    return key;
  }
}

/**
 * Normalises a NIR (numéro de sécurité sociale) for indexing: no separators, upper case, and
 * without its two-digit control key, so a NIR typed with or without the key finds the person.
 */
export function normaliseNir(nir: string): string {
  return nir
    .replace(/[\s.-]/g, '')
    .toUpperCase()
    .slice(0, 13);
}
