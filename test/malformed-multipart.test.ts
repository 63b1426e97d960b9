import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { startServer, type RunningServer } from './harness/server.js';
import { readWorld } from './harness/world.js';
import { samplePdf } from '../src/modules/documents/sample-files.js';
import {
  BOUNDARY,
  CLOSING,
  MULTIPART_TYPE,
  filePart,
  multipartBody,
  partHead,
} from './support/multipart.js';
import { expectProblem, problemSlug } from './support/problem.js';
import { sendRaw } from './support/raw-http.js';
import { snapshotStorage, stopAndRemove } from './support/storage.js';

/**
 * Upload bodies the multipart parser cannot make sense of: each is the client's mistake, so a
 * 400 problem, and none may leave a row, a blob or a temporary file behind.
 */

let server: RunningServer;
let usager: Client;
let uploadPath: string;

beforeAll(async () => {
  server = await startServer();
  usager = await new Client(server.baseUrl).login(server.account('usager'));
  const world = readWorld(server.dbFile);
  const person = world.persons.find((p) => p.account_id === server.account('usager').id)!;
  const draft = world.cases.find((c) => c.person_id === person.id && c.status === 'brouillon')!;
  uploadPath = `/api/v1/cases/${draft.id}/documents?category=other`;
});
afterAll(() => stopAndRemove(server));

const pdf = samplePdf('malformed');
const head = partHead({
  disposition: 'name="file"; filename="piece.pdf"',
  mediaType: 'application/pdf',
});

/** A raw upload as a client that builds its own bytes would send it. */
function upload(contentType: string, chunks: Array<Buffer | string>, chunked = false) {
  const length = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
  return sendRaw(server.baseUrl, {
    method: 'POST',
    path: uploadPath,
    headers: {
      cookie: usager.sessionCookie!,
      'content-type': contentType,
      ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(length) }),
    },
    chunks,
  });
}

const cases: Array<[string, () => ReturnType<typeof upload>]> = [
  [
    'a multipart type without boundary',
    () => upload('multipart/form-data', [multipartBody([filePart('a.pdf', pdf)])]),
  ],
  [
    'an empty boundary',
    () => upload('multipart/form-data; boundary=', [multipartBody([filePart('a.pdf', pdf)])]),
  ],
  [
    'an empty quoted boundary',
    () => upload('multipart/form-data; boundary=""', [multipartBody([filePart('a.pdf', pdf)])]),
  ],
  [
    'a boundary longer than the parser takes',
    () =>
      upload(`multipart/form-data; boundary=${'b'.repeat(300)}`, [
        multipartBody([filePart('a.pdf', pdf)]),
      ]),
  ],
  [
    'a part without Content-Disposition',
    () =>
      upload(MULTIPART_TYPE, [
        `--${BOUNDARY}\r\nContent-Type: application/pdf\r\n\r\n`,
        pdf,
        '\r\n',
        CLOSING,
      ]),
  ],
  [
    'binary junk instead of part headers',
    () =>
      upload(MULTIPART_TYPE, [
        `--${BOUNDARY}\r\n`,
        Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x80, 0x0a, 0x7f]),
        pdf,
        '\r\n',
        CLOSING,
      ]),
  ],
  [
    'a part without Content-Disposition, cut before the closing boundary',
    () =>
      upload(MULTIPART_TYPE, [`--${BOUNDARY}\r\nContent-Type: application/pdf\r\n\r\n`, pdf], true),
  ],
  [
    'binary junk instead of part headers, cut before the closing boundary',
    () =>
      upload(
        MULTIPART_TYPE,
        [`--${BOUNDARY}\r\n`, Buffer.from([0x00, 0xff, 0xfe, 0x80]), pdf],
        true,
      ),
  ],
  [
    'an empty boundary and a body of dashes',
    () => upload('multipart/form-data; boundary=', ['--\r\n', pdf], true),
  ],
  [
    'part headers that never end',
    () =>
      upload(MULTIPART_TYPE, [
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n`,
        'X-Junk: y\r\n'.repeat(50),
      ]),
  ],
  [
    'a body cut inside the file, length as sent',
    () => upload(MULTIPART_TYPE, [head, pdf.subarray(0, 40)]),
  ],
  [
    'a body cut inside the closing boundary',
    () => upload(MULTIPART_TYPE, [head, pdf, `\r\n--${BOUNDARY.slice(0, 10)}`]),
  ],
  [
    'a chunked body ended before the closing boundary',
    () => upload(MULTIPART_TYPE, [head, pdf], true),
  ],
  [
    'a chunked body ended inside the part headers',
    () => upload(MULTIPART_TYPE, [`--${BOUNDARY}\r\nContent-Disposition: form-da`], true),
  ],
];

describe('a malformed multipart upload', () => {
  it.each(cases)('answers %s with a 400 problem and keeps nothing', async (label, send) => {
    const before = snapshotStorage(server.dataDir, server.dbFile);
    const res = await send();
    expectProblem(res, 400, label);
    expect(problemSlug(res)).toBe('validation');
    // A French sentence for the person, never the parser's own words.
    const detail = (res.json as { detail?: unknown }).detail;
    expect(typeof detail === 'string' && /[a-zé]/.test(detail), String(detail)).toBe(true);
    expect(String(detail)).not.toMatch(/boundary|multipart|terminated|unexpected/i);
    const after = snapshotStorage(server.dataDir, server.dbFile);
    expect(after.documentIds).toEqual(before.documentIds);
    expect(after.blobFiles).toEqual(before.blobFiles);
    expect(after.temporaries).toEqual([]);
  });

  it('leaves the server taking the next, well-formed upload', async () => {
    const res = await upload(MULTIPART_TYPE, [multipartBody([filePart('apres.pdf', pdf)])]);
    expect(res.status, res.text).toBe(201);
  });
});
