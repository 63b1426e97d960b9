import type { ExportEntry } from './export-archive.js';

/** Entries turned to text together: a block of JSON lines, one Buffer. */
const BLOCK = 1024;

/**
 * The manifest's entries as the run adds them, kept as the very text the manifest will hold
 * (one JSON line per entry, in blocks of bytes outside the heap) rather than as objects: a
 * third of the memory for an export of many documents, and no stringify of the whole at the
 * end, which used to cost three copies of it at once.
 */
export class ManifestEntries {
  readonly #blocks: Buffer[] = [];
  #pending: string[] = [];
  #count = 0;

  add(entry: ExportEntry): void {
    this.#pending.push(
      JSON.stringify({ path: entry.path, size: entry.size, sha256: entry.sha256 }),
    );
    this.#count += 1;
    if (this.#pending.length >= BLOCK) this.#flush();
  }

  get count(): number {
    return this.#count;
  }

  /**
   * The manifest: `head` (an object, without entries) with `"entries": [...]` as its last
   * member, in one Buffer that starts with `prefix` (what the signature covers before it); the
   * blocks are released.
   */
  manifest(head: object, prefix: Buffer): { prefixed: Buffer; text: Buffer } {
    this.#flush();
    const opening = JSON.stringify(head, null, 1);
    if (!opening.endsWith('\n}')) throw new Error('the manifest head is not an object');
    const parts = [
      prefix,
      Buffer.from(`${opening.slice(0, -2)},\n "entries": [\n`),
      ...this.#blocks.splice(0),
      Buffer.from('\n ]\n}\n'),
    ];
    const prefixed = Buffer.concat(parts);
    return { prefixed, text: prefixed.subarray(prefix.length) };
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const first = this.#blocks.length === 0;
    this.#blocks.push(Buffer.from(`${first ? '' : ',\n'}${this.#pending.join(',\n')}`));
    this.#pending = [];
  }
}
