import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_CSP } from '../src/http/web-app.js';
import { ROOT, startServer, type RunningServer } from './harness/server.js';
import { stopAndRemove } from './support/storage.js';

/**
 * The web application's files as the server hands them out (src/http/web-app.ts): under the
 * strict CSP, only what Vite built into dist/web, and never an API answer replaced by the page.
 */

let server: RunningServer;
const index = fs.readFileSync(path.join(ROOT, 'dist', 'web', 'index.html'), 'utf8');

beforeAll(async () => {
  server = await startServer({ demo: false });
});
afterAll(() => stopAndRemove(server));

/** A request whose path is sent byte for byte (fetch would resolve `..` before sending). */
function rawGet(
  rawPath: string,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const url = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: 'GET', path: rawPath },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the web application served by the API server', () => {
  it('answers every page of the application with index.html under the strict CSP', async () => {
    for (const page of ['/', '/connexion', '/instruction/dossiers/anything']) {
      const res = await rawGet(page);
      expect(res.status, page).toBe(200);
      expect(res.body).toBe(index);
      expect(res.headers['content-security-policy']).toBe(WEB_CSP);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves the built assets under the same CSP, cached for good (named by content hash)', async () => {
    const asset = fs
      .readdirSync(path.join(ROOT, 'dist', 'web', 'assets'))
      .find((f) => f.endsWith('.js'))!;
    const res = await rawGet(`/assets/${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(WEB_CSP);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('never hands out a file outside dist/web, nor its hidden files', async () => {
    const secrets = [
      fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8').slice(0, 40),
      fs.readFileSync(path.join(ROOT, 'dist', 'web', '.source-hash'), 'utf8'),
    ];
    for (const attempt of [
      '/../package.json',
      '/assets/../../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/%2e%2e/%2e%2e/package.json',
      '/..%2f..%2fpackage.json',
      '/assets/..%5c..%5cpackage.json',
      '/.source-hash',
      '/assets/.source-hash',
      `/${'..%2f'.repeat(8)}etc/passwd`,
    ]) {
      const res = await rawGet(attempt);
      expect([200, 400, 404], attempt).toContain(res.status);
      if (res.status === 200) expect(res.body, attempt).toBe(index);
      for (const secret of secrets) expect(res.body, attempt).not.toContain(secret);
    }
  });

  it('answers an unknown API path like every other unknown route, never with the page', async () => {
    const get = await rawGet('/api/v1/no-such-thing');
    const post = await fetch(`${server.baseUrl}/api/v1/no-such-thing`, { method: 'POST' });
    expect(get.status).toBe(404);
    expect(get.headers['content-type']).toContain('application/problem+json');
    expect(get.body).toBe(await post.text());
  });
});
