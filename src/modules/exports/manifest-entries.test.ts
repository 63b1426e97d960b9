import { describe, expect, it } from 'vitest';
import { ManifestEntries } from './manifest-entries.js';

const entry = (i: number) => ({ path: `documents/${i}`, size: i * 7, sha256: i.toString(16) });

describe('ManifestEntries', () => {
  it.each([0, 1, 1023, 1024, 1025, 3000])(
    'writes %i entries as the JSON the manifest holds, in order, after the head',
    (n) => {
      const entries = new ManifestEntries();
      for (let i = 0; i < n; i++) entries.add(entry(i));
      const head = { format: 'f', counts: { cases: 2 }, signedBy: { name: 'k' } };
      const prefix = Buffer.from('context line\n');
      const { prefixed, text } = entries.manifest(head, prefix);
      expect(prefixed.subarray(0, prefix.length).equals(prefix)).toBe(true);
      expect(prefixed.subarray(prefix.length).equals(text)).toBe(true);
      expect(JSON.parse(text.toString())).toEqual({
        ...head,
        entries: Array.from({ length: n }, (_, i) => entry(i)),
      });
      expect(entries.count).toBe(n);
    },
  );

  it('keeps only the three members of an entry', () => {
    const entries = new ManifestEntries();
    entries.add({ ...entry(1), extra: 'not in the manifest' } as ReturnType<typeof entry>);
    const { text } = entries.manifest({ a: 1 }, Buffer.alloc(0));
    expect((JSON.parse(text.toString()) as { entries: object[] }).entries).toEqual([entry(1)]);
  });
});
