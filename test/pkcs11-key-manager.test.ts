import { createCipheriv, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRetiredError, KeyUnavailableError, TamperedError } from '../src/crypto/key-manager.js';
import { ConfigError } from '../src/config.js';
import { gcmMechanism, newKeyTemplate, newRetiredTemplate } from '../src/crypto/pkcs11-objects.js';
import {
  openPkcs11KeyManager,
  openPkcs11KeyManagerFromEnv,
  pkcs11OptionsFromEnv,
  type Pkcs11KeyManager,
  type Pkcs11Options,
} from '../src/crypto/pkcs11-key-manager.js';
import {
  createSoftHsmToken,
  findObjects,
  softHsmMissing,
  withRawSession,
  type SoftHsmToken,
} from './support/softhsm.js';

// Tests against a real SoftHSM2 token. CI installs softhsm2 (.ci/run), so there a missing
// SoftHSM2 is a failure; on a developer machine without it the suite is skipped, loudly.
const missing = softHsmMissing();
const skip = missing !== null && !process.env.CI;
if (skip) console.warn(`pkcs11 key manager tests SKIPPED: ${missing}`);

const A = 'tenant-a';
const B = 'tenant-b';
const AAD = Buffer.from('person_keys:person-1:v1');

let now = new Date('2025-03-01T09:00:00.000Z');
const clock = { now: () => now };

let token: SoftHsmToken;
let options: Pkcs11Options;

