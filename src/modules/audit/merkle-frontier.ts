import { createHash, hash } from 'node:crypto';
import type { CompactRange } from './merkle.js';

/**
 * The right edge of an RFC 6962 tree as it grows: a stack of perfect subtree roots (its compact
 * range), so that pushing a leaf costs one node hash on average and the root of any size is
 * folded from at most log2(n) of them. Verification and the checkpoint job push every leaf of a
 * chain through here, so the digests are held as 32-character binary (latin1) strings: Node's
 * one-shot hash returns such a string for a fraction of what a new Buffer costs, and a Buffer per
 * node cost more than the SHA-256 itself.
 */

/** A SHA-256 digest as a 32-character binary (latin1) string. */
export type Digest = string;

const DIGEST_BYTES = 32;

/** The digest of a Buffer, as held on the stack. */
export const toDigest = (bytes: Buffer): Digest => bytes.toString('latin1');

/** The digest as a Buffer again. */
export const digestBytes = (digest: Digest): Buffer => Buffer.from(digest, 'latin1');

/** The digest of a hex string (a stored leaf hash). */
export const hexDigest = (hex: string): Digest => Buffer.from(hex, 'hex').toString('latin1');

// 0x01 || left || right, rewritten in place for each node: no allocation per node.
const scratch = Buffer.alloc(1 + 2 * DIGEST_BYTES);
scratch[0] = 1;

/** RFC 6962 interior node: SHA-256(0x01 || left || right). */
function node(left: Digest, right: Digest): Digest {
  if (left.length !== DIGEST_BYTES || right.length !== DIGEST_BYTES) {
    // Only a damaged stored hash has another length: hash exactly the bytes it holds.
    return createHash('sha256')
      .update(Buffer.from([1]))
      .update(left, 'latin1')
      .update(right, 'latin1')
      .digest('binary');
  }
  scratch.write(left, 1, DIGEST_BYTES, 'latin1');
  scratch.write(right, 1 + DIGEST_BYTES, DIGEST_BYTES, 'latin1');
  return hash('sha256', scratch, 'binary');
}

const EMPTY: Digest = hash('sha256', Buffer.alloc(0), 'binary');

/**
 * Roots of successive tree sizes in one pass: leaves are pushed one by one onto the stack of
 * perfect subtrees, and the root of the current size folds that stack.
 */
export class TreeBuilder {
  private stack: Digest[];
  private count: number;

  constructor(start: CompactRange = { size: 0, hashes: [] }) {
    this.stack = start.hashes.map(toDigest);
    this.count = start.size;
  }

  get size(): number {
    return this.count;
  }

  /** Appends a leaf hash. */
  push(leaf: Buffer): void {
    this.pushDigest(toDigest(leaf));
  }

  /** Appends a leaf hash held as a binary string (the verifier's hot path). */
  pushDigest(leaf: Digest): void {
    let merged = leaf;
    // One merge per trailing 1 bit of the size: the subtrees this leaf completes.
    for (let n = this.count; n % 2 === 1; n = (n - 1) / 2) merged = node(this.stack.pop()!, merged);
    this.stack.push(merged);
    this.count += 1;
  }

  /** MTH of the leaves pushed so far (with the starting range), as a binary string. */
  rootDigest(): Digest {
    const stack = this.stack;
    if (stack.length === 0) return EMPTY;
    let r = stack[stack.length - 1]!;
    for (let i = stack.length - 2; i >= 0; i -= 1) r = node(stack[i]!, r);
    return r;
  }

  /** MTH of the leaves pushed so far (with the starting range). */
  root(): Buffer {
    return digestBytes(this.rootDigest());
  }

  /** The compact range of the leaves pushed so far: what a retention marker keeps. */
  range(): CompactRange {
    return { size: this.count, hashes: this.stack.map(digestBytes) };
  }

  /** An independent copy: the checkpoint job keeps one between runs and grows another. */
  clone(): TreeBuilder {
    const copy = new TreeBuilder();
    copy.stack = [...this.stack];
    copy.count = this.count;
    return copy;
  }
}
