// `npm run bench -- --part=documents` — figures for the README, never a pass/fail test
// (DEVELOPERS.md, rule 6).
// 1. node:crypto's raw AES-256-GCM rate and Cloison's chunked stream encryption, in memory.
// 2. Upload and download of 1 MB and 20 MB documents through the real API (policy check,
//    encryption, blob store), next to the same bytes through a plain Fastify server with the
//    same blob store and no encryption, on this machine over loopback.
import { createCipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { encryptStream, decryptStream } from '../dist/src/crypto/blob-stream.js';
import { signIn, startCloison } from './cloison-server.js';
import { startPlainServer } from './plain-server.js';
import { median } from './stats.js';

const MB = 1024 * 1024;
const rate = (bytes, ms) => (bytes / MB / (ms / 1000)).toFixed(0);

function rawGcm(totalMb) {
  const key = randomBytes(32);
  const chunk = randomBytes(64 * 1024);
  const start = performance.now();
  for (let done = 0; done < totalMb * MB; done += chunk.length) {
    const c = createCipheriv('aes-256-gcm', key, randomBytes(12));
    c.update(chunk);
    c.final();
    c.getAuthTag();
  }
  return rate(totalMb * MB, performance.now() - start);
}

async function streamRate(totalMb) {
  const key = randomBytes(32);
  const data = randomBytes(totalMb * MB);
  const ad = Buffer.from('bench');
  let sealed = [];
  let start = performance.now();
  await pipeline(
    Readable.from([data]),
    encryptStream(key, 1, ad),
    new Writable({ write: (c, _e, done) => (sealed.push(c), done()) }),
  );
  const enc = rate(data.length, performance.now() - start);
  start = performance.now();
  await pipeline(
    Readable.from(sealed),
    decryptStream(key, ad),
    new Writable({ write: (_c, _e, done) => done() }),
  );
  const dec = rate(data.length, performance.now() - start);
  sealed = [];
  return { enc, dec };
}

function pdfOf(size) {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
}

async function timeIt(n, fn) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

export async function runDocumentBench() {
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}`,
  );
  console.log(`raw AES-256-GCM (node:crypto, 64 KiB messages): ${rawGcm(256)} MB/s`);
  const s = await streamRate(64);
  console.log(`Cloison blob stream, in memory: encrypt ${s.enc} MB/s, decrypt ${s.dec} MB/s`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-'));
  const plainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-plain-'));
  const cloison = await startCloison(dataDir);
  const plain = await startPlainServer(plainDir);
  try {
    const accounts = JSON.parse(
      fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8'),
    ).accounts;
    const usager = accounts.find((a) => a.label === 'usager' && a.tenant === '44');
    const cookie = await signIn(cloison.url, usager);
    const cases = await (
      await fetch(`${cloison.url}/api/v1/cases`, { headers: { cookie } })
    ).json();
    const draft = cases.items.find((c) => c.status === 'brouillon');

    console.log('\n| document | path | upload MB/s | download MB/s |');
    console.log('|---|---|---|---|');
    for (const size of [1_000_000, 20_000_000]) {
      const bytes = pdfOf(size);
      const runs = size > 5_000_000 ? 5 : 15;
      const form = () => {
        const f = new FormData();
        f.append('file', new Blob([bytes], { type: 'application/pdf' }), 'bench.pdf');
        return f;
      };
      let docId;
      const upEnc = await timeIt(runs, async () => {
        const r = await fetch(`${cloison.url}/api/v1/cases/${draft.id}/documents?category=other`, {
          method: 'POST',
          headers: { cookie },
          body: form(),
        });
        if (r.status !== 201) throw new Error(`upload ${r.status} ${await r.text()}`);
        docId = (await r.json()).id;
      });
      const downEnc = await timeIt(runs, async () => {
        const r = await fetch(`${cloison.url}/api/v1/documents/${docId}/content`, {
          headers: { cookie },
        });
        const got = Buffer.from(await r.arrayBuffer());
        if (got.length !== size) throw new Error('short download');
      });
      let key;
      const upPlain = await timeIt(runs, async () => {
        const r = await fetch(`${plain.url}/upload`, { method: 'POST', body: form() });
        key = (await r.json()).key;
      });
      const downPlain = await timeIt(runs, async () => {
        const r = await fetch(`${plain.url}/blob/${key}`);
        const got = Buffer.from(await r.arrayBuffer());
        if (got.length !== size) throw new Error('short plain download');
      });
      const label = size === 1_000_000 ? '1 MB' : '20 MB';
      console.log(
        `| ${label} | Cloison API (policy + AES-256-GCM) | ${rate(size, upEnc)} | ${rate(size, downEnc)} |`,
      );
      console.log(
        `| ${label} | plain Fastify, same blob store | ${rate(size, upPlain)} | ${rate(size, downPlain)} |`,
      );
    }
  } finally {
    await cloison.stop();
    await plain.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(plainDir, { recursive: true, force: true });
  }
}
