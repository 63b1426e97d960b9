import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock } from '../clock.js';
import { ConfigError } from '../config.js';
import {
  KeyRetiredError,
  KeyUnavailableError,
  TamperedError,
  type KeyManager,
  type TenantKeyVersion,
} from './key-manager.js';
import {
  checkTenant,
  checkVersion,
  createdAtOfLabel,
  DATA_KEY_BYTES,
  FORMAT_V1,
  gcmMechanism,
  IV_BYTES,
  keyTemplate,
  newKeyTemplate,
  newRetiredTemplate,
  parseRetirement,
  retiredTemplate,
  TAG_BYTES,
  TAG_FAILURE_CODES,
  WRAPPED_BYTES,
} from './pkcs11-objects.js';
import {
  Pkcs11Session,
  pkcs11Code,
  pkcs11js,
  unavailable,
  type Handle,
  type TokenLocation,
} from './pkcs11-session.js';

/**
 * Tenant keys held in a PKCS#11 token: an HSM in production, SoftHSM2 in tests. The keys are
 * generated inside the token and never leave it; wrap and unwrap are C_Encrypt / C_Decrypt
 * with CKM_AES_GCM on one logged-in session. Object layout: pkcs11-objects.ts.
 */

export interface Pkcs11Options extends TokenLocation {
  /** Source of createdAt / retiredAt; tests move it. */
  readonly clock?: Clock;
}

export type Pkcs11OptionsResult =
  | { readonly ok: true; readonly options: Pkcs11Options }
  | { readonly ok: false; readonly problems: string[] };

/** Reads CLOISON_PKCS11_MODULE, _TOKEN_LABEL and _PIN; lists every problem, never the PIN. */
export function pkcs11OptionsFromEnv(env: Record<string, string | undefined>): Pkcs11OptionsResult {
  const problems: string[] = [];
  const modulePath = env.CLOISON_PKCS11_MODULE ?? '';
  const tokenLabel = env.CLOISON_PKCS11_TOKEN_LABEL ?? '';
  const pin = env.CLOISON_PKCS11_PIN ?? '';
  if (modulePath === '') {
    problems.push('CLOISON_PKCS11_MODULE is required: the path of the HSM vendor PKCS#11 library');
  } else if (!path.isAbsolute(modulePath)) {
    problems.push(`CLOISON_PKCS11_MODULE must be an absolute path, got "${modulePath}"`);
  } else if (!existsSync(modulePath)) {
    problems.push(`CLOISON_PKCS11_MODULE: no file at ${modulePath}`);
  }
  if (tokenLabel === '') {
    problems.push(
      'CLOISON_PKCS11_TOKEN_LABEL is required: the label of the token holding the keys',
    );
  } else if (Buffer.byteLength(tokenLabel) > 32 || tokenLabel.trim() !== tokenLabel) {
    problems.push('CLOISON_PKCS11_TOKEN_LABEL must be 1 to 32 bytes without surrounding spaces');
  }
  if (pin === '') problems.push('CLOISON_PKCS11_PIN is required: the token user PIN');
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, options: { modulePath, tokenLabel, pin } };
}

/** Opens the token and logs in; throws KeyUnavailableError with the reason if it cannot. */
export async function openPkcs11KeyManager(options: Pkcs11Options): Promise<Pkcs11KeyManager> {
  return new Pkcs11KeyManager(Pkcs11Session.open(options), options.clock ?? systemClock);
}

/** openPkcs11KeyManager configured from CLOISON_PKCS11_*; throws ConfigError if they are wrong. */
export async function openPkcs11KeyManagerFromEnv(
  env: Record<string, string | undefined>,
): Promise<Pkcs11KeyManager> {
  const parsed = pkcs11OptionsFromEnv(env);
  if (!parsed.ok) throw new ConfigError(parsed.problems);
  return openPkcs11KeyManager(parsed.options);
}

interface VersionState {
  readonly version: number;
  readonly createdAt: string;
  readonly retiredAt: string | null;
  /** Usually one; two processes racing to create the same version may leave more. */
  readonly keys: Handle[];
}

