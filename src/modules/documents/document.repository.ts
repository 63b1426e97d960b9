import type { DbOrTx } from '../../db/database.js';
import type { Insertable } from 'kysely';
import type { DocumentRow, DocumentTable } from '../../db/schema.js';
import type { CaseScope } from '../../policy/case.policy.js';
import { loadFacts, whereInScope, type ScopedCase } from '../cases/case.repository.js';

/** Documents of a case; medical ones only when the policy said the actor may read them. */
export function listDocumentsOfCase(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  options: { includeMedical: boolean },
): Promise<DocumentRow[]> {
  let query = db
    .selectFrom('documents')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('case_id', '=', caseId);
  if (!options.includeMedical) query = query.where('category', '<>', 'medical');
  return query.orderBy('created_at').orderBy('id').execute();
}

/** A document whose case is in the actor's scope, with that case and its facts. */
export async function findDocumentInScope(
  db: DbOrTx,
  scope: CaseScope,
  documentId: string,
  now: string,
): Promise<{ document: DocumentRow; found: ScopedCase } | undefined> {
  const caseRow = await whereInScope(db.selectFrom('cases').selectAll('cases'), scope, now)
    .where('cases.id', 'in', (eb) =>
      eb.selectFrom('documents').select('documents.case_id').where('documents.id', '=', documentId),
    )
    .executeTakeFirst();
  if (!caseRow) return undefined;
  const document = await db
    .selectFrom('documents')
    .selectAll()
    .where('id', '=', documentId)
    .where('case_id', '=', caseRow.id)
    .where('tenant_id', '=', caseRow.tenant_id)
    .executeTakeFirstOrThrow();
  return { document, found: { row: caseRow, facts: await loadFacts(db, caseRow, now) } };
}

/** Records a stored document. */
export async function insertDocument(db: DbOrTx, row: Insertable<DocumentTable>): Promise<void> {
  await db.insertInto('documents').values(row).execute();
}

/** Every storage key a row references, documents and mandate proofs (for the orphan sweep). */
export async function referencedStorageKeys(db: DbOrTx): Promise<Set<string>> {
  const rows = await db
    .selectFrom('documents')
    .select('storage_key')
    .union(db.selectFrom('mandate_proofs').select('storage_key'))
    .execute();
  return new Set(rows.map((r) => r.storage_key));
}

/** The documents of a case filed as one of the completeness pieces, superseded ones included. */
export function listPieceRows(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .selectFrom('documents')
    .select(['id', 'piece', 'review_status', 'issued_on_enc', 'superseded_by'])
    .where('tenant_id', '=', tenantId)
    .where('case_id', '=', caseId)
    .where('piece', 'is not', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Records an agent's review of a document still current (a superseded one is history: its
 * review stays what it was). Answers whether the document was changed.
 */
export async function recordDocumentReview(
  trx: DbOrTx,
  target: { tenantId: string; documentId: string },
  review: { status: 'accepted' | 'rejected'; reasonEnc: Buffer | null; by: string; at: string },
): Promise<boolean> {
  const updated = await trx
    .updateTable('documents')
    .set({
      review_status: review.status,
      review_reason_enc: review.reasonEnc,
      reviewed_by: review.by,
      reviewed_at: review.at,
    })
    .where('id', '=', target.documentId)
    .where('tenant_id', '=', target.tenantId)
    .where('superseded_by', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Marks a current document of the case as replaced by another; answers whether it was. */
export async function markDocumentSuperseded(
  trx: DbOrTx,
  target: { tenantId: string; caseId: string; documentId: string },
  by: { documentId: string; at: string },
): Promise<boolean> {
  const updated = await trx
    .updateTable('documents')
    .set({ superseded_by: by.documentId, superseded_at: by.at })
    .where('id', '=', target.documentId)
    .where('tenant_id', '=', target.tenantId)
    .where('case_id', '=', target.caseId)
    .where('superseded_by', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
