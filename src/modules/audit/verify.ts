import fs from 'node:fs';
import type { DbOrTx } from '../../db/database.js';
import { chainHash, leafHash } from './audit-log.js';
import { treeHash } from './merkle.js';
import { openNote } from './signed-note.js';

export interface ChainReport {
  readonly chain: string;
  readonly events: number;
  /** Signed checkpoints checked against the events (RFC 6962 root, Ed25519 signature). */
  readonly checkpoints: number;
  /** Null when the chain is intact; otherwise the first link that broke and why. */
  readonly broken: { readonly seq: number; readonly reason: string } | null;
}

/**
 * Re-computes every chain from its first link: a sequence number out of place (a deleted or
 * reordered row), an entry that does not hash to its leaf (an edited row) or a link that does not
 * follow from the previous one (a row replaced with its hashes recomputed) is reported with the
 * first sequence number where it happens.
 */
export async function verifyAuditChains(
  db: DbOrTx,
  options: { witnessFile?: string } = {},
): Promise<ChainReport[]> {
  const witnessed = readWitness(options.witnessFile);
  const chains = await db.selectFrom('audit_events').select('chain').distinct().execute();
  const reports: ChainReport[] = [];
  for (const { chain } of chains) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('chain', '=', chain)
      .orderBy('seq')
      .execute();
    let previous = '0'.repeat(64);
    let broken: ChainReport['broken'] = null;
    for (const [i, row] of rows.entries()) {
      if (row.seq !== i + 1) {
        broken = { seq: i + 1, reason: `event ${i + 1} is missing (found ${row.seq} instead)` };
        break;
      }
      if (leafHash(row.entry) !== row.leaf_hash) {
        broken = { seq: row.seq, reason: 'the entry was changed (it no longer matches its hash)' };
        break;
      }
      if (chainHash(previous, row.leaf_hash) !== row.chain_hash) {
        broken = {
          seq: row.seq,
          reason: 'the link does not follow from the previous event (replaced or reordered)',
        };
        break;
      }
      previous = row.chain_hash;
    }
    // The chain can be recomputed by whoever rewrites the file; the signed checkpoints cannot
    // without the tenant's key, and the witness's copy not at all.
    const checkpoints = await db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .where('chain', '=', chain)
      .orderBy('size')
      .execute();
    const key = await db
      .selectFrom('audit_log_keys')
      .selectAll()
      .where('chain', '=', chain)
      .executeTakeFirst();
    const leaves = rows.map((r) => Buffer.from(leafHash(r.entry), 'hex'));
    const notes = [...checkpoints.map((c) => c.note), ...(witnessed.get(chain) ?? [])];
    for (const note of notes) {
      if (broken) break;
      const opened = key ? openNote(note, key.key_name, key.public_key) : null;
      if (!opened) {
        broken = { seq: 0, reason: 'a checkpoint does not carry a valid signature of the log key' };
      } else if (opened.size > leaves.length) {
        broken = {
          seq: leaves.length + 1,
          reason: `events ${leaves.length + 1} to ${opened.size} were signed in a checkpoint and are gone`,
        };
      } else if (!treeHash(leaves.slice(0, opened.size)).equals(opened.root)) {
        broken = {
          seq: opened.size,
          reason: `the first ${opened.size} events no longer match the checkpoint signed for them`,
        };
      }
    }
    reports.push({ chain, events: rows.length, checkpoints: notes.length, broken });
  }
  for (const chain of witnessed.keys()) {
    if (!reports.some((r) => r.chain === chain)) {
      reports.push({
        chain,
        events: 0,
        checkpoints: witnessed.get(chain)!.length,
        broken: { seq: 1, reason: 'the witness holds checkpoints of a chain the database lost' },
      });
    }
  }
  return reports;
}

/** The witness file: one JSON line per checkpoint ({chain, size, note}). */
function readWitness(file: string | undefined): Map<string, string[]> {
  const byChain = new Map<string, string[]>();
  if (!file) return byChain;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const { chain, note } = JSON.parse(line) as { chain: string; note: string };
    byChain.set(chain, [...(byChain.get(chain) ?? []), note]);
  }
  return byChain;
}
