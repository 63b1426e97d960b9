import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import type { AppDeps } from '../../deps.js';
import { treeHash } from './merkle.js';
import { checkpointBody, signNote } from './signed-note.js';

const keyRef = (chain: string) => ({
  table: 'audit_log_keys',
  column: 'private_key_enc',
  rowId: chain,
});

/** The log's name in its checkpoints: the public origin's host and the tenant. */
export function logOrigin(deps: AppDeps, chain: string): string {
  return `${new URL(deps.publicOrigin()).host}/cloison/audit/${chain}`;
}

/** The chain's signing key: made on first use, the private half sealed under the tenant key. */
async function signingKey(deps: AppDeps, chain: string) {
  let row = await deps.db
    .selectFrom('audit_log_keys')
    .selectAll()
    .where('chain', '=', chain)
    .executeTakeFirst();
  if (!row) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    const sealed = await deps.vault.sealCredential(deps.db, chain, keyRef(chain), der);
    der.fill(0);
    await deps.db
      .insertInto('audit_log_keys')
      .values({
        chain,
        key_name: `cloison-audit-${chain.slice(0, 8)}`,
        public_key: raw,
        private_key_enc: sealed,
        created_at: deps.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    row = await deps.db
      .selectFrom('audit_log_keys')
      .selectAll()
      .where('chain', '=', chain)
      .executeTakeFirstOrThrow();
  }
  const der = await deps.vault.openCredential(deps.db, chain, keyRef(chain), row.private_key_enc);
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  return { key, name: row.key_name, publicKey: row.public_key };
}

/**
 * Signs a checkpoint of every tenant chain that grew since its last one, and appends it to the
 * witness file when one is configured (a copy the database cannot rewrite). The platform chain
 * ('-') has no tenant key to sign with; it is chained but not yet checkpointed.
 */
export async function checkpointChains(deps: AppDeps): Promise<number> {
  const chains = await deps.db
    .selectFrom('audit_events')
    .select('chain')
    .where('chain', '<>', '-')
    .distinct()
    .execute();
  let made = 0;
  for (const { chain } of chains) {
    const leaves = await deps.db
      .selectFrom('audit_events')
      .select('leaf_hash')
      .where('chain', '=', chain)
      .orderBy('seq')
      .execute();
    const last = await deps.db
      .selectFrom('audit_checkpoints')
      .select('size')
      .where('chain', '=', chain)
      .orderBy('size', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (leaves.length === 0 || leaves.length === (last?.size ?? 0)) continue;
    const root = treeHash(leaves.map((l) => Buffer.from(l.leaf_hash, 'hex')));
    const { key, name, publicKey } = await signingKey(deps, chain);
    const note = signNote(
      checkpointBody(logOrigin(deps, chain), leaves.length, root),
      name,
      key,
      publicKey,
    );
    await deps.db
      .insertInto('audit_checkpoints')
      .values({
        chain,
        size: leaves.length,
        root_hash: root.toString('hex'),
        note,
        created_at: deps.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    if (deps.config.auditWitnessFile) {
      fs.appendFileSync(
        deps.config.auditWitnessFile,
        `${JSON.stringify({ chain, size: leaves.length, note })}\n`,
        { mode: 0o600 },
      );
    }
    made += 1;
  }
  return made;
}
