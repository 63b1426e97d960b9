// The baseline for the document benchmark: the same framework, multipart parser and blob
// store as Cloison, with no session, no policy and no encryption.
import Fastify from 'fastify';
import multipart from '@fastify/multipart';
import { FileBlobStore } from '../dist/src/storage/file-blob-store.js';

export async function startPlainServer(dir) {
  const blobs = new FileBlobStore(dir);
  const app = Fastify({ logger: false });
  await app.register(multipart, { limits: { fileSize: 64 * 1024 * 1024 } });
  app.post('/upload', async (request) => {
    const file = await request.file();
    const stored = await blobs.put(file.file);
    return { key: stored.key };
  });
  app.get('/blob/:key', async (request, reply) =>
    reply.type('application/pdf').send(await blobs.open(request.params.key)),
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}
