import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leafHash } from './audit-log.js';
import { leafDigest } from './chain-pass.js';
import { compactRange, leafSource, treeHash } from './merkle.js';
import { digestBytes, TreeBuilder } from './merkle-frontier.js';

/** The frontier the verifier and the checkpoint job grow must give the RFC 6962 tree exactly. */

const leaf = (i: number) =>
  createHash('sha256')
    .update(Buffer.concat([Buffer.from([0]), Buffer.from(`event ${i}`)]))
    .digest();
const leaves = Array.from({ length: 70 }, (_, i) => leaf(i));

describe('the Merkle frontier', () => {
  it('has the root and compact range of every size it passes through', () => {
    const tree = new TreeBuilder();
    expect(tree.root()).toEqual(treeHash([]));
    for (let n = 1; n <= leaves.length; n += 1) {
      tree.push(leaves[n - 1]!);
      expect(tree.size).toBe(n);
      expect(tree.root()).toEqual(treeHash(leaves.slice(0, n)));
      expect(tree.range()).toEqual(compactRange(leafSource(leaves), n));
    }
  });

  it('holds one subtree root per bit set in its size', () => {
    const tree = new TreeBuilder();
    for (const l of leaves.slice(0, 45)) tree.push(l);
    // 45 = 32 + 8 + 4 + 1
    expect(tree.range().hashes).toHaveLength(4);
  });

  it('grows from a compact range as from the leaves it stands for', () => {
    for (const start of [1, 2, 7, 32, 33, 50]) {
      const grown = new TreeBuilder(compactRange(leafSource(leaves), start));
      for (const l of leaves.slice(start)) grown.push(l);
      expect(grown.root()).toEqual(treeHash(leaves));
    }
  });

  it('clones into an independent frontier', () => {
    const tree = new TreeBuilder();
    for (const l of leaves.slice(0, 21)) tree.push(l);
    const copy = tree.clone();
    for (const l of leaves.slice(21, 40)) copy.push(l);
    expect(tree.size).toBe(21);
    expect(tree.root()).toEqual(treeHash(leaves.slice(0, 21)));
    expect(copy.root()).toEqual(treeHash(leaves.slice(0, 40)));
  });

  it('hashes a damaged leaf of another length as its bytes, as before', () => {
    const short = Buffer.from('abcd', 'hex');
    const tree = new TreeBuilder();
    tree.push(leaves[0]!);
    tree.push(short);
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from([1]), leaves[0]!, short]))
      .digest();
    expect(tree.root()).toEqual(expected);
  });
});

describe('the leaf digest of an entry', () => {
  it('is the stored leaf hash, whatever the text holds', () => {
    for (const text of [
      '',
      '{"action":"document.read"}',
      'encadrement de l’instruction',
      'émoji 🧾 and a lone surrogate \ud800 and a NUL \0',
    ]) {
      expect(digestBytes(leafDigest(text)).toString('hex')).toBe(leafHash(text));
    }
  });
});
