// Fair shares (npm run bench -- --part=fairness): what one account flooding the server on 32
// connections (from another process, as an attacker's machine) costs everyone else. The figure
// is a ratio: a bystander's latency during the flood over its latency at rest, in the same run,
// with the default limits and with them lifted. Figures, never a pass/fail test.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, UNLIMITED, signIn, startCloison } from './cloison-server.js';
import { ms, percentile } from './stats.js';

const SAMPLES = 200;

async function bystanderLatencies(url, cookie) {
  const latencies = [];
  const statuses = new Map();
  for (let i = 0; i < SAMPLES; i += 1) {
    const t = performance.now();
    const res = await fetch(`${url}/api/v1/cases`, { headers: { cookie } });
    await res.arrayBuffer();
    latencies.push(performance.now() - t);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
  return { latencies, statuses };
}

function startFlood(url, cookie) {
  const child = spawn(process.execPath, [path.join(ROOT, 'test/support/flood-client.mjs')], {
    env: { FLOOD_URL: `${url}/api/v1/cases`, FLOOD_COOKIE: cookie, FLOOD_CONNECTIONS: '32' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    // With no limit there is no 429 to announce the flood: give it a second to build up.
    started: () => new Promise((resolve) => setTimeout(resolve, 1000)),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      return JSON.parse(out.split('\n').filter(Boolean).at(-1) ?? '{}');
    },
  };
}

async function measure(label, env) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-fair-'));
  const server = await startCloison(dataDir, ROOT, env);
  try {
    const accounts = JSON.parse(
      fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8'),
    ).accounts;
    const find = (l) => accounts.find((a) => a.label === l && a.tenant === '44');
    const flooder = await signIn(server.url, find('accueil'));
    const bystander = await signIn(server.url, find('instructeur'));
    const rest = await bystanderLatencies(server.url, bystander);
    const flood = startFlood(server.url, flooder);
    await flood.started();
    const during = await bystanderLatencies(server.url, bystander);
    const floodCounts = await flood.stop();
    return { label, rest, during, floodCounts };
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runFairnessBench() {
  const runs = [
    await measure('default limits (8 in flight, 600/min)', {}),
    await measure('limits lifted', UNLIMITED),
  ];
  console.log('\n## Fair shares: a bystander during one account’s 32-connection flood\n');
  console.log(
    '| server | bystander p50 / p99 at rest | during the flood | p50 ratio | p99 ratio | bystander answers | flood answers |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of runs) {
    const p = (xs, q) => percentile(xs, q);
    const restP50 = p(r.rest.latencies, 50);
    const restP99 = p(r.rest.latencies, 99);
    const p50 = p(r.during.latencies, 50);
    const p99 = p(r.during.latencies, 99);
    const answers = [...r.during.statuses].map(([s, n]) => `${n}× ${s}`).join(', ');
    const flood = Object.entries(r.floodCounts)
      .map(([s, n]) => `${n}× ${s}`)
      .join(', ');
    console.log(
      `| ${r.label} | ${ms(restP50)} / ${ms(restP99)} ms | ${ms(p50)} / ${ms(p99)} ms | ${(p50 / restP50).toFixed(1)} | ${(p99 / restP99).toFixed(1)} | ${answers} | ${flood} |`,
    );
  }
}
