import { createHash } from 'node:crypto';

/**
 * RFC 6962 (§2.1) Merkle tree over leaf hashes: the root a checkpoint signs, and the proofs an
 * auditor checks without the log. Leaves are the stored SHA-256(0x00 || entry) values.
 *
 * Retention purges the oldest leaves; what remains of them is their compact range (the perfect
 * subtrees covering the purged prefix, at most one per bit of its size). Every node the tree
 * needs above or beside the remaining leaves can be computed from that range, so roots and
 * proofs about the remaining leaves stay exactly what they were before the purge.
 */

const sha256 = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const node = (left: Buffer, right: Buffer) => sha256(Buffer.from([1]), left, right);

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** A node the tree needs lies wholly inside the purged prefix. */
export class PurgedLeavesError extends Error {
  constructor(
    readonly start: number,
    readonly size: number,
  ) {
    super(`leaves ${start}..${start + size - 1} were purged`);
    this.name = 'PurgedLeavesError';
  }
}

/** Whatever can give MTH(D[start:start+size]): all the leaves, or a compact range and the rest. */
export interface MerkleSource {
  hash(start: number, size: number): Buffer;
}

function mth(leaves: readonly Buffer[], start: number, size: number): Buffer {
  if (size === 0) return sha256();
  if (size === 1) {
    const leaf = leaves[start];
    if (!leaf) throw new RangeError(`no leaf ${start}`);
    return leaf;
  }
  const k = split(size);
  return node(mth(leaves, start, k), mth(leaves, start + k, size - k));
}

/** Every leaf from 0 on. */
export function leafSource(leaves: readonly Buffer[]): MerkleSource {
  return { hash: (start, size) => mth(leaves, start, size) };
}

/** The perfect subtrees covering leaves [0, size), largest first: one per bit set in size. */
export interface CompactRange {
  readonly size: number;
  readonly hashes: readonly Buffer[];
}

function pieces(size: number): Array<{ start: number; size: number }> {
  const out: Array<{ start: number; size: number }> = [];
  let start = 0;
  for (let bit = 2 ** 52; bit >= 1; bit /= 2) {
    if (Math.floor(size / bit) % 2 === 1) {
      out.push({ start, size: bit });
      start += bit;
    }
  }
  return out;
}

/** The compact range of the first `size` leaves of a source. */
export function compactRange(source: MerkleSource, size: number): CompactRange {
  return { size, hashes: pieces(size).map((p) => source.hash(p.start, p.size)) };
}

/** True when the hashes have the shape of a compact range of `size` leaves. */
export function isCompactRange(range: CompactRange): boolean {
  return (
    Number.isSafeInteger(range.size) &&
    range.size >= 0 &&
    range.hashes.length === pieces(range.size).length &&
    range.hashes.every((h) => h.length === 32)
  );
}

/** The compact range of a purged prefix followed by the leaves kept after it. */
export function prunedSource(range: CompactRange, after: readonly Buffer[]): MerkleSource {
  const known = pieces(range.size).map((p, i) => ({ ...p, hash: range.hashes[i]! }));
  const hash = (start: number, size: number): Buffer => {
    if (size === 0) return sha256();
    if (start >= range.size) return mth(after, start - range.size, size);
    const exact = known.find((p) => p.start === start && p.size === size);
    if (exact) return exact.hash;
    // Strictly inside one purged subtree: only its root survived.
    const end = start + size;
    if (known.some((p) => p.start <= start && end <= p.start + p.size)) {
      throw new PurgedLeavesError(start, size);
    }
    const k = split(size);
    return node(hash(start, k), hash(start + k, size - k));
  };
  return { hash };
}

// The incremental builder lives beside this file; proofs and callers find it here as before.
export { TreeBuilder } from './merkle-frontier.js';

/** MTH(D[n]) of a source. */
export function rootOf(source: MerkleSource, size: number): Buffer {
  return source.hash(0, size);
}

/** PATH(m, D[n]): the audit path of leaf m (0-based) in the tree of the first n leaves. */
export function inclusionPath(source: MerkleSource, m: number, n: number): Buffer[] {
  const path = (mm: number, start: number, size: number): Buffer[] => {
    if (size <= 1) return [];
    const k = split(size);
    return mm < k
      ? [...path(mm, start, k), source.hash(start + k, size - k)]
      : [...path(mm - k, start + k, size - k), source.hash(start, k)];
  };
  return path(m, 0, n);
}

/** PROOF(m, D[n]): consistency of the tree of the first m leaves with the tree of n. */
export function consistencyPath(source: MerkleSource, m: number, n: number): Buffer[] {
  const sub = (mm: number, start: number, size: number, complete: boolean): Buffer[] => {
    if (mm === size) return complete ? [] : [source.hash(start, size)];
    const k = split(size);
    return mm <= k
      ? [...sub(mm, start, k, complete), source.hash(start + k, size - k)]
      : [...sub(mm - k, start + k, size - k, false), source.hash(start, k)];
  };
  if (m === 0 || m === n) return [];
  return sub(m, 0, n, true);
}

/** MTH(D[n]). */
export function treeHash(leaves: readonly Buffer[]): Buffer {
  return mth(leaves, 0, leaves.length);
}

/** PATH(m, D[n]) over all the leaves. */
export function inclusionProof(m: number, leaves: readonly Buffer[]): Buffer[] {
  return inclusionPath(leafSource(leaves), m, leaves.length);
}

/** PROOF(m, D[n]) over all the leaves. */
export function consistencyProof(m: number, leaves: readonly Buffer[]): Buffer[] {
  return consistencyPath(leafSource(leaves), m, leaves.length);
}

/** RFC 9162 §2.1.3.2: does `proof` show leaf `index` in a tree of `size` with this root? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Buffer,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: is the tree of size `second` an append-only extension of `first`? */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0 || first > second || proof.length === 0) return false;
  const path = [...proof];
  if ((first & (first - 1)) === 0) path.unshift(firstRoot);
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = node(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}
