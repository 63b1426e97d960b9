import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  compactRange,
  consistencyPath,
  consistencyProof,
  inclusionPath,
  inclusionProof,
  isCompactRange,
  leafSource,
  prunedSource,
  PurgedLeavesError,
  rootOf,
  TreeBuilder,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from '../src/modules/audit/merkle.js';

/** RFC 6962 / RFC 9162: every proof the log hands out verifies, and a wrong one never does. */

const leaf = (i: number) =>
  createHash('sha256')
    .update(Buffer.concat([Buffer.from([0]), Buffer.from(`event ${i}`)]))
    .digest();
const leaves = Array.from({ length: 33 }, (_, i) => leaf(i));

describe('the audit Merkle tree', () => {
  it('matches the RFC 6962 shape on small trees', () => {
    const node = (a: Buffer, b: Buffer) =>
      createHash('sha256')
        .update(Buffer.concat([Buffer.from([1]), a, b]))
        .digest();
    expect(treeHash([])).toEqual(createHash('sha256').digest());
    expect(treeHash(leaves.slice(0, 1))).toEqual(leaves[0]);
    expect(treeHash(leaves.slice(0, 3))).toEqual(node(node(leaves[0]!, leaves[1]!), leaves[2]!));
  });

  it('proves inclusion of every leaf in every tree size, and refuses another leaf', () => {
    for (let n = 1; n <= leaves.length; n += 1) {
      const tree = leaves.slice(0, n);
      const root = treeHash(tree);
      for (let m = 0; m < n; m += 1) {
        const proof = inclusionProof(m, tree);
        expect(verifyInclusion(m, n, leaves[m]!, proof, root)).toBe(true);
        if (n > 1) expect(verifyInclusion(m, n, leaves[(m + 1) % n]!, proof, root)).toBe(false);
      }
    }
  });

  it('proves every smaller tree consistent with every larger one, and refuses a rewritten past', () => {
    for (let n = 2; n <= leaves.length; n += 1) {
      const root = treeHash(leaves.slice(0, n));
      for (let m = 1; m < n; m += 1) {
        const proof = consistencyProof(m, leaves.slice(0, n));
        expect(verifyConsistency(m, n, treeHash(leaves.slice(0, m)), root, proof)).toBe(true);
        const rewritten = treeHash([leaf(1000), ...leaves.slice(1, m)]);
        expect(verifyConsistency(m, n, rewritten, root, proof)).toBe(false);
      }
    }
  });
});

describe('the audit Merkle tree after retention purged its oldest leaves', () => {
  const full = leafSource(leaves);
  /** Tree sizes past k worth checking: right after it, and around the powers of two. */
  const sizesAfter = (k: number) =>
    [...new Set([k + 1, k + 2, k + 3, 16, 17, 31, 32, 33])].filter(
      (n) => n > k && n <= leaves.length,
    );

  it('keeps at most one subtree per bit of the purged size, and the same roots', () => {
    for (let k = 0; k <= leaves.length; k += 1) {
      const range = compactRange(full, k);
      expect(isCompactRange(range)).toBe(true);
      expect(range.hashes.length).toBe(k.toString(2).replace(/0/g, '').length);
      const pruned = prunedSource(range, leaves.slice(k));
      for (let n = k; n <= leaves.length; n += 1) {
        expect(rootOf(pruned, n)).toEqual(treeHash(leaves.slice(0, n)));
      }
      // The same roots built leaf by leaf from the range, as verification does.
      const builder = new TreeBuilder(range);
      for (let n = k; n < leaves.length; n += 1) {
        builder.push(leaves[n]!);
        expect(builder.root()).toEqual(treeHash(leaves.slice(0, n + 1)));
      }
    }
  });

  it('proves every remaining leaf with paths the RFC 9162 verifier accepts, and no purged one', () => {
    for (let k = 1; k < leaves.length; k += 1) {
      const pruned = prunedSource(compactRange(full, k), leaves.slice(k));
      for (const n of sizesAfter(k)) {
        const root = treeHash(leaves.slice(0, n));
        for (let m = k; m < n; m += 1) {
          const proof = inclusionPath(pruned, m, n);
          expect(proof).toEqual(inclusionProof(m, leaves.slice(0, n)));
          expect(verifyInclusion(m, n, leaves[m]!, proof, root)).toBe(true);
        }
      }
      // Leaf 0's sibling (leaf 1) lies inside the first purged subtree: no path can be made.
      if (k >= 2) {
        expect(() => inclusionPath(pruned, 0, leaves.length)).toThrow(PurgedLeavesError);
      }
    }
  });

  it('proves consistency from any size at or past the purge, as the unpurged tree would', () => {
    for (let k = 1; k < leaves.length; k += 1) {
      const pruned = prunedSource(compactRange(full, k), leaves.slice(k));
      for (const n of sizesAfter(k)) {
        const root = treeHash(leaves.slice(0, n));
        for (let m = k; m < n; m += 1) {
          const proof = consistencyPath(pruned, m, n);
          expect(proof).toEqual(consistencyProof(m, leaves.slice(0, n)));
          expect(verifyConsistency(m, n, rootOf(pruned, m), root, proof)).toBe(true);
        }
      }
    }
  });

  it('survives successive purges, each range computed from the previous one', () => {
    for (const [k1, k2] of [
      [5, 6],
      [5, 17],
      [8, 31],
      [13, 32],
    ] as const) {
      const first = prunedSource(compactRange(full, k1), leaves.slice(k1));
      const second = compactRange(first, k2);
      expect(second).toEqual(compactRange(full, k2));
      const pruned = prunedSource(second, leaves.slice(k2));
      expect(rootOf(pruned, leaves.length)).toEqual(treeHash(leaves));
    }
  });

  it('gives a different root when a kept leaf or a purged subtree is changed', () => {
    const range = compactRange(full, 13);
    const root = treeHash(leaves);
    const changedLeaf = [...leaves.slice(13)];
    changedLeaf[4] = leaf(1000);
    expect(rootOf(prunedSource(range, changedLeaf), leaves.length)).not.toEqual(root);
    const changedRange = { size: 13, hashes: [leaf(1000), ...range.hashes.slice(1)] };
    expect(rootOf(prunedSource(changedRange, leaves.slice(13)), leaves.length)).not.toEqual(root);
  });
});
