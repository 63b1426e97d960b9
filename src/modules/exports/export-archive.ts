import { createHash, randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { AppDeps } from '../../deps.js';
import type { ExportInstructionRow } from '../../db/schema.js';
import type { ExportDataFieldName } from '../../policy/export-fields.js';
import { signingKey } from '../audit/log-keys.js';
import { findTenantCode } from '../tenants/tenant.repository.js';
import { signPrefixedStatement, statementPrefix } from './export-signature.js';
import { ManifestEntries } from './manifest-entries.js';
import { HashingStream } from '../backup/archive.js';
import { syncDir } from '../backup/snapshot.js';
import { yieldToEventLoop } from '../../storage/background-thread.js';
import { AgeFileWriter } from './age-file-writer.js';
import { documentsToWrite, type AddEntry } from './export-documents.js';
import type { ScopeFilter } from './export-instruction.repository.js';
import {
  documentsOfCases,
  entriesOfCases,
  nextCasesInScope,
  personsByIds,
  rightsOfCases,
  transitionsOfCases,
} from './export-reader.repository.js';
import { documentLine, pageLines, type ExportPage } from './export-records.js';

/**
 * The output of an instruction: a tar stream encrypted on the fly to the recipient's age key,
 * written to a `.partial` file that only becomes the export, by an atomic rename, once the
 * archive is complete and on disk. Nothing is ever written in clear. Its last two entries are
 * the manifest (the instruction, counts and the SHA-256 of every entry) and the manifest's
 * Ed25519 signature by the département's key, the one its audit checkpoints are signed with.
 */

export const EXPORT_FORMAT = 'cloison-export-1';
export const MANIFEST_ENTRY = 'MANIFEST.json';
export const SIGNATURE_ENTRY = 'MANIFEST.sig';

export interface ExportEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface ExportCounts {
  cases: number;
  persons: number;
  documents: number;
  /** Clear bytes of the entries, manifest excepted. */
  bytes: number;
}

/** Where a tenant's exports are kept (the directory is the data directory's). */
export function exportFile(dataDir: string, instructionId: string): string {
  return path.join(dataDir, 'exports', `${instructionId}.age`);
}

const needsRights = (fields: readonly string[]) =>
  fields.includes('case.rights') || fields.includes('case.decisions');

/** What a finished run hands back: the manifest's counts and hashes, the file's own. */
export interface ExportResult {
  counts: ExportCounts;
  manifestSha256: string;
  receiptHash: string;
  sha256: string;
  bytes: number;
}

/**
 * Where a run reports as it goes: the persons and cases of each page (what a migration's
 * erasure will cover), and its progress. The run itself only reads the database.
 */
export interface ExportRunSink {
  wrote(personIds: readonly string[], caseIds: readonly string[]): Promise<void>;
  progress(counts: ExportCounts): Promise<void>;
}

/** Writes one instruction's export; returns what the manifest says and the file's own hash. */
export async function writeExportArchive(
  deps: AppDeps,
  instruction: ExportInstructionRow,
  sink: ExportRunSink,
): Promise<ExportResult> {
  const final = exportFile(deps.config.dataDir, instruction.id);
  const part = `${final}.partial`;
  await fsp.mkdir(path.dirname(final), { recursive: true, mode: 0o700 });
  // What a crashed run left is no export: it is started again from nothing.
  await fsp.rm(part, { force: true });
  const pack = tar.pack();
  const writer = new AgeFileWriter(instruction.age_recipient, part);
  const mtime = new Date(deps.clock.now().getTime());
  const entries = new ManifestEntries();
  const header = (name: string, size: number) => ({ name, size, mode: 0o600, mtime });
  const add: AddEntry = {
    async stream(name, size, content) {
      const hashing = new HashingStream();
      await pipeline(content, hashing, pack.entry({ ...header(name, size), type: 'file' }));
      if (hashing.size !== size) throw new Error(`${name}: ${hashing.size} bytes, not ${size}`);
      entries.add({ path: name, size, sha256: hashing.digest() });
    },
    async bytes(name, bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      // The callback comes once the archive took the bytes: the writer's backpressure holds here.
      await new Promise<void>((resolve, reject) =>
        pack.entry(header(name, bytes.length), bytes, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
      entries.add({ path: name, size: bytes.length, sha256 });
    },
  };
  // tar-stream is a streamx stream: read as the async iterable it is, under Node's backpressure.
  const writing = pipeline(Readable.from(pack, { objectMode: false }), writer);
  writing.catch((error: unknown) => pack.destroy(error as Error));
  try {
    const counts = await writeEntries(deps, instruction, add, sink);
    const key = await signingKey(deps, instruction.tenant_id);
    const tenant = await findTenantCode(deps.db, instruction.tenant_id);
    // Only the recipient reads it, inside the encrypted file: their proof of receipt.
    const receipt = randomBytes(16).toString('hex');
    const manifest = {
      format: EXPORT_FORMAT,
      tenant: tenant.code,
      createdAt: mtime.toISOString(),
      receipt,
      instruction: {
        id: instruction.id,
        kind: instruction.kind,
        purpose: instruction.purpose,
        legalBasis: instruction.legal_basis,
        recipient: { name: instruction.recipient_name, contact: instruction.recipient_contact },
        scope: JSON.parse(instruction.scope) as unknown,
        fields: JSON.parse(instruction.fields) as unknown,
        documentCategories: JSON.parse(instruction.document_categories) as unknown,
        orderedBy: instruction.ordered_by,
        orderedAt: instruction.ordered_at,
        approvedBy: instruction.decided_by,
        approvedAt: instruction.decided_at,
        expiresAt: instruction.expires_at,
      },
      counts,
      signedBy: { name: key.name, publicKey: key.publicKey.toString('base64') },
    };
    const { prefixed, text } = entries.manifest(manifest, statementPrefix('export-manifest'));
    const signed = await signPrefixedStatement(
      deps,
      instruction.tenant_id,
      'export-manifest',
      prefixed,
    );
    const signature = Buffer.from(
      `${JSON.stringify({ alg: 'Ed25519', context: 'cloison export-manifest v1', key: key.name, signature: signed })}\n`,
    );
    pack.entry({ name: MANIFEST_ENTRY, size: text.length, mode: 0o600, mtime }, text);
    pack.entry({ name: SIGNATURE_ENTRY, size: signature.length, mode: 0o600, mtime }, signature);
    pack.finalize();
    await writing;
    await fsp.rename(part, final);
    await syncDir(path.dirname(final));
    const file = writer.written();
    return {
      counts,
      manifestSha256: createHash('sha256').update(text).digest('hex'),
      receiptHash: createHash('sha256').update(receipt).digest('hex'),
      sha256: file.sha256,
      bytes: file.bytes,
    };
  } catch (error) {
    pack.destroy(error as Error);
    await writing.catch(() => undefined);
    await writer.stopped();
    await fsp.rm(part, { force: true });
    throw error;
  }
}

/** How often the run's progress is saved (the end is always): a commit a page would slow it. */
const PROGRESS_EVERY_MS = 1_000;

/** The entries, page by page of cases: JSON lines per file and page, then the documents. */
async function writeEntries(
  deps: AppDeps,
  instruction: ExportInstructionRow,
  add: AddEntry,
  sink: ExportRunSink,
): Promise<ExportCounts> {
  const tenantId = instruction.tenant_id;
  const scope = JSON.parse(instruction.scope) as ScopeFilter;
  const fields = JSON.parse(instruction.fields) as ExportDataFieldName[];
  const categories = JSON.parse(instruction.document_categories) as string[];
  const counts: ExportCounts = { cases: 0, persons: 0, documents: 0, bytes: 0 };
  // Persons already written (a person's cases may fall on several pages), and every one met.
  const seenPersons = new Set<string>();
  const metPersons = new Set<string>();
  const lines = async (name: string, items: readonly object[]) => {
    if (items.length === 0) return;
    const bytes = Buffer.from(items.map((i) => `${JSON.stringify(i)}\n`).join(''));
    await add.bytes(name, bytes);
    counts.bytes += bytes.length;
  };
  let pageNo = 0;
  let progressAt = performance.now();
  for (let after = ''; ;) {
    const { cases, next } = await nextCasesInScope(deps.db, tenantId, scope, after);
    if (next === null) break;
    after = next;
    if (cases.length === 0) continue;
    pageNo += 1;
    const ids = cases.map((c) => c.id);
    const personIds = [...new Set(cases.map((c) => c.person_id))];
    for (const id of personIds) metPersons.add(id);
    const documents = await documentsOfCases(deps.db, tenantId, ids, categories);
    const pieces = documentsToWrite(deps, documents);
    await sink.wrote(personIds, ids);
    const persons = await personsByIds(deps.db, tenantId, personIds);
    const ciphers = await deps.vault.forPersons(deps.db, tenantId, personIds);
    const page: ExportPage = {
      cases,
      persons: new Map(persons.map((p) => [p.id, p])),
      ciphers,
      rights: needsRights(fields) ? await rightsOfCases(deps.db, tenantId, ids) : [],
      transitions: fields.includes('case.history')
        ? await transitionsOfCases(deps.db, tenantId, ids)
        : [],
      messages: fields.includes('case.messages')
        ? await entriesOfCases(deps.db, 'messages', tenantId, ids)
        : [],
      notes: fields.includes('case.notes')
        ? await entriesOfCases(deps.db, 'notes', tenantId, ids)
        : [],
    };
    const suffix = String(pageNo).padStart(6, '0');
    for (const [file, items] of pageLines(page, fields, seenPersons)) {
      await lines(`${file}/${suffix}.jsonl`, items);
    }
    await yieldToEventLoop();
    const byCase = new Map(cases.map((c) => [c.id, c]));
    await lines(
      `documents/${suffix}.jsonl`,
      documents.map((d) => documentLine(d)),
    );
    await pieces.write(
      add,
      (d) => ciphers.get(byCase.get(d.case_id)!.person_id)!,
      (d) => {
        counts.documents += 1;
        counts.bytes += d.size_bytes;
      },
    );
    counts.cases += cases.length;
    counts.persons = metPersons.size;
    if (performance.now() - progressAt >= PROGRESS_EVERY_MS) {
      await sink.progress({ ...counts });
      progressAt = performance.now();
    }
  }
  return counts;
}
