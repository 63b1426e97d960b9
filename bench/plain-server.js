// The framework's own ceiling: Fastify with no session, no policy, no encryption, no database
// and no request log. Two uses:
// - startPlainServer(dir): in the caller's process, an upload route and a download route over the
//   same blob store as Cloison (bench/documents.js);
// - startPlainJsonServer(body): in a process of its own, as Cloison's server is, `GET /json`
//   answering `body` (the JSON routes' reference: same framework, a body of the same size).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import multipart from '@fastify/multipart';
import { FileBlobStore } from '../dist/src/storage/file-blob-store.js';

/** Upload and download routes over a FileBlobStore in `dir`, in this process. */
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

const SELF = fileURLToPath(import.meta.url);

/**
 * Starts `node bench/plain-server.js` answering `body` (any JSON value) at `${url}/json`, the
 * value serialised by Fastify on each request as a route's return value is. Returns url, pid and
 * stop().
 */
export async function startPlainJsonServer(body) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-plain-'));
  const file = path.join(dir, 'body.json');
  fs.writeFileSync(file, JSON.stringify(body));
  const child = spawn(process.execPath, [SELF, '--json-body', file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`plain server exited ${code}: ${out}`)));
  });
  child.removeAllListeners('exit');
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

async function serveJson(file) {
  const body = JSON.parse(fs.readFileSync(file, 'utf8'));
  const app = Fastify({ logger: false });
  app.get('/json', async () => body);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
  console.log(`listening at ${url}`);
}

if (process.argv[1] === SELF && process.argv[2] === '--json-body') {
  await serveJson(process.argv[3]);
}
