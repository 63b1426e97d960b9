import { hash } from 'node:crypto';
import { GENESIS } from './audit-log.js';
import type { ChainLinkRow } from './audit-event.repository.js';
import type { CompactRange } from './merkle.js';
import { TreeBuilder, type Digest } from './merkle-frontier.js';

/**
 * One pass over a chain's stored links, as verification makes it: each entry hashed to its
 * leaf, each link re-derived from the one before, each leaf pushed onto the Merkle frontier,
 * and the roots kept at the sizes signed checkpoints name. What it reports, and in which order
 * it looks, is the contract of verify.ts: the first break only, with its sequence number.
 *
 * The loop is bound by SHA-256 calls (three per event: leaf, link, and one tree node on
 * average), so it allocates nothing per event it can avoid: digests are binary strings, and
 * the link is re-derived in one 64-byte buffer holding previous chain hash || leaf hash.
 */

export type Broken = { readonly seq: number; readonly reason: string } | null;

/** SHA-256(0x00 || entry) as a binary string: the RFC 6962 leaf of an entry's UTF-8 text. */
export const leafDigest = (entry: string): Digest => hash('sha256', `\0${entry}`, 'binary');

export class ChainPass {
  /** Events seen by the pass (rows read), whether or not the chain broke before them. */
  events = 0;
  broken: Broken = null;
  /** The events that may record a purge (only looked for when a marker asks). */
  readonly purgeRecords: Array<Pick<ChainLinkRow, 'seq' | 'entry'>> = [];
  /** The tree's root at each wanted size reached. */
  readonly roots = new Map<number, Digest>();

  private readonly tree: TreeBuilder;
  private readonly link = Buffer.alloc(64);
  private readonly wanted: number[];
  private nextWanted = 0;
  private readonly collectPurges: boolean;

  constructor(
    /** Events 1 to this one were purged: the next row must be the one after. */
    private readonly purgedThrough: number,
    options: {
      /** The compact range a retention marker kept of the purged events before its last. */
      range?: CompactRange | undefined;
      /** Tree sizes whose root the checkpoints need. */
      wanted: Iterable<number>;
      /** Keep the rows that may record a purge (when there is a marker to justify). */
      collectPurges: boolean;
    },
  ) {
    this.tree = new TreeBuilder(options.range);
    this.wanted = [...new Set(options.wanted)].filter((n) => n > 0).sort((a, b) => a - b);
    this.collectPurges = options.collectPurges;
    this.follow(GENESIS);
  }

  /** The leaves in the tree so far (purged ones included). */
  get size(): number {
    return this.tree.size;
  }

  /** Records a break unless an earlier one was recorded: only the first is reported. */
  fail(seq: number, reason: string): void {
    this.broken ??= { seq, reason };
  }

  /** Links the next event to this chain hash (hex, as stored). */
  follow(chainHashHex: string): void {
    this.link.fill(0, 0, 32);
    this.link.write(chainHashHex, 0, 32, 'hex');
  }

  /** Pushes a leaf that is not read from the rows (the retention marker's last event). */
  pushLeaf(leaf: Digest): void {
    this.tree.pushDigest(leaf);
    this.keepRoot();
  }

  /** Checks rows that follow the ones taken before, in order. */
  take(rows: readonly ChainLinkRow[]): void {
    const link = this.link;
    for (const row of rows) {
      this.events += 1;
      // After a break nothing more is reported: the rows are only counted.
      if (this.broken) continue;
      const expected = this.purgedThrough + this.events;
      const leaf = leafDigest(row.entry);
      link.write(leaf, 32, 32, 'latin1');
      if (row.seq !== expected) {
        this.fail(expected, `event ${expected} is missing (found ${row.seq} instead)`);
      } else if (link.toString('hex', 32, 64) !== row.leaf_hash) {
        this.fail(row.seq, 'the entry was changed (it no longer matches its hash)');
      } else {
        // The buffer held the previous chain hash, which matched the stored one: this link
        // follows from it exactly when the stored chain hash is SHA-256(previous || leaf).
        link.write(hash('sha256', link, 'binary'), 0, 32, 'latin1');
        if (link.toString('hex', 0, 32) !== row.chain_hash) {
          this.fail(
            row.seq,
            'the link does not follow from the previous event (replaced or reordered)',
          );
        }
      }
      this.tree.pushDigest(leaf);
      this.keepRoot();
      if (this.collectPurges && row.entry.includes('"audit.purged"')) {
        this.purgeRecords.push({ seq: row.seq, entry: row.entry });
      }
    }
  }

  private keepRoot(): void {
    const size = this.tree.size;
    const wanted = this.wanted;
    while (this.nextWanted < wanted.length && wanted[this.nextWanted]! < size) this.nextWanted++;
    if (wanted[this.nextWanted] === size) this.roots.set(size, this.tree.rootDigest());
  }
}
