import type { ExportCounts } from './export-archive.js';
import type { ExportResult } from './export-archive.js';

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

const KINDS = new Set(['wrote', 'progress', 'done', 'failed']);

/** Whether an IPC message has the shape of one of ours (anything else is ignored). */
export function isExportProcessMessage(message: unknown): message is ExportProcessMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    KINDS.has((message as { kind?: unknown }).kind as string)
  );
}
