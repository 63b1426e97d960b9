import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { aad } from '../../crypto/aead.js';
import { PLATFORM_KEY_ID } from '../../crypto/key-manager.js';
import type { AppDeps } from '../../deps.js';
import { PLATFORM_CHAIN } from './audit-log.js';
import { findLogKey, insertLogKeyIfAbsent } from './log-key.repository.js';

/**
 * The Ed25519 keys that sign each chain's checkpoints. A tenant chain's private key is sealed
 * under the tenant's credential secret. The platform chain ('-': anonymous refusals, the
 * operator) belongs to no tenant: its 32-byte seed is wrapped directly by the key manager under
 * a platform key of its own (in the keyring sealed by the master key, or in the HSM), so no
 * clear key reaches the disk either way.
 */

const credentialRef = (chain: string) => ({
  table: 'audit_log_keys',
  column: 'private_key_enc',
  rowId: chain,
});
const platformAad = (chain: string) => aad('audit-log-key', chain);

export interface LogKey {
  readonly key: KeyObject;
  readonly name: string;
  readonly publicKey: Buffer;
}

async function sealNew(deps: AppDeps, chain: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  if (chain === PLATFORM_CHAIN) {
    const version = await deps.keys.ensureTenantKey(PLATFORM_KEY_ID);
    const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    const wrapped = await deps.keys.wrap(PLATFORM_KEY_ID, version, seed, platformAad(chain));
    seed.fill(0);
    return { name: 'cloison-audit-platform', raw, sealed: wrapped, kekVersion: version };
  }
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const sealed = await deps.vault.sealCredential(deps.db, chain, credentialRef(chain), der);
  der.fill(0);
  return { name: `cloison-audit-${chain.slice(0, 8)}`, raw, sealed, kekVersion: null };
}

/** The chain's signing key: made on first use, the private half sealed. */
export async function signingKey(deps: AppDeps, chain: string): Promise<LogKey> {
  let row = await findLogKey(deps.db, chain);
  if (!row) {
    const made = await sealNew(deps, chain);
    row = await insertLogKeyIfAbsent(deps.db, {
      chain,
      key_name: made.name,
      public_key: made.raw,
      private_key_enc: made.sealed,
      kek_version: made.kekVersion,
      created_at: deps.clock.now().toISOString(),
    });
  }
  let key: KeyObject;
  if (row.kek_version !== null) {
    const seed = await deps.keys.unwrap(
      PLATFORM_KEY_ID,
      row.kek_version,
      row.private_key_enc,
      platformAad(chain),
    );
    key = createPrivateKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        d: seed.toString('base64url'),
        x: row.public_key.toString('base64url'),
      },
      format: 'jwk',
    });
    seed.fill(0);
  } else {
    const der = await deps.vault.openCredential(
      deps.db,
      chain,
      credentialRef(chain),
      row.private_key_enc,
    );
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    der.fill(0);
  }
  return { key, name: row.key_name, publicKey: row.public_key };
}
