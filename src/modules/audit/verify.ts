import type { DbOrTx } from '../../db/database.js';
import { chainHash, leafHash } from './audit-log.js';

export interface ChainReport {
  readonly chain: string;
  readonly events: number;
  /** Null when the chain is intact; otherwise the first link that broke and why. */
  readonly broken: { readonly seq: number; readonly reason: string } | null;
}

/**
 * Re-computes every chain from its first link: a sequence number out of place (a deleted or
 * reordered row), an entry that does not hash to its leaf (an edited row) or a link that does not
 * follow from the previous one (a row replaced with its hashes recomputed) is reported with the
 * first sequence number where it happens.
 */
export async function verifyAuditChains(db: DbOrTx): Promise<ChainReport[]> {
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
    reports.push({ chain, events: rows.length, broken });
  }
  return reports;
}
