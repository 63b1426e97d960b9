import type { DbOrTx } from '../../db/database.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import type { PersonCipher } from '../../crypto/vault.js';
import { listPieceRows } from './document.repository.js';
import {
  pieceChecklist,
  type PieceCheck,
  type PieceDocument,
  type ReviewStatus,
} from './piece-checklist.js';
import type { Piece } from '../../policy/case-workflow.js';

/** The piece documents of a case with their certificate dates opened (`cipher`: its person's). */
export async function loadPieceDocuments(
  db: DbOrTx,
  cipher: PersonCipher,
  tenantId: string,
  caseId: string,
): Promise<PieceDocument[]> {
  const rows = await listPieceRows(db, tenantId, caseId);
  return rows.map((r) => ({
    id: r.id,
    piece: r.piece as string,
    reviewStatus: r.review_status as ReviewStatus,
    issuedOn: cipher.openOptional(sealedField.documentIssuedOn(r.id), r.issued_on_enc),
    supersededBy: r.superseded_by,
  }));
}

/** The completeness checklist of a case today (YYYY-MM-DD). */
export async function checklistOfCase(
  db: DbOrTx,
  cipher: PersonCipher,
  c: { tenantId: string; caseId: string; today: string },
): Promise<Record<Piece, PieceCheck>> {
  return pieceChecklist(await loadPieceDocuments(db, cipher, c.tenantId, c.caseId), c.today);
}
