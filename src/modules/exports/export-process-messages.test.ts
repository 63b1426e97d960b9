import { describe, expect, it } from 'vitest';
import { isExportProcessMessage } from './export-process-messages.js';

const id = '0485fe38-a87a-4acf-978d-f04ec35fb164';
const counts = { cases: 1, persons: 1, documents: 0, bytes: 10 };
const hex = 'a'.repeat(64);

describe('the export process’s reports', () => {
  it('are taken whole', () => {
    for (const m of [
      { kind: 'wrote', personIds: [id], caseIds: [id] },
      { kind: 'progress', counts },
      {
        kind: 'done',
        result: { counts, manifestSha256: hex, receiptHash: hex, sha256: hex, bytes: 5 },
      },
      { kind: 'failed', failure: 'the run failed (see the server log)' },
    ]) {
      expect(isExportProcessMessage(m), JSON.stringify(m)).toBe(true);
    }
  });

  it('are refused when any part is malformed: never applied in part', () => {
    for (const m of [
      null,
      'wrote',
      { kind: 'other' },
      { kind: 'wrote', personIds: [id] },
      { kind: 'wrote', personIds: ["x' or 1=1"], caseIds: [] },
      { kind: 'wrote', personIds: [id, 7], caseIds: [] },
      { kind: 'progress', counts: { ...counts, bytes: -1 } },
      { kind: 'progress', counts: { cases: 1 } },
      { kind: 'done', result: { counts, manifestSha256: 'zz', receiptHash: hex, sha256: hex } },
      { kind: 'failed', failure: 'x'.repeat(201) },
    ]) {
      expect(isExportProcessMessage(m), JSON.stringify(m)).toBe(false);
    }
  });
});
