import type { DbOrTx } from '../../db/database.js';
import { leafHash } from './audit-log.js';
import { latestMarker, pauseEvery, PAGE } from './chain-tree.js';
import { hexDigest, TreeBuilder } from './merkle-frontier.js';
import { findLeafHash, listLeafHashPage } from './audit-event.repository.js';

/**
 * The checkpoint job signs a chain's root every minute or so; rebuilding the tree from the
 * first event each time would cost the whole chain every minute. So it keeps, per chain and in
 * memory, the tree's frontier (its compact range) where the last run left it, with the leaf
 * hash it ended on, and grows it by the events appended since: O(new events + log n).
 *
 * Nothing is stored for it (no table): after a restart, or when the chain no longer ends with
 * the leaf the frontier ended on (a purge took it, the file was rewritten), or when a sequence
 * number is missing among the new events, the tree is rebuilt from the retention marker as
 * before. Either way the tree is the one a full recomputation over the stored leaves gives.
 */

interface Frontier {
  readonly tree: TreeBuilder;
  /** The stored leaf hash of event `tree.size` when the frontier was taken. */
  readonly lastLeaf: string;
}

/** How long a pass over the leaves may hold the event loop before requests run. */
const YIELD_MS = 10;

/** The frontiers of one database's chains, kept between runs of the checkpoint job. */
export class ChainFrontiers {
  private readonly byChain = new Map<string, Frontier>();

  /** The chain's tree over every stored event, grown from the last frontier when it holds. */
  async tree(db: DbOrTx, chain: string): Promise<TreeBuilder> {
    const known = this.byChain.get(chain);
    const grown = known ? await grow(db, chain, known) : null;
    const result = grown ?? (await rebuild(db, chain));
    if (result.frontier) this.byChain.set(chain, result.frontier);
    else this.byChain.delete(chain);
    return result.tree;
  }

  /** Forgets what was kept (the next run of every chain rebuilds from the marker). */
  clear(): void {
    this.byChain.clear();
  }
}

interface Grown {
  readonly tree: TreeBuilder;
  /** What the next run may grow from; null when the events did not follow each other. */
  readonly frontier: Frontier | null;
}

/** The tree grown from `known` by the events after it, or null when it must be rebuilt. */
async function grow(db: DbOrTx, chain: string, known: Frontier): Promise<Grown | null> {
  if ((await findLeafHash(db, chain, known.tree.size)) !== known.lastLeaf) return null;
  const tree = known.tree.clone();
  const lastLeaf = await pushStoredLeaves(db, chain, tree, { strict: true });
  if (lastLeaf === null) return null;
  return { tree, frontier: { tree: tree.clone(), lastLeaf: lastLeaf || known.lastLeaf } };
}

/** The tree rebuilt from the retention marker and every stored leaf after it. */
async function rebuild(db: DbOrTx, chain: string): Promise<Grown> {
  const marker = await latestMarker(db, chain);
  const tree = new TreeBuilder(marker?.range);
  if (marker) tree.pushDigest(hexDigest(leafHash(marker.lastEntry)));
  const lastLeaf = await pushStoredLeaves(db, chain, tree, { strict: false });
  // Kept only when every event was there in order: the next run then only reads what follows.
  const frontier = lastLeaf ? { tree: tree.clone(), lastLeaf } : null;
  return { tree, frontier };
}

/**
 * Pushes the stored leaves after the tree's size, a page at a time. Returns the last leaf
 * hash pushed ('' when there was none), or null when a sequence number was not the next one:
 * strict, it stops there; otherwise it pushes every leaf anyway (the tree a full recomputation
 * over the stored leaves gives) and says the frontier cannot be kept.
 */
async function pushStoredLeaves(
  db: DbOrTx,
  chain: string,
  tree: TreeBuilder,
  { strict }: { strict: boolean },
): Promise<string | null> {
  const pause = pauseEvery(YIELD_MS);
  let inOrder = true;
  let last = '';
  for (let after = tree.size; ;) {
    const page = await listLeafHashPage(db, chain, { after, upTo: Number.MAX_SAFE_INTEGER }, PAGE);
    if (page.length === 0) break;
    for (const row of page) {
      if (row.seq !== tree.size + 1) {
        if (strict) return null;
        inOrder = false;
      }
      tree.pushDigest(hexDigest(row.leaf_hash));
      last = row.leaf_hash;
    }
    after = page.at(-1)!.seq;
    await pause();
  }
  return inOrder ? last : null;
}
