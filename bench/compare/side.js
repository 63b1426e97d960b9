// One side of a comparison: a Cloison server (`serve --demo`, from this checkout or a baseline's
// dist/) on a fresh data directory, the demo's usager and instructeur of MDPH 44 signed in, and
// the bench's documents uploaded by the usager to their draft case through the API, so that
// each download below is the real path: session, policy, audit record, decryption.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UNLIMITED, signIn, startCloison } from '../cloison-server.js';

// One account's throughput is measured, not its fair share; the sign-in burst comes from one
// address; a full run outlasts the 30-minute idle limit of a session.
export const BENCH_ENV = {
  ...UNLIMITED,
  CLOISON_LOGIN_RATE_LIMIT: '10000',
  CLOISON_SESSION_IDLE_MINUTES: '1440',
};

/** A file the upload accepts as a PDF (its magic bytes), `size` bytes long, random after them. */
export function pdfOf(size) {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function getJson(url, cookie) {
  const res = await fetch(url, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function upload(url, cookie, caseId, bytes, name) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), name);
  const res = await fetch(`${url}/api/v1/cases/${caseId}/documents?category=other`, {
    method: 'POST',
    headers: { cookie, origin: url },
    body: form,
  });
  if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
  const { id } = await res.json();
  // The figure is only worth something if the answer is the document: checked once, whole.
  const back = await fetch(`${url}/api/v1/documents/${id}/content`, { headers: { cookie } });
  const got = Buffer.from(await back.arrayBuffer());
  if (back.status !== 200 || sha256(got) !== sha256(bytes)) {
    throw new Error(`download of ${name}: ${back.status}, ${got.length} bytes, not the upload`);
  }
  return id;
}

/**
 * The instructeur's case for the JSON routes: the first by reference among those with documents,
 * so both sides of a baseline comparison read the same case whatever order the seed gave them.
 */
async function pickCase(url, cookie) {
  const page = await getJson(`${url}/api/v1/cases`, cookie);
  const byReference = [...page.items].sort((a, b) => a.reference.localeCompare(b.reference));
  for (const c of byReference) {
    const docs = await getJson(`${url}/api/v1/cases/${c.id}/documents`, cookie);
    if (docs.items.length > 0) {
      return { caseId: c.id, visible: page.items.length, caseDocuments: docs.items.length, page };
    }
  }
  throw new Error('the instructeur of MDPH 44 sees no case with a document');
}

/**
 * Starts a side named `name` from `root`'s dist/, with `files` ({ key: Buffer }) uploaded.
 * Returns its url, server pid, cookies, document ids by key, the instructeur's case, the demo
 * accounts, and stop().
 */
export async function startSide(name, root, files) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-bench-side-'));
  const server = await startCloison(dataDir, root, BENCH_ENV);
  const stop = async () => {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const accounts = JSON.parse(
      fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8'),
    ).accounts;
    const find = (label) => {
      const account = accounts.find((a) => a.label === label && a.tenant === '44');
      if (!account) throw new Error(`no demo account ${label} in MDPH 44`);
      return account;
    };
    const usager = await signIn(server.url, find('usager'));
    const instructeur = await signIn(server.url, find('instructeur'));
    const own = await getJson(`${server.url}/api/v1/cases`, usager);
    const draft = own.items.find((c) => c.status === 'brouillon');
    if (!draft) throw new Error('the demo usager of MDPH 44 has no draft case to upload to');
    const documents = {};
    for (const [key, bytes] of Object.entries(files)) {
      documents[key] = await upload(server.url, usager, draft.id, bytes, `bench-${key}.pdf`);
    }
    const picked = await pickCase(server.url, instructeur);
    return {
      name,
      root,
      url: server.url,
      pid: server.child.pid,
      dataDir,
      database: path.join(dataDir, 'cloison.sqlite'),
      cookies: { usager, instructeur },
      documents,
      ...picked,
      accounts,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
