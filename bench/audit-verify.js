// Part 2 of the audit benchmark: verifyAuditChains over the file part 1 filled (100,000 events),
// with one signed checkpoint over all of them, as `cloison audit verify` finds it; and the
// RFC 6962 tree hash a checkpoint costs, alone and with the read of the leaves the checkpoint
// job does every minute.
import { generateKeyPairSync } from 'node:crypto';
import { verifyAuditChains } from '../dist/src/modules/audit/verify.js';
import { treeHash } from '../dist/src/modules/audit/merkle.js';
import { checkpointBody, signNote } from '../dist/src/modules/audit/signed-note.js';
import { openBenchDatabase, TENANT } from './audit-append.js';

async function readLeaves(db) {
  const rows = await db
    .selectFrom('audit_events')
    .select('leaf_hash')
    .where('chain', '=', TENANT)
    .orderBy('seq')
    .execute();
  return rows.map((r) => Buffer.from(r.leaf_hash, 'hex'));
}

/**
 * Signs a checkpoint of the whole chain with a key made here. The private half is not kept:
 * verification only reads the public one, so a placeholder stands where the server seals it.
 */
async function addCheckpoint(db, leaves, root) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  const name = `cloison-audit-${TENANT.slice(0, 8)}`;
  const note = signNote(
    checkpointBody(`bench.invalid/cloison/audit/${TENANT}`, leaves.length, root),
    name,
    privateKey,
    raw,
  );
  const at = new Date().toISOString();
  await db
    .insertInto('audit_log_keys')
    .values({
      chain: TENANT,
      key_name: name,
      public_key: raw,
      private_key_enc: Buffer.alloc(1),
      created_at: at,
    })
    .execute();
  await db
    .insertInto('audit_checkpoints')
    .values({
      chain: TENANT,
      size: leaves.length,
      root_hash: root.toString('hex'),
      note,
      created_at: at,
    })
    .execute();
}

export async function measureVerify(dir) {
  const db = await openBenchDatabase(dir);
  try {
    let start = performance.now();
    const leaves = await readLeaves(db);
    const readMs = performance.now() - start;
    start = performance.now();
    const root = treeHash(leaves);
    const treeMs = performance.now() - start;
    await addCheckpoint(db, leaves, root);

    start = performance.now();
    const reports = await verifyAuditChains(db);
    const verifyMs = performance.now() - start;
    const report = reports.find((r) => r.chain === TENANT);
    if (!report || report.broken || report.checkpoints !== 1 || report.events !== leaves.length) {
      throw new Error(`verification did not pass: ${JSON.stringify(reports)}`);
    }
    return {
      events: report.events,
      verifyMs,
      verifyRate: report.events / (verifyMs / 1000),
      treeMs,
      checkpointMs: readMs + treeMs,
    };
  } finally {
    await db.destroy();
  }
}