describe.skipIf(skip)('pkcs11 key manager on a SoftHSM2 token', () => {
  let manager: Pkcs11KeyManager;

  beforeAll(async () => {
    if (missing) {
      throw new Error(`SoftHSM2 is required in CI (.ci/run installs softhsm2): ${missing}`);
    }
    token = createSoftHsmToken();
    // The library reads it with getenv() when initialized in this process: this works because
    // vitest runs test files in child processes (forks); worker threads would not pass it on.
    process.env.SOFTHSM2_CONF = token.env.SOFTHSM2_CONF;
    const parsed = pkcs11OptionsFromEnv(token.env);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    options = { ...parsed.options, clock };
    manager = await openPkcs11KeyManager(options);
  });

  afterAll(async () => {
    await manager?.close();
    delete process.env.SOFTHSM2_CONF;
    if (token) rmSync(token.dir, { recursive: true, force: true });
  });

  it('ensureTenantKey creates v1 once', async () => {
    expect(await manager.ensureTenantKey(A)).toBe(1);
    now = new Date('2025-03-02T09:00:00.000Z');
    expect(await manager.ensureTenantKey(A)).toBe(1);
    expect(await manager.currentVersion(A)).toBe(1);
    expect(await manager.versions(A)).toEqual([
      { version: 1, createdAt: '2025-03-01T09:00:00.000Z', retiredAt: null, current: true },
    ]);
    expect(rawSession((lib, s) => findById(lib, s, A, 1).length)).toBe(1);
  });

  it('wraps and unwraps a 32-byte key, with a fresh IV each time', async () => {
    const dataKey = randomBytes(32);
    const wrapped = await manager.wrap(A, 1, dataKey, AAD);
    expect(wrapped.length).toBe(1 + 12 + 32 + 16);
    expect(wrapped[0]).toBe(1);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(await manager.unwrap(A, 1, wrapped, AAD)).toEqual(dataKey);
    const again = await manager.wrap(A, 1, dataKey, AAD);
    expect(again.subarray(1, 13).equals(wrapped.subarray(1, 13))).toBe(false);
    await expect(manager.wrap(A, 1, randomBytes(16), AAD)).rejects.toThrow(RangeError);
  });

  it('never returns bytes for a wrong AAD, a changed blob, or the wrong tenant or version', async () => {
    const wrapped = await manager.wrap(A, 1, randomBytes(32), AAD);
    await expect(manager.unwrap(A, 1, wrapped, Buffer.from('other'))).rejects.toThrow(
      TamperedError,
    );
    for (let i = 0; i < wrapped.length; i += 1) {
      const flipped = Buffer.from(wrapped);
      flipped[i] = (flipped[i] as number) ^ 0x01;
      await expect(manager.unwrap(A, 1, flipped, AAD), `byte ${i}`).rejects.toThrow(TamperedError);
    }
    const truncated = wrapped.subarray(0, wrapped.length - 1);
    await expect(manager.unwrap(A, 1, truncated, AAD)).rejects.toThrow(TamperedError);
    await expect(manager.unwrap(A, 1, Buffer.alloc(0), AAD)).rejects.toThrow(TamperedError);
    await expect(manager.unwrap(A, 2, wrapped, AAD)).rejects.toThrow(KeyUnavailableError);
    await expect(manager.unwrap('nobody', 1, wrapped, AAD)).rejects.toThrow(KeyUnavailableError);
    await expect(manager.unwrap('bad:id', 1, wrapped, AAD)).rejects.toThrow(RangeError);
    // The session is still usable after all those failures.
    const fine = await manager.wrap(A, 1, randomBytes(32), AAD);
    expect((await manager.unwrap(A, 1, fine, AAD)).length).toBe(32);
  });

  it('gives two tenants distinct keys', async () => {
    expect(await manager.ensureTenantKey(B)).toBe(1);
    const dataKey = randomBytes(32);
    const forA = await manager.wrap(A, 1, dataKey, AAD);
    const forB = await manager.wrap(B, 1, dataKey, AAD);
    await expect(manager.unwrap(B, 1, forA, AAD)).rejects.toThrow(TamperedError);
    await expect(manager.unwrap(A, 1, forB, AAD)).rejects.toThrow(TamperedError);
    expect(await manager.unwrap(B, 1, forB, AAD)).toEqual(dataKey);
  });

  it('keeps the tenant key inside the token: not readable, not made extractable', async () => {
    const outcome = rawSession((lib, s) => {
      const [key] = findById(lib, s, A, 1);
      if (!key) throw new Error('no key object');
      const flags = lib.C_GetAttributeValue(s, key, [
        { type: pkcs11js.CKA_SENSITIVE },
        { type: pkcs11js.CKA_EXTRACTABLE },
        { type: pkcs11js.CKA_NEVER_EXTRACTABLE },
        { type: pkcs11js.CKA_LOCAL },
        { type: pkcs11js.CKA_TOKEN },
        { type: 0x171 }, // CKA_COPYABLE: nobody with the PIN can duplicate it before retirement
      ]);
      return {
        flags: flags.map((a) => a.value[0]),
        read: attempt(() => lib.C_GetAttributeValue(s, key, [{ type: pkcs11js.CKA_VALUE }])),
        loosen: attempt(() =>
          lib.C_SetAttributeValue(s, key, [{ type: pkcs11js.CKA_EXTRACTABLE, value: true }]),
        ),
      };
    });
    // sensitive, not extractable, never was, generated inside the token, persistent, not copyable
    expect(outcome.flags).toEqual([1, 0, 1, 1, 1, 0]);
    expect(outcome.read).toMatch(/CKR_ATTRIBUTE_SENSITIVE/);
    expect(outcome.loosen).toMatch(/CKR_/);
  });

  it('produces standard AES-256-GCM (checked against node:crypto with a test-only key)', async () => {
    const iv = randomBytes(12);
    const plain = randomBytes(32);
    const keyValue = randomBytes(32);
    const fromToken = rawSession((lib, s) => {
      const key = lib.C_CreateObject(s, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
        { type: pkcs11js.CKA_TOKEN, value: false },
        { type: pkcs11js.CKA_ENCRYPT, value: true },
        { type: pkcs11js.CKA_VALUE, value: keyValue },
      ]);
      // tagBits must be explicit: SoftHSM2 takes a missing one as 0 and emits no tag at all.
      const parameter = {
        type: pkcs11js.CK_PARAMS_AES_GCM_v240,
        iv,
        ivBits: 96,
        aad: AAD,
        tagBits: 128,
      };
      lib.C_EncryptInit(s, { mechanism: pkcs11js.CKM_AES_GCM, parameter }, key);
      return lib.C_Encrypt(s, plain, Buffer.alloc(48));
    });
    const cipher = createCipheriv('aes-256-gcm', keyValue, iv).setAAD(AAD);
    expect(fromToken).toEqual(
      Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]),
    );
  });

  it('rotates: v2 becomes current, v1 still unwraps', async () => {
    const dataKey = randomBytes(32);
    const underV1 = await manager.wrap(A, 1, dataKey, AAD);
    now = new Date('2025-04-01T09:00:00.000Z');
    expect(await manager.rotate(A)).toBe(2);
    expect(await manager.currentVersion(A)).toBe(2);
    expect(await manager.unwrap(A, 1, underV1, AAD)).toEqual(dataKey);
    const underV2 = await manager.wrap(A, 2, dataKey, AAD);
    await expect(manager.unwrap(A, 1, underV2, AAD)).rejects.toThrow(TamperedError);
    await expect(manager.unwrap(A, 2, underV1, AAD)).rejects.toThrow(TamperedError);
    expect((await manager.versions(A)).map((v) => [v.version, v.current])).toEqual([
      [1, false],
      [2, true],
    ]);
    await expect(manager.rotate('nobody')).rejects.toThrow(KeyUnavailableError);
  });

  it('retires v1: destroyed in the token, unwrap says retired; the current one is refused', async () => {
    const underV1 = await manager.wrap(A, 1, randomBytes(32), AAD);
    await expect(manager.retire(A, 2)).rejects.toThrow(/current/);
    await expect(manager.retire(A, 9)).rejects.toThrow(KeyUnavailableError);
    now = new Date('2025-05-01T09:00:00.000Z');
    await manager.retire(A, 1);
    await manager.retire(A, 1); // idempotent
    await expect(manager.unwrap(A, 1, underV1, AAD)).rejects.toThrow(KeyRetiredError);
    await expect(manager.wrap(A, 1, randomBytes(32), AAD)).rejects.toThrow(KeyRetiredError);
    expect(rawSession((lib, s) => findById(lib, s, A, 1).length)).toBe(0);
    expect(await manager.versions(A)).toEqual([
      {
        version: 1,
        createdAt: '2025-03-01T09:00:00.000Z',
        retiredAt: '2025-05-01T09:00:00.000Z',
        current: false,
      },
      { version: 2, createdAt: '2025-04-01T09:00:00.000Z', retiredAt: null, current: true },
    ]);
    // Tenant B is untouched.
    expect(await manager.currentVersion(B)).toBe(1);
  });

  it('assertUsable sees at once a version retired through another session', async () => {
    const E = 'tenant-e';
    await manager.ensureTenantKey(E);
    await expect(manager.assertUsable(E, 1)).resolves.toBeUndefined();
    const other = await openPkcs11KeyManager(options); // as the CLI beside the server would
    try {
      await other.rotate(E);
      await other.retire(E, 1);
    } finally {
      await other.close();
    }
    await expect(manager.assertUsable(E, 1)).rejects.toThrow(KeyRetiredError);
    await expect(manager.assertUsable(E, 2)).resolves.toBeUndefined();
    await expect(manager.assertUsable(E, 3)).rejects.toThrow(KeyUnavailableError);
  });

  it('treats a retirement record as final, and finishes a retirement cut short', async () => {
    const C = 'tenant-c';
    await manager.ensureTenantKey(C);
    const underV1 = await manager.wrap(C, 1, randomBytes(32), AAD);
    await manager.rotate(C);
    // As if retire() had stopped between writing the record and destroying the key.
    rawSession((lib, s) => {
      const record = { createdAt: 'x', retiredAt: '2025-05-02T00:00:00.000Z' };
      lib.C_CreateObject(s, newRetiredTemplate(C, 1, record));
    });
    await expect(manager.unwrap(C, 1, underV1, AAD)).rejects.toThrow(KeyRetiredError);
    expect((await manager.versions(C))[0]?.retiredAt).toBe('2025-05-02T00:00:00.000Z');
    expect(rawSession((lib, s) => findById(lib, s, C, 1).length)).toBe(1);
    await manager.retire(C, 1);
    expect(rawSession((lib, s) => findById(lib, s, C, 1).length)).toBe(0);
  });

  it('unwraps under either key when two processes created the same version', async () => {
    const D = 'tenant-d';
    await manager.ensureTenantKey(D);
    const dataKey = randomBytes(32);
    const iv = randomBytes(12);
    // The other process's key, and a data key it wrapped under it.
    const wrappedElsewhere = rawSession((lib, s) => {
      const template = newKeyTemplate(D, 1, '2099-01-01T00:00:00.000Z');
      const key = lib.C_GenerateKey(s, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, template);
      lib.C_EncryptInit(s, gcmMechanism(iv, AAD), key);
      const sealed = lib.C_Encrypt(s, dataKey, Buffer.alloc(48));
      return Buffer.concat([Buffer.of(1), iv, sealed]);
    });
    expect(await manager.unwrap(D, 1, wrappedElsewhere, AAD)).toEqual(dataKey);
    const wrappedHere = await manager.wrap(D, 1, dataKey, AAD);
    expect(await manager.unwrap(D, 1, wrappedHere, AAD)).toEqual(dataKey);
    expect((await manager.versions(D)).map((v) => v.version)).toEqual([1]);
  });

  it('serializes concurrent calls on the one session', async () => {
    const keys = Array.from({ length: 25 }, () => randomBytes(32));
    const wrapped = await Promise.all(keys.map((k) => manager.wrap(A, 2, k, AAD)));
    const back = await Promise.all(wrapped.map((w) => manager.unwrap(A, 2, w, AAD)));
    expect(back).toEqual(keys);
  });

  it('finds the same versions after reopening the token', async () => {
    const dataKey = randomBytes(32);
    const wrapped = await manager.wrap(A, 2, dataKey, AAD);
    const before = await manager.versions(A);
    await manager.close();
    await manager.close(); // idempotent
    await expect(manager.currentVersion(A)).rejects.toThrow(KeyUnavailableError);
    manager = await openPkcs11KeyManager(options);
    expect(await manager.versions(A)).toEqual(before);
    expect(await manager.unwrap(A, 2, wrapped, AAD)).toEqual(dataKey);
    // A second manager in the same process shares the login and sees the same keys.
    const second = await openPkcs11KeyManager(options);
    expect(await second.currentVersion(B)).toBe(1);
    await second.close();
    expect(await manager.unwrap(A, 2, wrapped, AAD)).toEqual(dataKey);
  });

  it('refuses a wrong PIN or an unknown token label', async () => {
    await manager.close();
    await expect(openPkcs11KeyManager({ ...options, pin: 'wrong-pin' })).rejects.toThrow(
      /CKR_PIN_INCORRECT/,
    );
    await expect(openPkcs11KeyManager({ ...options, tokenLabel: 'nope' })).rejects.toThrow(
      KeyUnavailableError,
    );
    manager = await openPkcs11KeyManager(options);
    await expect(openPkcs11KeyManager({ ...options, pin: 'wrong-pin' })).rejects.toThrow(
      /different PIN/,
    );
    expect(await manager.currentVersion(A)).toBe(2);
  });
});

