// The platform's ceiling for a download: nginx serving the same bytes in clear with sendfile,
// started by the bench in a temporary prefix of its own (generated config, one process like
// Node's, no access log), on a free loopback port, and killed at the end.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { NGINX } from './wrk.js';

/** A port free on 127.0.0.1 now (the kernel's choice); nginx binds it right after. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function config(prefix, port) {
  const p = (name) => path.join(prefix, name);
  // master_process off: a single process serves, as one Node process does (and it runs as the
  // invoking user, root included, with no worker user to switch to).
  return `daemon off;
master_process off;
worker_processes 1;
pid ${p('nginx.pid')};
error_log ${p('error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  # wrk keeps its connections: nginx must not close one every 1,000 requests when Node does not.
  keepalive_requests 1000000;
  client_body_temp_path ${p('tmp/body')};
  proxy_temp_path ${p('tmp/proxy')};
  fastcgi_temp_path ${p('tmp/fastcgi')};
  uwsgi_temp_path ${p('tmp/uwsgi')};
  scgi_temp_path ${p('tmp/scgi')};
  default_type application/pdf;
  server {
    listen 127.0.0.1:${port};
    root ${p('www')};
  }
}
`;
}

async function answers(url) {
  try {
    const res = await fetch(url, { method: 'HEAD' });
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * Starts nginx serving `files` ({ name: Buffer }) at `${url}/${name}`. Returns url, pid and
 * stop(), which kills it and removes its prefix.
 */
export async function startNginx(files) {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-nginx-'));
  fs.mkdirSync(path.join(prefix, 'www'));
  fs.mkdirSync(path.join(prefix, 'tmp'));
  for (const [name, bytes] of Object.entries(files)) {
    fs.writeFileSync(path.join(prefix, 'www', name), bytes);
  }
  const port = await freePort();
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(conf, config(prefix, port));
  // -e: the error log from the very start, before the config is read (not /var/log/nginx).
  const child = spawn(NGINX, ['-p', prefix, '-c', conf, '-e', path.join(prefix, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let exited = null;
  const gone = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  const remove = () => fs.rmSync(prefix, { recursive: true, force: true });
  const url = `http://127.0.0.1:${port}`;
  const first = Object.keys(files)[0];
  const deadline = Date.now() + 10_000;
  while (!(await answers(`${url}/${first}`))) {
    if (exited || Date.now() > deadline) {
      const log = fs.readFileSync(path.join(prefix, 'error.log'), 'utf8');
      child.kill('SIGKILL');
      remove();
      throw new Error(`nginx did not start (${JSON.stringify(exited)}): ${stderr}${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    pid: child.pid,
    stop: async () => {
      if (!exited) {
        child.kill('SIGTERM');
        await gone;
      }
      remove();
    },
  };
}
