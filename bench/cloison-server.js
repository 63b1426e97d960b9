// The real server for the HTTP benchmarks: `cloison serve --demo` on a data directory of its own,
// from this checkout's dist/ or from another built checkout (the baseline of bench/audit-routes.js).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Secret, TOTP } from 'otpauth';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// One account's throughput is what most parts measure: its fair-share limits are lifted there
// (bench/fairness.js measures them).
export const UNLIMITED = {
  CLOISON_ACCOUNT_CONCURRENT_REQUESTS: '10000',
  CLOISON_ACCOUNT_REQUESTS_PER_MINUTE: '1000000',
};

export function startCloison(dataDir, root = ROOT, env = UNLIMITED) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'dist/src/main.js'), 'serve', '--demo'],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          PORT: '0',
          CLOISON_DATA_DIR: dataDir,
          LOG_LEVEL: 'info',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let listening = false;
    const onData = (d) => {
      // Only the start-up lines are kept: the request log of a long run would fill memory.
      if (listening) return;
      out += d;
      const m = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        listening = true;
        resolve({
          url: m[1],
          child,
          stop: () =>
            new Promise((done) => {
              child.removeAllListeners('exit');
              child.once('exit', done);
              child.kill('SIGTERM');
            }),
        });
      }
    };
    // Logs at info, as in production: request logging is part of the measured cost.
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

function cookieOf(response) {
  const header = response.headers.get('set-cookie');
  return header ? header.split(';')[0] : null;
}

/**
 * Signs a demo account in as its owner would: password, then for staff the TOTP code of the
 * secret written in demo-accounts.json. Returns the session cookie.
 */
export async function signIn(url, account) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  if (login.status !== 200) throw new Error(`login ${login.status} ${await login.text()}`);
  let cookie = cookieOf(login);
  const { next } = await login.json();
  if (next === 'second-factor') {
    const code = new TOTP({ secret: Secret.fromBase32(account.totpSecret) }).generate();
    const res = await fetch(`${url}/api/v1/auth/second-factor/totp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ code }),
    });
    if (res.status !== 204) throw new Error(`second factor ${res.status} ${await res.text()}`);
    // The session id changes once the second factor is proven.
    cookie = cookieOf(res) ?? cookie;
  } else if (next !== 'done') {
    throw new Error(`unexpected next step after login: ${next}`);
  }
  return cookie;
}
