import { performance } from 'node:perf_hooks';

/** What a cached key is valid for: the person_keys row it was unwrapped from. */
export interface WrappedPersonKey {
  readonly version: number;
  readonly kek_version: number;
  readonly wrapped_key: Buffer;
}

interface Entry {
  readonly key: Buffer;
  readonly version: number;
  readonly kekVersion: number;
  readonly wrapped: Buffer;
  readonly expiresAt: number;
}

export interface PersonKeyCacheOptions {
  readonly maxEntries: number;
  readonly ttlMs: number;
  /** Milliseconds on a monotonic clock: a shifted wall clock must not stretch a key's life. */
  readonly now?: () => number;
}

/**
 * Unwrapped person data keys, kept for a short fixed lifetime so that every page and download of
 * a person does not cost an unwrap by the key manager (a decryption in the HSM under PKCS#11;
 * the check that the tenant key version is still there remains, without decrypting).
 *
 * A cached key is only ever used for the exact wrapped key it came from: the caller reads the
 * person_keys row on every use (an erased person has none) and passes it to get(). Every key
 * leaving the cache (expiry, size bound, forget, clear) is zero-filled; callers get copies, so a
 * stream still decrypting with one is never cut by an eviction.
 */
export class PersonKeyCache {
  /** Insertion order is expiry order (a fixed lifetime, not renewed on use). */
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private sweepTimer: NodeJS.Timeout | null = null;
  /**
   * Bumped by every forget: a key unwrapped while a forget happened is not stored, so an erasure
   * that runs during an unwrap cannot be undone by that unwrap's result.
   */
  private generation = 0;

  constructor(private readonly options: PersonKeyCacheOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** How many keys are held (for tests). */
  get size(): number {
    return this.entries.size;
  }

  /** The generation to hand back to set() after an unwrap. */
  get currentGeneration(): number {
    return this.generation;
  }

  /** A copy of the key unwrapped from exactly `row`, or null. */
  get(tenantId: string, personId: string, row: WrappedPersonKey): Buffer | null {
    this.sweep();
    const id = entryId(tenantId, personId);
    const entry = this.entries.get(id);
    if (!entry) return null;
    if (
      entry.version !== row.version ||
      entry.kekVersion !== row.kek_version ||
      !entry.wrapped.equals(row.wrapped_key)
    ) {
      this.evict(id);
      return null;
    }
    return Buffer.from(entry.key);
  }

  /**
   * Keeps `key` (the cache owns it from now on and zero-fills it when it leaves), unwrapped from
   * `row`, unless a forget happened since `generation` was read; if not kept, it is wiped now.
   */
  set(
    tenantId: string,
    personId: string,
    row: WrappedPersonKey,
    key: Buffer,
    generation: number,
  ): void {
    if (generation !== this.generation || this.options.maxEntries <= 0) {
      key.fill(0);
      return;
    }
    const id = entryId(tenantId, personId);
    this.evict(id);
    while (this.entries.size >= this.options.maxEntries) {
      this.evict(this.entries.keys().next().value as string);
    }
    this.entries.set(id, {
      key,
      version: row.version,
      kekVersion: row.kek_version,
      wrapped: Buffer.from(row.wrapped_key),
      expiresAt: this.now() + this.options.ttlMs,
    });
    this.scheduleSweep();
  }

  /** Drops the person's key at once (their key is being destroyed). */
  forgetPerson(tenantId: string, personId: string): void {
    this.generation += 1;
    this.evict(entryId(tenantId, personId));
  }

  /** Drops every key of the tenant (its keys were re-wrapped or a tenant key retired). */
  forgetTenant(tenantId: string): void {
    this.generation += 1;
    const prefix = entryId(tenantId, '');
    for (const id of [...this.entries.keys()]) if (id.startsWith(prefix)) this.evict(id);
  }

  /** Drops every key (the process is closing). */
  clear(): void {
    this.generation += 1;
    for (const id of [...this.entries.keys()]) this.evict(id);
  }

  private evict(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.key.fill(0);
    this.entries.delete(id);
    if (this.entries.size === 0 && this.sweepTimer) {
      clearTimeout(this.sweepTimer);
      this.sweepTimer = null;
    }
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.evict(id);
    }
  }

  /** Expired keys are wiped even when nobody asks for them again. */
  private scheduleSweep(): void {
    if (this.sweepTimer) return;
    const oldest = this.entries.values().next().value as Entry | undefined;
    if (!oldest) return;
    this.sweepTimer = setTimeout(
      () => {
        this.sweepTimer = null;
        this.sweep();
        this.scheduleSweep();
      },
      Math.max(0, oldest.expiresAt - this.now()) + 1,
    );
    this.sweepTimer.unref();
  }
}

function entryId(tenantId: string, personId: string): string {
  return `${tenantId}\u0000${personId}`;
}
