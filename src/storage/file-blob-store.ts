import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobEntry, BlobStore, StoredBlob } from './blob-store.js';
import { BlobReader } from './blob-reader.js';

const KEY_PATTERN = /^[0-9a-f]{32}$/;

/** Where a blob lives under the store's directory: <dir>/<first 2 hex>/<key>. */
export function blobFilePath(dir: string, key: string): string {
  if (!KEY_PATTERN.test(key)) throw new Error('invalid blob key');
  return path.join(dir, key.slice(0, 2), key);
}

/** Blobs as files under <dir>/<2 hex>/<key>, written to a temporary file then renamed. */
export class FileBlobStore implements BlobStore {
  private readonly tmpDir: string;
  private readonly reader = new BlobReader();

  constructor(private readonly dir: string) {
    this.tmpDir = path.join(dir, '.tmp');
    fs.mkdirSync(this.tmpDir, { recursive: true, mode: 0o700 });
  }

  private pathOf(key: string): string {
    return blobFilePath(this.dir, key);
  }

  async put(source: Readable): Promise<StoredBlob> {
    const key = randomUUID().replaceAll('-', '');
    const tmp = path.join(this.tmpDir, `${key}.part`);
    // Opened before anything flows: a failure can then never race the file's creation and
    // leave a temporary behind the clean-up below. The source may fail while the file is being
    // opened (a refused upload): that is caught too.
    let failed: unknown = null;
    const onError = (error: unknown) => (failed = error);
    source.once('error', onError);
    const handle = await fsp.open(tmp, 'wx', 0o600);
    source.off('error', onError);
    if (failed !== null || source.destroyed) {
      await handle.close();
      await fsp.rm(tmp, { force: true });
      throw failed ?? new Error('upload source closed before it was stored');
    }
    // flush: fsync before close, so the rename below never publishes unsynced bytes.
    const out = handle.createWriteStream({ flush: true });
    try {
      await pipeline(source, out);
      const final = this.pathOf(key);
      await fsp.mkdir(path.dirname(final), { recursive: true, mode: 0o700 });
      await fsp.rename(tmp, final);
      await syncDir(path.dirname(final));
      return { key };
    } catch (error) {
      // The file exists since the open above, so removing it now cannot race its creation; the
      // destroyed stream closes the handle on its own.
      await fsp.rm(tmp, { force: true });
      throw error;
    }
  }

  async open(key: string, options: { readSize?: number } = {}): Promise<Readable> {
    const handle = await fsp.open(this.pathOf(key), 'r');
    return handle.createReadStream({ highWaterMark: options.readSize ?? 64 * 1024 });
  }

  readMany(keys: readonly string[]): Promise<Buffer[]> {
    return this.reader.read(keys.map((key) => this.pathOf(key)));
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true });
  }

  async list(): Promise<BlobEntry[]> {
    const entries: BlobEntry[] = [];
    for (const shard of await fsp.readdir(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await fsp.readdir(path.join(this.dir, shard))) {
        if (!KEY_PATTERN.test(name)) continue;
        const stat = await statOrNull(path.join(this.dir, shard, name));
        if (stat) entries.push({ key: name, modifiedAt: stat.mtime });
      }
    }
    return entries;
  }

  async removeTemporaries(writtenBefore?: Date): Promise<number> {
    let removed = 0;
    for (const name of await fsp.readdir(this.tmpDir)) {
      const file = path.join(this.tmpDir, name);
      const stat = await statOrNull(file);
      if (!stat || (writtenBefore && stat.mtime >= writtenBefore)) continue;
      await fsp.rm(file, { force: true });
      removed += 1;
    }
    return removed;
  }
}

/** A file's stat, or null when it went away meanwhile (an upload finished, a blob deleted). */
async function statOrNull(file: string): Promise<fs.Stats | null> {
  try {
    return await fsp.stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** fsync a directory so a rename inside it survives a power cut. */
async function syncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
