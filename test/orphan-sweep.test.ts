import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openInMemoryDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { sweepOrphanBlobs } from '../src/modules/documents/orphan-sweep.js';
import { FileBlobStore } from '../src/storage/file-blob-store.js';
import { makeDataDir } from './harness/server.js';

const dir = makeDataDir('cloison-sweep-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HOUR = 3_600_000;
const age = (file: string, ms: number) => {
  const at = new Date(Date.now() - ms);
  fs.utimesSync(file, at, at);
};

describe('the orphan sweep given a cutoff (a server sweeping beside live uploads)', () => {
  it('removes only what was last written before the cutoff', async () => {
    const db = openInMemoryDatabase();
    await migrateToLatest(db);
    const store = new FileBlobStore(path.join(dir, 'blobs'));
    const oldBlob = await store.put(Readable.from([Buffer.from('old')]));
    const freshBlob = await store.put(Readable.from([Buffer.from('fresh')]));
    const blobFile = (key: string) => path.join(dir, 'blobs', key.slice(0, 2), key);
    age(blobFile(oldBlob.key), 3 * HOUR);
    const tmp = path.join(dir, 'blobs', '.tmp');
    fs.writeFileSync(path.join(tmp, 'old.part'), 'partial');
    fs.writeFileSync(path.join(tmp, 'fresh.part'), 'partial');
    age(path.join(tmp, 'old.part'), 3 * HOUR);

    const swept = await sweepOrphanBlobs(db, store, {
      writtenBefore: new Date(Date.now() - HOUR),
    });
    expect(swept).toEqual({ temporaries: 1, orphans: 1 });
    expect((await store.list()).map((b) => b.key)).toEqual([freshBlob.key]);
    expect(fs.readdirSync(tmp)).toEqual(['fresh.part']);

    // Without a cutoff (a server under the lock, before its first request): everything goes.
    expect(await sweepOrphanBlobs(db, store)).toEqual({ temporaries: 1, orphans: 1 });
    expect(await store.list()).toEqual([]);
    await db.destroy();
  });
});
