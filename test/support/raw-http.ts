import http from 'node:http';
import type { HttpResult } from '../harness/client.js';

export interface RawRequest {
  method: string;
  path: string;
  /** Sent exactly as given: no content-type or length is added. */
  headers: Record<string, string>;
  /** Written one after the other, then the request is ended. */
  chunks: Array<Buffer | string>;
}

/**
 * Sends a request over a plain socket with the headers and body bytes as given, so a test can
 * send what fetch() would refuse to (a multipart type without boundary, a body that stops short
 * of its closing boundary). Resolves with the answer in the shape of the cookie client's.
 */
export function sendRaw(baseUrl: string, raw: RawRequest): Promise<HttpResult> {
  const url = new URL(raw.path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: raw.method,
        path: url.pathname + url.search,
        headers: raw.headers,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('error', reject);
        res.on('end', () => {
          const bytes = Buffer.concat(parts);
          const text = bytes.toString('utf8');
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined)
              headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers, text, bytes, json });
        });
      },
    );
    req.on('error', reject);
    for (const chunk of raw.chunks) req.write(chunk);
    req.end();
  });
}
