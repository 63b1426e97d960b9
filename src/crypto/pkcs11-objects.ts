import { pkcs11js, type Template } from './pkcs11-session.js';

/**
 * How Cloison's objects look on a PKCS#11 token. Everything needed to find them is on the token
 * itself, so there is no metadata file to lose or to keep in step:
 *   key     AES-256 secret key generated inside the token, never extractable;
 *           CKA_ID `cloison:<tenant>:v<n>` (looked up exactly), CKA_LABEL the same plus
 *           `@<created ISO time>` (CKA_START_DATE holds a day only, and pkcs11js mishandles it)
 *   retired CKO_DATA object labelled `cloison:<tenant>:retired:v<n>`, value {createdAt,
 *           retiredAt}: written before the key is destroyed, so a retired version is told apart
 *           from one that never existed, and a retirement cut short is finished by retrying it.
 * Versions run 1, 2, ... with no gap, and are found by probing them in order.
 */

/** Wrapped key layout: format (1) || IV (12) || AES-256-GCM ciphertext (32) || tag (16). */
export const FORMAT_V1 = 0x01;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;
export const WRAPPED_BYTES = 1 + IV_BYTES + DATA_KEY_BYTES + TAG_BYTES;

/** CKR_AEAD_DECRYPT_FAILED (PKCS#11 3.0), unknown to pkcs11js. */
const CKR_AEAD_DECRYPT_FAILED = 0x35;
/**
 * Codes C_Decrypt gives for a failed tag check. SoftHSM2 2.6 answers CKR_GENERAL_ERROR, so a
 * genuine device fault during decryption is reported as tampering too: fail closed either way.
 */
export const TAG_FAILURE_CODES: ReadonlySet<number> = new Set([
  pkcs11js.CKR_ENCRYPTED_DATA_INVALID,
  pkcs11js.CKR_ENCRYPTED_DATA_LEN_RANGE,
  CKR_AEAD_DECRYPT_FAILED,
  pkcs11js.CKR_GENERAL_ERROR,
]);

/** Tenant ids are UUIDs or short codes; ':' and '@' stay out so labels parse unambiguously. */
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Throws RangeError for a tenant id that cannot be named on the token. */
export function checkTenant(tenantId: string): void {
  if (!TENANT_ID.test(tenantId)) throw new RangeError('invalid tenant id');
}

/** Throws RangeError unless the version is a positive integer. */
export function checkVersion(version: number): void {
  if (!Number.isSafeInteger(version) || version < 1) throw new RangeError('invalid key version');
}

function keyName(tenantId: string, version: number): string {
  return `cloison:${tenantId}:v${version}`;
}

/** Matches the key objects of one tenant key version. */
export function keyTemplate(tenantId: string, version: number): Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_ID, value: Buffer.from(keyName(tenantId, version), 'utf8') },
  ];
}

/** The template C_GenerateKey gets for a new tenant key version. */
const CKA_COPYABLE = 0x00000171;

export function newKeyTemplate(tenantId: string, version: number, createdAt: string): Template {
  const flag = (type: number, value: boolean) => ({ type, value });
  return [
    ...keyTemplate(tenantId, version),
    { type: pkcs11js.CKA_VALUE_LEN, value: DATA_KEY_BYTES },
    { type: pkcs11js.CKA_LABEL, value: `${keyName(tenantId, version)}@${createdAt}` },
    flag(pkcs11js.CKA_TOKEN, true),
    flag(pkcs11js.CKA_PRIVATE, true),
    // Never leaves the token, not even wrapped under another key.
    flag(pkcs11js.CKA_SENSITIVE, true),
    flag(pkcs11js.CKA_EXTRACTABLE, false),
    // Least privilege: encrypt and decrypt only, attributes frozen once generated.
    flag(pkcs11js.CKA_ENCRYPT, true),
    flag(pkcs11js.CKA_DECRYPT, true),
    flag(pkcs11js.CKA_WRAP, false),
    flag(pkcs11js.CKA_UNWRAP, false),
    flag(pkcs11js.CKA_SIGN, false),
    flag(pkcs11js.CKA_VERIFY, false),
    flag(pkcs11js.CKA_DERIVE, false),
    flag(pkcs11js.CKA_MODIFIABLE, false),
    // Nobody holding the PIN can duplicate a key before it is retired (PKCS#11 v2.40).
    flag(CKA_COPYABLE, false),
  ];
}

/** The creation time written into a key label by newKeyTemplate. */
export function createdAtOfLabel(label: string): string {
  const at = label.lastIndexOf('@');
  return at >= 0 ? label.slice(at + 1) : 'unknown';
}

/** Matches the retirement record of one tenant key version. */
export function retiredTemplate(tenantId: string, version: number): Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_DATA },
    { type: pkcs11js.CKA_APPLICATION, value: 'cloison' },
    { type: pkcs11js.CKA_LABEL, value: `cloison:${tenantId}:retired:v${version}` },
  ];
}

export interface Retirement {
  readonly createdAt: string;
  readonly retiredAt: string;
}

/** The template C_CreateObject gets for a retirement record. */
export function newRetiredTemplate(tenantId: string, version: number, record: Retirement) {
  return [
    ...retiredTemplate(tenantId, version),
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_MODIFIABLE, value: false },
    { type: pkcs11js.CKA_VALUE, value: Buffer.from(JSON.stringify(record), 'utf8') },
  ];
}

/** Reads a retirement record's value; its existence is what matters, its dates inform. */
export function parseRetirement(value: Buffer | undefined): Retirement {
  try {
    const record = JSON.parse(value?.toString('utf8') ?? '') as Record<string, unknown>;
    if (typeof record.createdAt === 'string' && typeof record.retiredAt === 'string') {
      return { createdAt: record.createdAt, retiredAt: record.retiredAt };
    }
  } catch {
    // Fall through to the placeholder below.
  }
  return { createdAt: 'unknown', retiredAt: 'unknown' };
}

/**
 * CKM_AES_GCM parameters in the CK_GCM_PARAMS layout that carries ulIvBits (PKCS#11 2.40
 * errata and 3.x headers, what current HSMs expect; SoftHSM2 2.6 takes it too). tagBits is
 * always explicit: SoftHSM2 takes a missing one as 0 and then emits no tag at all.
 */
export function gcmMechanism(iv: Buffer, aad: Buffer) {
  return {
    mechanism: pkcs11js.CKM_AES_GCM,
    parameter: {
      type: pkcs11js.CK_PARAMS_AES_GCM_v240,
      iv,
      ivBits: IV_BYTES * 8,
      aad,
      tagBits: TAG_BYTES * 8,
    },
  };
}