export class Pkcs11KeyManager implements KeyManager {
  readonly kind = 'pkcs11' as const;

  /** Use openPkcs11KeyManager. */
  constructor(
    private readonly session: Pkcs11Session,
    private readonly clock: Clock,
  ) {}

  async ensureTenantKey(tenantId: string): Promise<number> {
    checkTenant(tenantId);
    return this.guarded('ensureTenantKey', async () => {
      const states = this.readVersions(tenantId);
      const current = currentOf(states);
      if (current !== null) return current;
      // No usable version (none yet, or all destroyed out of band): start the next one.
      const next = (states.at(-1)?.version ?? 0) + 1;
      await this.generateKey(tenantId, next);
      return next;
    });
  }

  async currentVersion(tenantId: string): Promise<number> {
    checkTenant(tenantId);
    return this.guarded('currentVersion', () => {
      const current = currentOf(this.readVersions(tenantId));
      if (current === null) throw new KeyUnavailableError(`tenant ${tenantId} has no usable key`);
      return current;
    });
  }

  async versions(tenantId: string): Promise<TenantKeyVersion[]> {
    checkTenant(tenantId);
    return this.guarded('versions', () => {
      const states = this.readVersions(tenantId);
      const current = currentOf(states);
      return states.map(({ version, createdAt, retiredAt }) => ({
        version,
        createdAt,
        retiredAt,
        current: version === current,
      }));
    });
  }

  async rotate(tenantId: string): Promise<number> {
    checkTenant(tenantId);
    return this.guarded('rotate', async () => {
      const last = this.readVersions(tenantId).at(-1);
      // Rotating a tenant that has no key is most likely a typo in the tenant id.
      if (!last) throw new KeyUnavailableError(`tenant ${tenantId} has no key to rotate`);
      await this.generateKey(tenantId, last.version + 1);
      return last.version + 1;
    });
  }

  async retire(tenantId: string, version: number): Promise<void> {
    checkTenant(tenantId);
    checkVersion(version);
    return this.guarded('retire', () => {
      const states = this.readVersions(tenantId);
      const state = states.find((s) => s.version === version);
      if (!state)
        throw new KeyUnavailableError(`tenant key ${tenantId} v${version} does not exist`);
      if (currentOf(states) === version) {
        throw new Error(`tenant key ${tenantId} v${version} is current: rotate before retiring it`);
      }
      const { lib, current: session } = this.session;
      if (state.retiredAt === null) {
        const retiredAt = this.clock.now().toISOString();
        const record = { createdAt: state.createdAt, retiredAt };
        lib.C_CreateObject(session, newRetiredTemplate(tenantId, version, record));
      }
      for (const key of state.keys) lib.C_DestroyObject(session, key);
    });
  }

  async wrap(tenantId: string, version: number, key: Buffer, aad: Buffer): Promise<Buffer> {
    checkTenant(tenantId);
    checkVersion(version);
    if (key.length !== DATA_KEY_BYTES) throw new RangeError('data keys are 32 bytes (AES-256)');
    return this.guarded('wrap', async () => {
      const [handle] = this.usableKeys(tenantId, version);
      const iv = randomBytes(IV_BYTES);
      const { lib, current: session } = this.session;
      try {
        lib.C_EncryptInit(session, gcmMechanism(iv, aad), handle as Handle);
        const sealed = await lib.C_EncryptAsync(session, key, Buffer.alloc(key.length + TAG_BYTES));
        return Buffer.concat([Buffer.of(FORMAT_V1), iv, sealed]);
      } catch (error) {
        this.renewSession();
        throw error;
      }
    });
  }

