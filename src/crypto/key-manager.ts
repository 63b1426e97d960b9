/**
 * The key manager's name for the platform's own key (the platform audit chain's signing key, the
 * seal of backups): not a UUID, so never a tenant's.
 */
export const PLATFORM_KEY_ID = 'cloison-platform';

/**
 * Holds the tenant keys (key-encryption keys) and never lets them out: callers hand it a data
 * key to wrap or a wrapped key to unwrap. Implementations: `local` (keyring file protected by a
 * master key) and `pkcs11` (keys inside an HSM). Data keys are AES-256 (32 bytes).
 */
export interface KeyManager {
  readonly kind: 'local' | 'pkcs11';
  /** Creates version 1 of the tenant's key if it has none; returns the current version. */
  ensureTenantKey(tenantId: string): Promise<number>;
  /** The version new data must be wrapped under; throws KeyUnavailableError if none. */
  currentVersion(tenantId: string): Promise<number>;
  /** Every version of the tenant's key, oldest first. */
  versions(tenantId: string): Promise<TenantKeyVersion[]>;
  /** Creates a new version and makes it current; older versions still unwrap until retired. */
  rotate(tenantId: string): Promise<number>;
  /**
   * Destroys a version that is not current. Whatever is still wrapped under it can never be
   * unwrapped again: unwrap throws KeyRetiredError, it never returns garbage.
   */
  retire(tenantId: string, version: number): Promise<void>;
  /** AES-256-GCM under the tenant key version, `aad` bound; output carries its own nonce. */
  wrap(tenantId: string, version: number, key: Buffer, aad: Buffer): Promise<Buffer>;
  /** Inverse of wrap; throws KeyRetiredError, KeyUnavailableError or a tamper error. */
  unwrap(tenantId: string, version: number, wrapped: Buffer, aad: Buffer): Promise<Buffer>;
  /**
   * Throws what unwrap would (KeyRetiredError, KeyUnavailableError) if the version can no longer
   * unwrap, as seen by the key manager now (another process may have retired it); cheaper than
   * an unwrap: no decryption.
   */
  assertUsable(tenantId: string, version: number): Promise<void>;
  close(): Promise<void>;
}

export interface TenantKeyVersion {
  readonly version: number;
  readonly createdAt: string;
  /** Set once the version is destroyed. */
  readonly retiredAt: string | null;
  readonly current: boolean;
}

/** The key version asked for was destroyed on purpose (rotation then retirement). */
export class KeyRetiredError extends Error {
  constructor(tenantId: string, version: number) {
    super(`tenant key ${tenantId} v${version} has been retired: data wrapped under it is gone`);
    this.name = 'KeyRetiredError';
  }
}

/** No such tenant key, or the key manager cannot be reached. */
export class KeyUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyUnavailableError';
  }
}

/** A ciphertext failed authentication: tampered, truncated, moved or under the wrong key. */
export class TamperedError extends Error {
  constructor(what: string) {
    super(`${what} failed authentication (tampered, truncated or moved)`);
    this.name = 'TamperedError';
  }
}
