import http from 'node:http';
import { CLOSING, MULTIPART_TYPE, partHead } from './multipart.js';

/** A multipart upload whose body the test feeds by hand, to cut it off or crash the server. */
export interface SlowUpload {
  /** Sends `bytes` more bytes of file content. */
  send(bytes: number): Promise<void>;
  /** Finishes the body and resolves with the status. */
  finish(): Promise<number>;
  /** Drops the connection as a closed browser tab would. */
  abort(): void;
  /** Settles (never rejects) once the request ends one way or another. */
  settled: Promise<string>;
}

/** Opens a chunked multipart POST carrying one PDF named big.pdf, and sends its first bytes. */
export function startSlowUpload(baseUrl: string, urlPath: string, cookie: string): SlowUpload {
  const url = new URL(urlPath, baseUrl);
  const req = http.request({
    host: url.hostname,
    port: url.port,
    method: 'POST',
    path: url.pathname + url.search,
    headers: { cookie, 'content-type': MULTIPART_TYPE, 'transfer-encoding': 'chunked' },
  });
  let resolveStatus: (status: number) => void = () => {};
  const status = new Promise<number>((resolve) => (resolveStatus = resolve));
  const settled = new Promise<string>((resolve) => {
    req.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code ?? ''}`));
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(`status ${res.statusCode}`));
      resolveStatus(res.statusCode ?? 0);
    });
  });
  req.write(
    partHead({ disposition: 'name="file"; filename="big.pdf"', mediaType: 'application/pdf' }),
  );
  req.write('%PDF-1.7\n');
  const write = (chunk: Buffer | string) =>
    new Promise<void>((resolve, reject) => req.write(chunk, (e) => (e ? reject(e) : resolve())));
  return {
    send: (bytes) => write(Buffer.alloc(bytes, 0x20)),
    finish: async () => {
      await write('\n%%EOF\r\n');
      req.end(CLOSING);
      return status;
    },
    abort: () => req.destroy(),
    settled,
  };
}
