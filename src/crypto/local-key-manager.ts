import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { aad, open, seal } from './aead.js';
import {
  KeyRetiredError,
  KeyUnavailableError,
  type KeyManager,
  type TenantKeyVersion,
} from './key-manager.js';
import type { MasterKey } from './master-key.js';

/**
 * Tenant keys in a keyring file, each sealed under the master key (which never touches the
 * data directory unless the operator puts it there). The file is rewritten atomically; a
 * retired version keeps its metadata and loses its key material.
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
  /** Sealed tenant key, absent once retired. */
  sealed: string | null;
}

export class LocalKeyManager implements KeyManager {
  readonly kind = 'local' as const;
  private ring: KeyringFile;
  private readonly clear = new Map<string, Buffer>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly master: MasterKey,
    ring: KeyringFile,
  ) {
    this.ring = ring;
  }

  /** Opens (or creates) the keyring; refuses a keyring sealed under another master key. */
  static open(file: string, master: MasterKey): LocalKeyManager {
    if (!fs.existsSync(file)) {
      const ring: KeyringFile = { format: 1, masterKeyId: master.id, tenants: {} };
      writeAtomic(file, ring);
      return new LocalKeyManager(file, master, ring);
    }
    const stat = fs.statSync(file);
    if ((stat.mode & 0o077) !== 0) {
      throw new KeyUnavailableError(`keyring ${file} is readable by others: chmod 600 it`);
    }
    const ring = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyringFile;
    if (ring.format !== 1) throw new KeyUnavailableError(`keyring ${file}: unknown format`);
    if (ring.masterKeyId !== master.id) {
      throw new KeyUnavailableError(
        `keyring ${file} is sealed under master key ${ring.masterKeyId}, not ${master.id}: wrong master key`,
      );
    }
    return new LocalKeyManager(file, master, ring);
  }

  private versionsOf(tenantId: string): StoredVersion[] {
    return this.ring.tenants[tenantId] ?? [];
  }

  private current(tenantId: string): StoredVersion | undefined {
    return this.versionsOf(tenantId)
      .filter((v) => v.retiredAt === null)
      .at(-1);
  }

  /** Serialises writers; the file is re-read first so a CLI and a server do not clobber. */
  private mutate<T>(fn: () => T): Promise<T> {
    const run = this.queue.then(() => {
      this.reload();
      const result = fn();
      writeAtomic(this.file, this.ring);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private reload(): void {
    const ring = JSON.parse(fs.readFileSync(this.file, 'utf8')) as KeyringFile;
    if (ring.masterKeyId === this.master.id) this.ring = ring;
  }

  private newVersion(tenantId: string): number {
    const versions = this.versionsOf(tenantId);
    const version = (versions.at(-1)?.version ?? 0) + 1;
    const key = randomBytes(32);
    const sealed = seal(this.master.key, 0, key, aad('keyring', tenantId, version));
    versions.push({
      version,
      createdAt: new Date().toISOString(),
      retiredAt: null,
      sealed: sealed.toString('base64'),
    });
    this.ring.tenants[tenantId] = versions;
    this.clear.set(`${tenantId}:${version}`, key);
    return version;
  }

  async ensureTenantKey(tenantId: string): Promise<number> {
    const existing = this.current(tenantId);
    if (existing) return existing.version;
    return this.mutate(() => this.current(tenantId)?.version ?? this.newVersion(tenantId));
  }

  async currentVersion(tenantId: string): Promise<number> {
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

  retire(tenantId: string, version: number): Promise<void> {
    return this.mutate(() => {
      const v = this.versionsOf(tenantId).find((x) => x.version === version);
      if (!v) throw new KeyUnavailableError(`tenant ${tenantId} has no key version ${version}`);
      if (v.version === this.current(tenantId)?.version) {
        throw new Error(`v${version} is the current key of tenant ${tenantId}: rotate first`);
      }
      v.retiredAt ??= new Date().toISOString();
      v.sealed = null;
      this.clear.delete(`${tenantId}:${version}`);
    });
  }

  private tenantKey(tenantId: string, version: number): Buffer {
    const cacheKey = `${tenantId}:${version}`;
    const cached = this.clear.get(cacheKey);
    if (cached) return cached;
    let v = this.versionsOf(tenantId).find((x) => x.version === version);
    if (!v) {
      // Another process (the CLI) may have rotated since this one loaded the file.
      this.reload();
      v = this.versionsOf(tenantId).find((x) => x.version === version);
    }
    if (!v) throw new KeyUnavailableError(`tenant ${tenantId} has no key version ${version}`);
    if (v.retiredAt !== null || v.sealed === null) throw new KeyRetiredError(tenantId, version);
    const key = open(
      this.master.key,
      Buffer.from(v.sealed, 'base64'),
      aad('keyring', tenantId, version),
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
    const key = this.tenantKey(tenantId, version);
    return open(key, wrapped, associated, 'wrapped data key');
  }

  async close(): Promise<void> {
    await this.queue;
    for (const key of this.clear.values()) key.fill(0);
    this.clear.clear();
  }
}

function writeAtomic(file: string, ring: KeyringFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(ring, null, 1)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}
