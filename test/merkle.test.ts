import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  inclusionProof,
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
