// The load generator of every comparison: wrk (one C process, epoll), the same for a figure and
// its reference, so the client's own cost is the same on both sides. Its results are read from
// one JSON line printed by a Lua `done` hook rather than from its human-readable summary, whose
// units change with the magnitude (us, ms, s).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const NGINX = '/usr/sbin/nginx';

/** wrk's path on PATH, or null. */
export function findWrk() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'wrk');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** An error whose message says it all: printed without a stack trace. */
export class SetupError extends Error {
  name = 'SetupError';
}

/** Throws one clear message naming what is missing and how to install it. */
export function requireTools() {
  const missing = [];
  if (!findWrk()) missing.push('wrk (not on PATH)');
  try {
    fs.accessSync(NGINX, fs.constants.X_OK);
  } catch {
    missing.push(`nginx (not at ${NGINX})`);
  }
  if (missing.length > 0) {
    throw new SetupError(
      `the benchmark needs ${missing.join(' and ')}: install ${missing.length > 1 ? 'them' : 'it'} (Debian: apt-get install nginx wrk)`,
    );
  }
}

// Percentiles in microseconds; %.0f rather than %d: bytes go past 2^31.
const REPORT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%.0f,"durationUs":%.0f,"bytes":%.0f,' ..
    '"errors":{"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f},' ..
    '"latencyUs":{"p50":%.0f,"p90":%.0f,"p99":%.0f,"max":%.0f}}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`;

let scriptDir = null;

function writeScript(name, text) {
  scriptDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-wrk-'));
  const file = path.join(scriptDir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Removes the generated Lua scripts (some hold demo passwords). */
export function removeScripts() {
  if (scriptDir) fs.rmSync(scriptDir, { recursive: true, force: true });
  scriptDir = null;
}

const reportScript = () => writeScript('report.lua', REPORT);

/**
 * A script that POSTs JSON bodies to `urlPath`, each thread going round the list from its own
 * offset (so parallel requests rarely carry the same body), plus the JSON report.
 */
export function postScript(name, urlPath, bodies) {
  const lua = bodies.map((b) => `  ${JSON.stringify(JSON.stringify(b))},`).join('\n');
  return writeScript(
    name,
    `local bodies = {\n${lua}\n}
local threads = 0
setup = function(thread)
  thread:set("offset", threads * 17)
  threads = threads + 1
end
local n = 0
request = function()
  n = n + 1
  local body = bodies[(n + offset) % #bodies + 1]
  return wrk.format("POST", ${JSON.stringify(urlPath)}, { ["Content-Type"] = "application/json" }, body)
end
${REPORT}`,
  );
}

function parse(stdout, stderr, args) {
  const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk ${args.join(' ')} printed no report:\n${stdout}\n${stderr}`);
  const raw = JSON.parse(line.slice('WRK_JSON '.length));
  const seconds = raw.durationUs / 1e6;
  const errors = raw.errors;
  return {
    requests: raw.requests,
    seconds,
    rate: raw.requests / seconds,
    mbPerSecond: raw.bytes / 1e6 / seconds,
    p50: raw.latencyUs.p50 / 1000,
    p90: raw.latencyUs.p90 / 1000,
    p99: raw.latencyUs.p99 / 1000,
    max: raw.latencyUs.max / 1000,
    // status: answers that were neither 2xx nor 3xx.
    errors,
    failed: errors.connect + errors.read + errors.write + errors.status + errors.timeout,
  };
}

/**
 * Runs wrk once against `url` for `seconds` on `connections` keep-alive connections. Returns
 * requests, rate (req/s), mbPerSecond, p50/p90/p99/max in ms and the error counts. The timeout
 * is long: a 20 MB answer queued behind 49 others takes seconds, and wrk drops the latency of a
 * request that times out.
 */
export function runWrk(url, { connections, seconds, headers = {}, script, threads, timeout = 60 }) {
  const args = [
    `--threads=${threads ?? Math.min(2, connections)}`,
    `--connections=${connections}`,
    `--duration=${seconds}s`,
    `--timeout=${timeout}s`,
    `--script=${script ?? reportScript()}`,
  ];
  for (const [name, value] of Object.entries(headers)) args.push(`--header=${name}: ${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(findWrk() ?? 'wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`wrk exited ${code}: ${stderr || stdout}`));
        return;
      }
      try {
        resolve(parse(stdout, stderr, args));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** A warm-up run of `warmup` seconds (its figures dropped), then the measured run. */
export async function measure(url, options, warmup) {
  if (warmup > 0) await runWrk(url, { ...options, seconds: warmup });
  return runWrk(url, options);
}
