import type { DbOrTx } from '../../db/database.js';
import type { AuditRetentionTable } from '../../db/schema.js';
import { leafHash } from './audit-log.js';
import { listLeafHashesAfter, listLeafHashPage } from './audit-event.repository.js';
import { findLatestMarkerRow } from './retention-marker.repository.js';
import { isCompactRange, prunedSource, type CompactRange, type MerkleSource } from './merkle.js';
import { hexDigest, TreeBuilder } from './merkle-frontier.js';

/**
 * A chain's Merkle tree as the database holds it: the latest retention marker (if anything was
 * purged) and the leaves kept after it. Sizes and sequence numbers count purged events too, so
 * a checkpoint or a proof means the same before and after a purge.
 */

/** What retention kept of a chain's purged part (table audit_retention). */
export interface RetentionMarker {
  /** Events 1 to throughSeq are purged. */
  readonly throughSeq: number;
  readonly chainHash: string;
  readonly prevChainHash: string;
  /** Event throughSeq itself, kept whole: it dates the purge and binds the marker to the tree. */
  readonly lastEntry: string;
  /** Compact range of events 1 to throughSeq - 1. */
  readonly range: CompactRange;
}

/** The marker as stored, or null when its tree range is not a well-formed compact range. */
export function parseMarker(row: AuditRetentionTable): RetentionMarker | null {
  let hashes: Buffer[];
  try {
    const parsed = JSON.parse(row.tree_range) as unknown;
    if (
      !Array.isArray(parsed) ||
      !parsed.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))
    )
      return null;
    hashes = parsed.map((h: string) => Buffer.from(h, 'hex'));
  } catch {
    return null;
  }
  const range = { size: row.through_seq - 1, hashes };
  if (!isCompactRange(range)) return null;
  return {
    throughSeq: row.through_seq,
    chainHash: row.chain_hash,
    prevChainHash: row.prev_chain_hash,
    lastEntry: row.last_entry,
    range,
  };
}

export interface ChainTree {
  /** The number of events ever appended: the last sequence number. */
  readonly size: number;
  /** Every event from here on is still in the database (1 when nothing was purged). */
  readonly firstKept: number;
  readonly source: MerkleSource;
}

/**
 * A chain's tree with random access (what proofs need): its latest retention marker and every
 * stored leaf hash after it.
 */
export async function loadChainTree(db: DbOrTx, chain: string): Promise<ChainTree> {
  const marker = await latestMarker(db, chain);
  const after = marker?.throughSeq ?? 0;
  const rows = await listLeafHashesAfter(db, chain, after);
  const boundary = marker?.range ?? { size: 0, hashes: [] };
  const leaves = [
    ...(marker ? [Buffer.from(leafHash(marker.lastEntry), 'hex')] : []),
    ...rows.map((r) => Buffer.from(r.leaf_hash, 'hex')),
  ];
  return {
    size: boundary.size + leaves.length,
    firstKept: after + 1,
    source: prunedSource(boundary, leaves),
  };
}

/** Rows read at a time by the passes over a whole chain, which yield between pages. */
export const PAGE = 5_000;

/** Lets requests run between pages of a long pass over a chain. */
export const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A pause for a long pass, called between pages: it lets requests run once `ms` have passed
 * since it last did, so the pass never holds the event loop much longer than that, and does not
 * pay a turn of the loop per page when pages are quick.
 */
export function pauseEvery(ms: number): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < ms) return;
    await yieldToRequests();
    since = performance.now();
  };
}

/**
 * The tree of a chain's first `upTo` events (all of them by default), built in one pass over
 * the stored leaf hashes from the marker on, a page at a time: the size of a year of events
 * never sits in memory, and requests keep being served meanwhile.
 */
export async function buildChainTree(
  db: DbOrTx,
  chain: string,
  marker: RetentionMarker | null,
  upTo = Number.MAX_SAFE_INTEGER,
): Promise<TreeBuilder> {
  const builder = new TreeBuilder(marker?.range);
  if (marker) builder.pushDigest(hexDigest(leafHash(marker.lastEntry)));
  const pause = pauseEvery(10);
  for (let after = marker?.throughSeq ?? 0; after < upTo;) {
    const page = await listLeafHashPage(db, chain, { after, upTo }, PAGE);
    if (page.length === 0) break;
    for (const row of page) builder.pushDigest(hexDigest(row.leaf_hash));
    after = page.at(-1)!.seq;
    await pause();
  }
  return builder;
}

/** The latest retention marker of a chain, parsed; throws when it is malformed. */
export async function latestMarker(db: DbOrTx, chain: string): Promise<RetentionMarker | null> {
  const row = await findLatestMarkerRow(db, chain);
  if (!row) return null;
  const marker = parseMarker(row);
  if (!marker) throw new Error(`audit chain ${chain}: malformed retention marker`);
  return marker;
}
