import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { KEY_FILES } from './unseal.js';
import { parseClockOffset, rememberClockOffset, rememberTotpSecrets } from './second-factor.js';
import type { DemoAccount } from '../../src/demo/seed.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = path.join(ROOT, 'dist', 'src', 'main.js');

export type { DemoAccount };

export interface RunningServer {
  baseUrl: string;
  /** The metrics listener's URL (…/metrics), when CLOISON_METRICS_PORT was given. */
  metricsUrl?: string;
  dataDir: string;
  dbFile: string;
  accounts: DemoAccount[];
  process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would, and wait for exit. */
  kill(): Promise<void>;
  account(label: string, tenant?: string | null): DemoAccount;
}

export interface StartOptions {
  demo?: boolean;
  /** Reuse a data directory (restart after a crash); a fresh temporary one otherwise. */
  dataDir?: string;
  env?: Record<string, string>;
}

/**
 * Fair-share limits lifted, for suites where one account sends thousands of requests a minute on
 * purpose (the access matrix, the fuzzer): they test something else, and test/fair-share.test.ts
 * tests the limits.
 */
export const ONE_BUSY_ACCOUNT: Record<string, string> = {
  CLOISON_ACCOUNT_REQUESTS_PER_MINUTE: '1000000',
  CLOISON_ACCOUNT_CONCURRENT_REQUESTS: '1000',
};

/** A master key file outside any data directory, as production keeps it. */
export function makeKeyFile(): string {
  const file = path.join(makeDataDir('cloison-key-'), 'master.key');
  fs.writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  return file;
}

/** Runs the cloison CLI on a data directory; several may run at once. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        LOG_LEVEL: 'warn',
        ...env,
      },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** A fresh temporary data directory, removed by the caller when done. */
export function makeDataDir(prefix = 'cloison-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Starts the real server process (dist/src/main.js serve) on a free loopback port with its own
 * data directory, and resolves once it listens.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first`);
  const dataDir = options.dataDir ?? makeDataDir();
  const args = [MAIN, 'serve', ...(options.demo === false ? [] : ['--demo'])];
  // Outside demo mode a master key is required; it lives outside the data directory, as in
  // production. Demo mode makes its own inside the data directory.
  const keyEnv: Record<string, string> = {};
  if (options.demo === false && !options.env?.CLOISON_MASTER_KEY_FILE) {
    keyEnv.CLOISON_MASTER_KEY_FILE = makeKeyFile();
  }
  const keyFile = options.env?.CLOISON_MASTER_KEY_FILE ?? keyEnv.CLOISON_MASTER_KEY_FILE;
  if (keyFile) KEY_FILES.set(path.resolve(dataDir), keyFile);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      CLOISON_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      CLOISON_LOGIN_RATE_LIMIT: '10000',
      ...keyEnv,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    // Only until the line is seen: the output grows with every request the server logs, and
    // scanning all of it on each chunk made the busiest suites quadratic (minutes of CPU).
    const check = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });

  const accountsFile = path.join(dataDir, 'demo-accounts.json');
  const accounts: DemoAccount[] = fs.existsSync(accountsFile)
    ? (JSON.parse(fs.readFileSync(accountsFile, 'utf8')) as { accounts: DemoAccount[] }).accounts
    : [];
  rememberTotpSecrets(accounts);
  rememberClockOffset(baseUrl, parseClockOffset(options.env?.CLOISON_CLOCK_OFFSET));

  // serve starts the metrics listener before the public one, so its line is already out.
  const metricsUrl = /"metricsUrl":"(http:\/\/[^"]+)"/.exec(output)?.[1];

  return {
    baseUrl,
    ...(metricsUrl ? { metricsUrl } : {}),
    dataDir,
    dbFile: path.join(dataDir, 'cloison.sqlite'),
    accounts,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    account: (label, tenant = '44') => {
      const found = accounts.find((a) => a.label === label && a.tenant === tenant);
      if (!found) throw new Error(`no demo account ${label} in tenant ${tenant}`);
      return found;
    },
  };
}