describe('pkcs11OptionsFromEnv', () => {
  it('lists every problem and never echoes the PIN', () => {
    const result = pkcs11OptionsFromEnv({
      CLOISON_PKCS11_MODULE: 'relative/lib.so',
      CLOISON_PKCS11_TOKEN_LABEL: 'x'.repeat(33),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(3);
    expect(result.problems.join('\n')).toMatch(/MODULE.*absolute[\s\S]*LABEL[\s\S]*PIN/);
    const missingFile = pkcs11OptionsFromEnv({
      CLOISON_PKCS11_MODULE: '/nonexistent/libpkcs11.so',
      CLOISON_PKCS11_TOKEN_LABEL: 'cloison',
      CLOISON_PKCS11_PIN: 's3cret-pin',
    });
    expect(missingFile).toEqual({ ok: false, problems: [expect.stringMatching(/no file/)] });
    expect(JSON.stringify(missingFile)).not.toContain('s3cret-pin');
  });

  it('makes openPkcs11KeyManagerFromEnv fail as a configuration error', async () => {
    await expect(openPkcs11KeyManagerFromEnv({})).rejects.toThrow(ConfigError);
  });
});

function rawSession<T>(use: (lib: pkcs11js.PKCS11, session: Buffer) => T): T {
  return withRawSession(options, use);
}

function findById(lib: pkcs11js.PKCS11, session: Buffer, tenant: string, version: number) {
  return findObjects(lib, session, [
    { type: pkcs11js.CKA_ID, value: Buffer.from(`cloison:${tenant}:v${version}`) },
  ]);
}

/** The error message of `run`, or 'accepted' if it did not throw. */
function attempt(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return String(error);
  }
}
