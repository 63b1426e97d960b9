import type { DbOrTx } from '../../db/database.js';
import type { DocumentRow } from '../../db/schema.js';
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
export async function insertDocument(db: DbOrTx, row: DocumentRow): Promise<void> {
  await db.insertInto('documents').values(row).execute();
}

/** Whether any document references the storage key (for the orphan sweep). */
export async function referencedStorageKeys(db: DbOrTx): Promise<Set<string>> {
  const rows = await db.selectFrom('documents').select('storage_key').execute();
  return new Set(rows.map((r) => r.storage_key));
}
