import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { makeDataDir, runCli, startServer, type RunningServer } from './harness/server.js';
import { stopAndRemove } from './support/storage.js';

/**
 * What operators run Cloison with: the readiness check a load balancer probes, and the metrics
 * Prometheus scrapes from a listener of their own. Real server processes over real HTTP.
 */

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The value of one sample (`name{labels} value`), or undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(server: RunningServer): Promise<string> {
  const res = await fetch(server.metricsUrl!);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** Scrapes until `ready` holds (jobs run just after the server listens), up to 20 s. */
async function scrapeUntil(server: RunningServer, ready: (text: string) => boolean) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = await scrape(server);
    if (ready(text) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('readiness and metrics of a demo server', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ env: { CLOISON_METRICS_PORT: '0' } });
  });
  afterAll(() => stopAndRemove(server));

  it('is ready: the database, the key manager and the disk each say ok', async () => {
    const res = await new Client(server.baseUrl).get('/api/ready');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json).toEqual({
      status: 'ready',
      checks: { database: 'ok', keys: 'ok', disk: 'ok' },
    });
    // Liveness is unchanged beside it.
    expect((await new Client(server.baseUrl).get('/api/health')).json).toEqual({ status: 'ok' });
  });

  it('serves no metrics on the public port, and lists none among its routes', async () => {
    const client = new Client(server.baseUrl);
    for (const url of ['/metrics', '/metrics/', '/api/metrics']) {
      const res = await client.get(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-type'), url).toContain('application/problem+json');
      expect((res.json as { type: string }).type).toBe('urn:cloison:problem:not-found');
    }
    const doc = (await client.get('/api/openapi.json')).json as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.includes('metrics'))).toEqual([]);
    const routes = await runCli(['routes', '--json'], {});
    expect(routes.code).toBe(0);
    expect(routes.output).not.toContain('metrics');
  });

  it('has a metrics listener on 127.0.0.1 that answers /metrics only', async () => {
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const port = new URL(server.metricsUrl!).port;
    expect(port).not.toBe(new URL(server.baseUrl).port);
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/api/health`)).status).toBe(404);
    expect((await fetch(`${base}/metrics/x`)).status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });

  it('counts requests by route pattern, never by the URL, and no id reaches a label', async () => {
    const instructeur = await new Client(server.baseUrl).login(server.account('instructeur'));
    const list = await instructeur.get('/api/v1/cases');
    expect(list.status).toBe(200);
    const caseId = (list.json as { items: Array<{ id: string }> }).items[0]!.id;
    expect((await instructeur.get(`/api/v1/cases/${caseId}`)).status).toBe(200);
    // A case out of reach, and URLs no route matches, with ids in them.
    const stranger = randomUUID();
    expect((await instructeur.get(`/api/v1/cases/${stranger}`)).status).toBe(404);
    expect((await instructeur.get(`/api/v1/nothing/${stranger}`)).status).toBe(404);
    expect((await instructeur.get(`/no-such-file-${stranger}.js`)).status).toBe(404);

    const text = await scrape(server);
    expect(
      sample(text, 'cloison_http_requests_total{method="GET",route="/api/v1/cases",status="200"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(
        text,
        'cloison_http_requests_total{method="GET",route="/api/v1/cases/:caseId",status="200"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(
        text,
        'cloison_http_requests_total{method="GET",route="/api/v1/cases/:caseId",status="404"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(
        text,
        'cloison_http_requests_total{method="POST",route="/api/v1/auth/login",status="200"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'cloison_http_requests_total{method="GET",route="unmatched",status="404"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(
        text,
        'cloison_http_request_duration_seconds_count{method="GET",route="/api/v1/cases/:caseId"}',
      ),
    ).toBeGreaterThanOrEqual(2);

    // Nothing personal or identifying anywhere in the output: no id, address or e-mail.
    expect(text).not.toMatch(UUID);
    expect(text).not.toContain(caseId);
    expect(text).not.toContain(stranger);
    expect(text).not.toContain('@');
    expect(text).not.toContain(server.dataDir);
    // Every route label is a declared pattern or "unmatched".
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]!));
    for (const route of routes) expect(route).toMatch(/^(unmatched|\/[A-Za-z0-9/:_.*-]*)$/);
  });

  it('times audit appends, counts the scheduled jobs and shows the delivery queues', async () => {
    const text = await scrapeUntil(
      server,
      (t) =>
        (sample(t, 'cloison_job_runs_total{job="audit-verification"}') ?? 0) >= 1 &&
        (sample(t, 'cloison_job_runs_total{job="orphan-sweep"}') ?? 0) >= 1,
    );
    expect(sample(text, 'cloison_audit_append_seconds_count')).toBeGreaterThan(0);
    expect(text).toContain('cloison_audit_append_seconds_bucket{le="0.005"}');
    for (const job of ['dormancy', 'role-lapse', 'orphan-sweep', 'audit-verification']) {
      expect(sample(text, `cloison_job_runs_total{job="${job}"}`), job).toBeGreaterThanOrEqual(1);
      expect(sample(text, `cloison_job_failures_total{job="${job}"}`), job).toBe(0);
    }
    expect(sample(text, 'cloison_mail_queue_depth')).toBe(0);
    expect(sample(text, 'cloison_alert_delivery_queue_depth')).toBeGreaterThanOrEqual(0);
    // The process's own metrics come along.
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('closes the metrics listener with the server', async () => {
    const probe = await startServer({ demo: false, env: { CLOISON_METRICS_PORT: '0' } });
    const url = probe.metricsUrl!;
    expect((await fetch(url)).status).toBe(200);
    await stopAndRemove(probe);
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe('readiness when the disk is short', () => {
  let server: RunningServer;

  beforeAll(async () => {
    // No demo: no tenant yet, so the key check asks the keyring about its probe name.
    server = await startServer({ demo: false, env: { CLOISON_MIN_FREE_DISK_MB: '999999999' } });
  });
  afterAll(() => stopAndRemove(server));

  it('answers 503 problem+json naming the disk check, and nothing an attacker could use', async () => {
    const res = await new Client(server.baseUrl).get('/api/ready');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = res.json as { type: string; status: number; detail: string; checks: unknown };
    expect(body.type).toBe('urn:cloison:problem:not-ready');
    expect(body.status).toBe(503);
    expect(body.checks).toEqual({ database: 'ok', keys: 'ok', disk: 'failed' });
    expect(body.detail).toContain('disk');
    // No path, no size, no key: the only number in it is the status.
    expect(res.text).not.toContain(server.dataDir);
    expect(res.text.replace('"status":503', '')).not.toMatch(/\d/);
    // Liveness is another question: the process is alive.
    expect((await new Client(server.baseUrl).get('/api/health')).status).toBe(200);
  });

  it('has no metrics listener unless CLOISON_METRICS_PORT is set', () => {
    expect(server.metricsUrl).toBeUndefined();
    expect(server.output()).not.toContain('metrics listening');
  });
});

describe('configuration of the metrics listener', () => {
  const refused = async (env: Record<string, string>, reason: RegExp) => {
    const dataDir = makeDataDir();
    try {
      const out = await runCli(['serve'], { CLOISON_DATA_DIR: dataDir, ...env });
      expect(out.code).toBe(78);
      expect(out.output).toMatch(reason);
      expect(out.output).not.toContain('listening');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };

  it('refuses a bad port, a port shared with the public one and a bad host, all at once', async () => {
    await refused(
      { CLOISON_METRICS_PORT: '70000' },
      /CLOISON_METRICS_PORT must be an integer between 0 and 65535, got "70000"/,
    );
    await refused({ CLOISON_METRICS_PORT: 'ninety' }, /CLOISON_METRICS_PORT must be an integer/);
    await refused(
      { PORT: '9464', CLOISON_METRICS_PORT: '9464' },
      /CLOISON_METRICS_PORT must differ from PORT/,
    );
    await refused(
      {
        CLOISON_METRICS_PORT: '9464',
        CLOISON_METRICS_HOST: 'http://0.0.0.0/',
        CLOISON_MIN_FREE_DISK_MB: '-1',
      },
      /CLOISON_METRICS_HOST must be an IP address or a host name[\s\S]*CLOISON_MIN_FREE_DISK_MB/,
    );
  });
});
