import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { aad, open, seal } from './aead.js';
import { acquireFileLock } from './file-lock.js';
import { writeFileAtomic } from '../storage/atomic-file.js';
import {
  KeyRetiredError,
  KeyUnavailableError,
  type KeyManager,
  type TenantKeyVersion,
} from './key-manager.js';
import { newMasterKey, type MasterKey, type MasterKeySource } from './master-key.js';

/**
 * Tenant keys in a keyring file, each sealed under the master key. The file is rewritten
 * atomically and re-read whenever another process (the `cloison keys` CLI) changed it. A retired
 * version keeps its metadata and loses its key material; when the master key comes from a file,
 * retiring also re-seals the keyring under a fresh master key, so a copy of the keyring taken
 * before cannot be opened any more (crypto-shredding that reaches copies).
 */
interface KeyringFile {
  format: 1;
  masterKeyId: string;
  tenants: Record<string, StoredVersion[]>;
}

interface StoredVersion {
  version: number;
  createdAt: string;
  retiredAt: string | null;
  /** Sealed tenant key, null once retired. */
  sealed: string | null;
}

const entryAad = (tenantId: string, version: number) => aad('keyring', tenantId, version);

export class LocalKeyManager implements KeyManager {
  readonly kind = 'local' as const;
  private ring: KeyringFile;
  private master: MasterKey;
  /** Identity of the keyring file last read: every write is a rename, so a new inode. */
  private seen = '';
  private readonly clear = new Map<string, Buffer>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly source: MasterKeySource,
  ) {
    this.master = source.keys()[0]!;
    this.ring = { format: 1, masterKeyId: this.master.id, tenants: {} };
  }

  /** Opens (or creates) the keyring; refuses one sealed under a key the source does not hold. */
  static open(file: string, source: MasterKeySource): LocalKeyManager {
    const manager = new LocalKeyManager(file, source);
    if (fs.existsSync(file)) {
      if ((fs.statSync(file).mode & 0o077) !== 0) {
        throw new KeyUnavailableError(`keyring ${file} is readable by others: chmod 600 it`);
      }
      // An interrupted ratchet leaves two keys in the key file; reading tries both, and the
      // next change (under the lock) keeps only the one the keyring uses.
      manager.reload();
    } else {
      manager.persist();
    }
    return manager;
  }

  /** Re-reads the keyring if it changed on disk. */
  private reload(): void {
    const stat = fs.statSync(this.file);
    const seen = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    if (seen === this.seen) return;
    const ring = JSON.parse(fs.readFileSync(this.file, 'utf8')) as KeyringFile;
    if (ring.format !== 1) throw new KeyUnavailableError(`keyring ${this.file}: unknown format`);
    const master = this.source.keys().find((k) => k.id === ring.masterKeyId);
    if (!master) {
      throw new KeyUnavailableError(
        `keyring ${this.file} is sealed under master key ${ring.masterKeyId}, which ${this.source.description} does not hold`,
      );
    }
    this.master = master;
    this.ring = ring;
    this.seen = seen;
    // Drop what was retired or replaced elsewhere.
    for (const cacheKey of [...this.clear.keys()]) {
      const [tenantId, version] = cacheKey.split(':');
      const v = this.versionsOf(tenantId!).find((x) => x.version === Number(version));
      if (!v || v.sealed === null) this.clear.delete(cacheKey);
    }
  }

  private persist(): void {
    writeAtomic(this.file, this.ring);
    const stat = fs.statSync(this.file);
    this.seen = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  }

  private versionsOf(tenantId: string): StoredVersion[] {
    return this.ring.tenants[tenantId] ?? [];
  }

  private current(tenantId: string): StoredVersion | undefined {
    return this.versionsOf(tenantId)
      .filter((v) => v.retiredAt === null)
      .at(-1);
  }

  /**
   * Serialises writers: in this process through a queue, across processes (server and CLI)
   * through a lock file; each works on the freshest keyring.
   */
  private mutate<T>(fn: () => T): Promise<T> {
    const run = this.queue.then(async () => {
      const release = await acquireFileLock(`${this.file}.lock`);
      try {
        this.reload();
        if (this.source.canRatchet && this.source.keys().length > 1) {
          this.source.write([this.master]);
        }
        const result = fn();
        this.persist();
        // The keyring on disk now uses this.master: a ratchet's previous key can go.
        if (this.source.canRatchet && this.source.keys().length > 1) {
          this.source.write([this.master]);
        }
        return result;
      } finally {
        release();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private newVersion(tenantId: string): number {
    const versions = this.versionsOf(tenantId);
    const version = (versions.at(-1)?.version ?? 0) + 1;
    const key = randomBytes(32);
    versions.push({
      version,
      createdAt: new Date().toISOString(),
      retiredAt: null,
      sealed: seal(this.master.key, 0, key, entryAad(tenantId, version)).toString('base64'),
    });
    this.ring.tenants[tenantId] = versions;
    this.clear.set(`${tenantId}:${version}`, key);
    return version;
  }

  async ensureTenantKey(tenantId: string): Promise<number> {
    this.reload();
    const existing = this.current(tenantId);
    if (existing) return existing.version;
    return this.mutate(() => this.current(tenantId)?.version ?? this.newVersion(tenantId));
  }

  async currentVersion(tenantId: string): Promise<number> {
    this.reload();
    const v = this.current(tenantId);
    if (!v) throw new KeyUnavailableError(`tenant ${tenantId} has no key`);
    return v.version;
  }

  async versions(tenantId: string): Promise<TenantKeyVersion[]> {
    this.reload();
    const current = this.current(tenantId)?.version;
    return this.versionsOf(tenantId).map((v) => ({
      version: v.version,
      createdAt: v.createdAt,
      retiredAt: v.retiredAt,
      current: v.version === current,
    }));
  }

  rotate(tenantId: string): Promise<number> {
    return this.mutate(() => this.newVersion(tenantId));
  }

  async retire(tenantId: string, version: number): Promise<void> {
    // One locked section: retirement and the master-key ratchet that makes it reach copies.
    await this.mutate(() => {
      const v = this.versionsOf(tenantId).find((x) => x.version === version);
      if (!v) throw new KeyUnavailableError(`tenant ${tenantId} has no key version ${version}`);
      if (v.version === this.current(tenantId)?.version) {
        throw new Error(`v${version} is the current key of tenant ${tenantId}: rotate first`);
      }
      v.retiredAt ??= new Date().toISOString();
      v.sealed = null;
      this.clear.get(`${tenantId}:${version}`)?.fill(0);
      this.clear.delete(`${tenantId}:${version}`);
      if (this.source.canRatchet) this.ratchetMaster();
    });
  }

  /**
   * Re-seals every live entry under a fresh master key. The key file holds both keys while the
   * keyring is rewritten (by mutate, right after), so a crash at any step leaves a keyring that
   * one of them opens; the old key is dropped once the new keyring is on disk.
   */
  private ratchetMaster(): void {
    const next = newMasterKey();
    this.source.write([next, this.master]);
    for (const [tenantId, versions] of Object.entries(this.ring.tenants)) {
      for (const v of versions) {
        if (v.sealed === null) continue;
        const ad = entryAad(tenantId, v.version);
        const key = open(this.master.key, Buffer.from(v.sealed, 'base64'), ad);
        v.sealed = seal(next.key, 0, key, ad).toString('base64');
      }
    }
    this.ring.masterKeyId = next.id;
    this.master = next;
  }

  /** The master key the keyring is sealed under now (recorded in erasure certificates). */
  masterKeyId(): string {
    return this.master.id;
  }

  private tenantKey(tenantId: string, version: number): Buffer {
    this.reload();
    const cacheKey = `${tenantId}:${version}`;
    const cached = this.clear.get(cacheKey);
    if (cached) return cached;
    const v = this.versionsOf(tenantId).find((x) => x.version === version);
    if (!v) throw new KeyUnavailableError(`tenant ${tenantId} has no key version ${version}`);
    if (v.retiredAt !== null || v.sealed === null) throw new KeyRetiredError(tenantId, version);
    const key = open(
      this.master.key,
      Buffer.from(v.sealed, 'base64'),
      entryAad(tenantId, version),
      'keyring entry',
    );
    this.clear.set(cacheKey, key);
    return key;
  }

  async wrap(tenantId: string, version: number, key: Buffer, associated: Buffer): Promise<Buffer> {
    return seal(this.tenantKey(tenantId, version), version, key, associated);
  }

  async unwrap(
    tenantId: string,
    version: number,
    wrapped: Buffer,
    associated: Buffer,
  ): Promise<Buffer> {
    return open(this.tenantKey(tenantId, version), wrapped, associated, 'wrapped data key');
  }

  async assertUsable(tenantId: string, version: number): Promise<void> {
    this.tenantKey(tenantId, version);
  }

  async close(): Promise<void> {
    await this.queue;
    for (const key of this.clear.values()) key.fill(0);
    this.clear.clear();
  }
}

function writeAtomic(file: string, ring: KeyringFile): void {
  writeFileAtomic(file, `${JSON.stringify(ring, null, 1)}\n`);
}
