import { createHash, timingSafeEqual } from 'node:crypto';
import { aad } from '../../crypto/aead.js';
import { PLATFORM_KEY_ID, type KeyManager } from '../../crypto/key-manager.js';
import { BACKUP_FORMAT, ManifestError } from './manifest.js';

/**
 * A backup is encrypted to a public age recipient, so anyone can make one; its manifest's hashes,
 * inside the same stream, prove nothing about who did. The seal does: the manifest's SHA-256
 * wrapped (AES-256-GCM, authenticated) by the platform's own key in the key manager (the local
 * keyring or the HSM), which only this platform holds. Restore opens it with the key manager
 * before anything is put in place: a forged or foreign backup is refused.
 */

/** The archive's last entry, after the manifest. */
export const SEAL_ENTRY = 'MANIFEST.seal';

const sealAad = () => aad('backup-manifest', BACKUP_FORMAT);

const digest = (manifest: Buffer) => createHash('sha256').update(manifest).digest();

/** The seal of a manifest (its exact bytes), under the platform key's current version. */
export async function sealManifest(keys: KeyManager, manifest: Buffer): Promise<Buffer> {
  const version = await keys.ensureTenantKey(PLATFORM_KEY_ID);
  const wrapped = await keys.wrap(PLATFORM_KEY_ID, version, digest(manifest), sealAad());
  return Buffer.from(
    `${JSON.stringify({ format: BACKUP_FORMAT, keyVersion: version, seal: wrapped.toString('base64') })}\n`,
  );
}

/** Throws ManifestError unless `seal` is this platform's seal of exactly these manifest bytes. */
export async function checkManifestSeal(
  keys: KeyManager,
  manifest: Buffer,
  seal: Buffer | null,
): Promise<void> {
  if (seal === null)
    throw new ManifestError('the backup carries no seal: it was not made by this platform');
  let parsed: { keyVersion?: unknown; seal?: unknown };
  try {
    parsed = JSON.parse(seal.toString('utf8')) as typeof parsed;
  } catch {
    throw new ManifestError('the seal is unreadable');
  }
  if (!Number.isInteger(parsed.keyVersion) || typeof parsed.seal !== 'string')
    throw new ManifestError('the seal is unreadable');
  let sealed: Buffer;
  try {
    sealed = await keys.unwrap(
      PLATFORM_KEY_ID,
      parsed.keyVersion as number,
      Buffer.from(parsed.seal, 'base64'),
      sealAad(),
    );
  } catch {
    throw new ManifestError(
      'the manifest is not sealed by this platform’s key: a forged backup, or another platform’s',
    );
  }
  const expected = digest(manifest);
  if (sealed.length !== expected.length || !timingSafeEqual(sealed, expected))
    throw new ManifestError(
      'the manifest is not the one this platform sealed: the backup was altered',
    );
}
