import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { enableProcessMetrics, metricsRegistry } from './metrics.js';

/** The metrics listener once it listens. */
export interface MetricsServer {
  /** Where Prometheus scrapes it, with the port actually bound (CLOISON_METRICS_PORT=0). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** One scraper, maybe two: anything beyond is refused rather than queued. */
const MAX_CONNECTIONS = 16;
const REQUEST_TIMEOUT_MS = 10_000;

function answer(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(status === 405 ? { allow: 'GET' } : {}),
  });
  res.end(body);
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  // Any query string is ignored; every other path is unknown.
  const pathname = (req.url ?? '').split('?')[0];
  if (pathname !== '/metrics') return answer(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  if (req.method !== 'GET') {
    return answer(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  try {
    const text = await metricsRegistry.metrics();
    answer(res, 200, metricsRegistry.contentType, text);
  } catch {
    answer(res, 500, 'text/plain; charset=utf-8', 'metrics unavailable\n');
  }
}

/**
 * A plain node:http server for `GET /metrics` (Prometheus text format), apart from the app's
 * Fastify instance: the metrics are not reachable on the public port and appear in none of its
 * routes. It binds where the operator said (127.0.0.1 by default) and nothing else; it has no
 * authentication, so it must stay on an address only the scraper reaches.
 */
export function startMetricsServer(options: {
  readonly host: string;
  readonly port: number;
}): Promise<MetricsServer> {
  enableProcessMetrics();
  const server = http.createServer((req, res) => void handle(req, res));
  server.maxConnections = MAX_CONNECTIONS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      resolve({
        url: `http://${host}:${port}/metrics`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // A scraper's keep-alive connection must not hold the shutdown.
            server.closeAllConnections();
          }),
      });
    });
  });
}