  async unwrap(tenantId: string, version: number, wrapped: Buffer, aad: Buffer): Promise<Buffer> {
    checkTenant(tenantId);
    checkVersion(version);
    return this.guarded('unwrap', async () => {
      const keys = this.usableKeys(tenantId, version);
      if (wrapped.length !== WRAPPED_BYTES || wrapped[0] !== FORMAT_V1) {
        throw new TamperedError('wrapped key');
      }
      const iv = wrapped.subarray(1, 1 + IV_BYTES);
      const sealed = wrapped.subarray(1 + IV_BYTES);
      // Only one key normally; with duplicates, the tag tells which one wrapped this.
      for (const handle of keys) {
        const opened = await this.decrypt(handle, iv, aad, sealed);
        if (opened?.length === DATA_KEY_BYTES) return opened;
      }
      throw new TamperedError('wrapped key');
    });
  }

  async assertUsable(tenantId: string, version: number): Promise<void> {
    checkTenant(tenantId);
    checkVersion(version);
    await this.guarded('assertUsable', () => {
      this.usableKeys(tenantId, version);
    });
  }

  close(): Promise<void> {
    return this.session.close();
  }

  /** Serializes on the session and reports PKCS#11 failures as KeyUnavailableError. */
  private async guarded<T>(during: string, use: () => T | Promise<T>): Promise<T> {
    try {
      return await this.session.run(use);
    } catch (error) {
      throw unavailable(error, during);
    }
  }

  /** The plaintext, or null when the tag check fails. */
  private async decrypt(key: Handle, iv: Buffer, aad: Buffer, sealed: Buffer) {
    const { lib, current: session } = this.session;
    try {
      lib.C_DecryptInit(session, gcmMechanism(iv, aad), key);
      // SoftHSM2 wants room for the whole input, tag included.
      return await lib.C_DecryptAsync(session, sealed, Buffer.alloc(sealed.length));
    } catch (error) {
      if (TAG_FAILURE_CODES.has(pkcs11Code(error) ?? -1)) return null;
      this.renewSession();
      throw error;
    }
  }

  /** After an unexpected failure an operation may be left active on the session. */
  private renewSession(): void {
    try {
      this.session.renew();
    } catch {
      // The next call fails with the real reason (device gone, session closed...).
    }
  }

  private async generateKey(tenantId: string, version: number): Promise<void> {
    const { lib, current: session } = this.session;
    const template = newKeyTemplate(tenantId, version, this.clock.now().toISOString());
    await lib.C_GenerateKeyAsync(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, template);
  }

  /** The live key objects of a version, or KeyRetiredError / KeyUnavailableError. */
  private usableKeys(tenantId: string, version: number): Handle[] {
    // The retirement record wins over a key that a cut-short retire() left behind.
    if (this.session.find(retiredTemplate(tenantId, version)).length > 0) {
      throw new KeyRetiredError(tenantId, version);
    }
    const keys = this.findKeys(tenantId, version);
    if (keys.length === 0) {
      throw new KeyUnavailableError(`tenant key ${tenantId} v${version} does not exist`);
    }
    return keys.map((k) => k.handle);
  }

  private readVersions(tenantId: string): VersionState[] {
    const { lib, current: session } = this.session;
    const states: VersionState[] = [];
    for (let version = 1; ; version += 1) {
      const keys = this.findKeys(tenantId, version);
      const handles = keys.map((k) => k.handle);
      const [retired] = this.session.find(retiredTemplate(tenantId, version));
      if (retired) {
        const [value] = lib.C_GetAttributeValue(session, retired, [{ type: pkcs11js.CKA_VALUE }]);
        states.push({ version, ...parseRetirement(value?.value), keys: handles });
      } else if (keys[0]) {
        const createdAt = createdAtOfLabel(keys[0].label);
        states.push({ version, createdAt, retiredAt: null, keys: handles });
      } else {
        return states;
      }
    }
  }

  /** Key objects of one version, oldest label first so every process picks the same for wrap. */
  private findKeys(tenantId: string, version: number): { handle: Handle; label: string }[] {
    const { lib, current: session } = this.session;
    return this.session
      .find(keyTemplate(tenantId, version))
      .map((handle) => {
        const [label] = lib.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_LABEL }]);
        return { handle, label: label?.value.toString('utf8') ?? '' };
      })
      .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }
}

function currentOf(states: readonly VersionState[]): number | null {
  return states.filter((s) => s.retiredAt === null).at(-1)?.version ?? null;
}
