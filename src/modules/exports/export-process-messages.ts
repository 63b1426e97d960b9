import type { ExportCounts, ExportResult } from './export-archive.js';

/**
 * What the export process tells the server that started it, over the IPC channel: it only
 * reads, so every write the run implies (the persons of each page, the progress, the outcome)
 * is the server's, in this order.
 */
export type ExportProcessMessage =
  | { kind: 'wrote'; personIds: string[]; caseIds: string[] }
  | { kind: 'progress'; counts: ExportCounts }
  | { kind: 'done'; result: ExportResult }
  | { kind: 'failed'; failure: string };

const isIds = (v: unknown) =>
  Array.isArray(v) && v.every((id) => typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id));
const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const isCounts = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  ['cases', 'persons', 'documents', 'bytes'].every((k) =>
    isCount((v as Record<string, unknown>)[k]),
  );
const isHex = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

/**
 * Whether an IPC message is one of ours, whole: the persons it names become what a migration
 * erases, so a malformed one is never applied (the run then ends without a result).
 */
export function isExportProcessMessage(message: unknown): message is ExportProcessMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  switch (m.kind) {
    case 'wrote':
      return isIds(m.personIds) && isIds(m.caseIds);
    case 'progress':
      return isCounts(m.counts);
    case 'done': {
      const r = m.result as Record<string, unknown> | null;
      return (
        typeof r === 'object' &&
        r !== null &&
        isCounts(r.counts) &&
        isHex(r.manifestSha256) &&
        isHex(r.receiptHash) &&
        isHex(r.sha256) &&
        isCount(r.bytes)
      );
    }
    case 'failed':
      return typeof m.failure === 'string' && m.failure.length <= 200;
    default:
      return false;
  }
}
