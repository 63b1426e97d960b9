// `npm run build && node bench/backup.js [--documents=10000]` — figures for the README, never a
// pass/fail test. A demo server (master key file outside its data directory) gets N small PDF
// documents uploaded through its HTTP API (the real path: policy, encryption, blob store), then
// `cloison backup` runs beside it (the server still serving), `backup verify` and `restore` into
// a new directory are timed, with the sizes of the data directory and of the backup.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, signIn, startCloison, UNLIMITED } from './cloison-server.js';

const option = (name, fallback) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
};
const documents = Number(option('documents', '10000'));
const concurrency = 4;

const MAIN = path.join(ROOT, 'dist/src/main.js');

function cli(args, env) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - start, out: out.trim() })
        : reject(new Error(`cloison ${args[0]} exited ${code}: ${out}`)),
    );
  });
}

function sizeOf(dir) {
  let bytes = 0;
  for (const name of fs.readdirSync(dir, { recursive: true })) {
    const stat = fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
    if (stat?.isFile()) bytes += stat.size;
  }
  return bytes;
}

/** A small valid PDF (the upload checks magic bytes), a little different each time. */
const pdf = (i) =>
  Buffer.from(
    `%PDF-1.4\n% piece ${i} ${randomBytes(8).toString('hex')}\n${'x'.repeat(400)}\n%%EOF\n`,
  );

async function upload(url, cookie, caseId, count) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const form = new FormData();
      form.append('file', new Blob([pdf(i)], { type: 'application/pdf' }), `piece-${i}.pdf`);
      const res = await fetch(`${url}/api/v1/cases/${caseId}/documents?category=other`, {
        method: 'POST',
        headers: { cookie, origin: url },
        body: form,
      });
      if (res.status !== 201) throw new Error(`upload ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-backup-'));
const dataDir = path.join(work, 'data');
const keyFile = path.join(work, 'master.key');
fs.writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
const identity = path.join(work, 'identity.txt');
execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
const recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity]).toString().trim();
const env = { CLOISON_DATA_DIR: dataDir, CLOISON_MASTER_KEY_FILE: keyFile };

const server = await startCloison(dataDir, ROOT, {
  ...UNLIMITED,
  CLOISON_MASTER_KEY_FILE: keyFile,
});
try {
  const rows = [];
  const measure = async (label) => {
    const backup = path.join(work, `${label}.age`);
    const b = await cli(['backup', '--out', backup, '--recipient', recipient], env);
    const v = await cli(['backup', 'verify', backup, '--identity', identity], {});
    const target = path.join(work, `restored-${label}`);
    const r = await cli(['restore', '--from', backup, '--identity', identity], {
      ...env,
      CLOISON_DATA_DIR: target,
    });
    rows.push({
      label,
      dataDir: sizeOf(dataDir),
      backup: fs.statSync(backup).size,
      backupMs: b.ms,
      verifyMs: v.ms,
      restoreMs: r.ms,
      // What each command reports of its own work, without Node's start-up.
      own: [b, v, r].map((x) => / in (\d+\.\d) s/.exec(x.out)?.[1] ?? '?'),
      line: b.out,
    });
    fs.rmSync(target, { recursive: true, force: true });
    fs.rmSync(backup, { force: true });
  };
  await measure('demo');
  if (documents > 0) {
    const accounts = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8'));
    const usager = accounts.accounts.find((a) => a.label === 'usager' && a.tenant === '44');
    const cookie = await signIn(server.url, usager);
    const cases = await (await fetch(`${server.url}/api/v1/cases`, { headers: { cookie } })).json();
    const draft = cases.items.find((c) => c.status === 'brouillon');
    const start = performance.now();
    await upload(server.url, cookie, draft.id, documents);
    const s = ((performance.now() - start) / 1000).toFixed(0);
    console.log(`uploaded ${documents} documents through the API in ${s} s`);
    await measure(`demo+${documents}`);
  }
  const mb = (n) => (n / 1024 / 1024).toFixed(1);
  const sec = (ms) => (ms / 1000).toFixed(1);
  console.log('process wall time (own work as the command reports it)');
  console.log('| data | data dir | backup file | backup | verify | restore |');
  console.log('| ---- | -------- | ----------- | ------ | ------ | ------- |');
  for (const r of rows) {
    const [b, v, x] = r.own;
    console.log(
      `| ${r.label} | ${mb(r.dataDir)} MB | ${mb(r.backup)} MB | ${sec(r.backupMs)} s (${b} s) | ` +
        `${sec(r.verifyMs)} s (${v} s) | ${sec(r.restoreMs)} s (${x} s) |`,
    );
  }
  for (const r of rows) console.log(r.line);
} finally {
  await server.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
