import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { caseScope } from '../../policy/case.policy.js';
import { mayReadMedical, piecesClosedFor } from '../../policy/document.policy.js';
import type { DocumentRow } from '../../db/schema.js';
import { requireAllowed, requireAuthorized } from '../authorization/require-authorized.js';
import { requireCase } from '../cases/case-access.js';
import {
  findDocumentInScope,
  insertDocument,
  listDocumentsOfCase,
  markDocumentSuperseded,
} from './document.repository.js';
import type { DocumentView, UploadQuery } from './document.schemas.js';
import { checkUploadMetadata } from './upload-checks.js';
import { UploadInspector, sanitizeFileName } from './file-type.js';
import { openSealed, putSealed, startAuthenticated } from './sealed-blobs.js';
import type { PersonCipher } from '../../crypto/vault.js';
import { noteAuditedObject } from '../audit/request-audit.js';
import type { UploadedFile } from './uploaded-file.js';

type View = Static<typeof DocumentView>;

/** A document as its readers see it; the review only for pieces, the reason opened. */
export function toView(row: DocumentRow, cipher: PersonCipher): View {
  return {
    id: row.id,
    category: row.category as View['category'],
    piece: row.piece as View['piece'],
    originalName: cipher.open(sealedField.documentName(row.id), row.original_name_enc),
    mediaType: row.media_type,
    sizeBytes: row.size_bytes,
    sha256: cipher.open(sealedField.documentHash(row.id), row.sha256_enc),
    createdAt: row.created_at,
    issuedOn: cipher.openOptional(sealedField.documentIssuedOn(row.id), row.issued_on_enc),
    review:
      row.piece === null
        ? null
        : {
            status: row.review_status as NonNullable<View['review']>['status'],
            reason: cipher.openOptional(
              sealedField.documentReviewReason(row.id),
              row.review_reason_enc,
            ),
            at: row.reviewed_at,
          },
    supersededBy: row.superseded_by,
    supersededAt: row.superseded_at,
  };
}

/** Documents of a case the actor may read; medical ones only with medical clearance. */
export async function listCaseDocuments(deps: AppDeps, actor: Actor, caseId: string) {
  const { row, facts } = await requireCase(deps, actor, 'document.list', caseId);
  const rows = await listDocumentsOfCase(deps.db, row.tenant_id, row.id, {
    includeMedical: mayReadMedical(actor, facts),
  });
  const cipher = await deps.vault.forPerson(deps.db, row.tenant_id, row.person_id);
  return { items: rows.map((r) => toView(r, cipher)) };
}

/**
 * Streams one uploaded file into the blob store, then records it. The blob write is atomic and
 * the row is inserted only once the blob is durable; if the insert fails the blob is deleted, and
 * a crash in between leaves an unreferenced blob that the startup sweep removes. The body is
 * read only once the upload is authorized (`openFile` starts reading it).
 */
export async function uploadDocument(
  deps: AppDeps,
  actor: Actor,
  caseId: string,
  query: Static<typeof UploadQuery>,
  openFile: (maxBytes: number) => Promise<UploadedFile>,
): Promise<View> {
  const found = await requireCase(deps, actor, 'document.upload', caseId);
  requireAllowed(actor, 'document.upload', {
    type: 'new-document',
    id: caseId,
    category: query.category,
    case: found.facts,
  });
  if (piecesClosedFor(actor, found.facts)) {
    throw problems.conflict('case-closed-for-pieces', 'Ce dossier n’accepte plus de pièces.');
  }
  const cipher = await deps.vault.forPerson(deps.db, found.row.tenant_id, found.row.person_id);
  const { issuedOn, replaced } = await checkUploadMetadata(deps, actor, found, query, cipher);

  const file = await openFile(deps.config.uploadMaxBytes + 1);
  const inspector = new UploadInspector(deps.config.uploadMaxBytes);
  // pipe() does not forward errors: without this an upload cut off by the client would leave
  // put() waiting forever on its temporary file.
  file.bytes.once('error', (error) => inspector.destroy(error));
  const documentId = randomUUID();
  noteAuditedObject('document', documentId);
  const stored = await putSealed(deps.blobs, cipher, documentId, file.bytes.pipe(inspector));
  try {
    if (file.truncated || inspector.mediaType === null) {
      throw problems.tooLarge('Le fichier dépasse la taille autorisée.');
    }
    await file.expectEnd();
  } catch (error) {
    await deps.blobs.delete(stored.key);
    throw error;
  }
  const now = deps.clock.now().toISOString();
  const row: DocumentRow = {
    id: documentId,
    tenant_id: found.row.tenant_id,
    case_id: found.row.id,
    category: query.category,
    piece: query.piece ?? null,
    original_name_enc: cipher.seal(
      sealedField.documentName(documentId),
      sanitizeFileName(file.fileName),
    ),
    media_type: inspector.mediaType,
    size_bytes: stored.size,
    sha256_enc: cipher.seal(sealedField.documentHash(documentId), stored.sha256),
    storage_key: stored.key,
    uploaded_by: (actor as { accountId: string }).accountId,
    created_at: now,
    review_status: 'pending',
    review_reason_enc: null,
    reviewed_by: null,
    reviewed_at: null,
    issued_on_enc: cipher.sealOptional(sealedField.documentIssuedOn(documentId), issuedOn),
    superseded_by: null,
    superseded_at: null,
  };
  try {
    // One transaction: the replacement and the old piece's retirement are recorded together,
    // and an upload that lost a race to replace the same piece leaves nothing behind.
    await deps.db.transaction().execute(async (trx) => {
      await insertDocument(trx, row);
      if (!replaced) return;
      const superseded = await markDocumentSuperseded(
        trx,
        { tenantId: row.tenant_id, caseId: row.case_id, documentId: replaced.id },
        { documentId, at: now },
      );
      if (!superseded) {
        throw problems.conflict('already-superseded', 'Cette pièce a déjà été remplacée.');
      }
    });
  } catch (error) {
    await deps.blobs.delete(stored.key);
    throw error;
  }
  return toView(row, cipher);
}

/** Authorizes a download and opens the bytes; the route streams them as an attachment. */
export async function openDocumentForDownload(deps: AppDeps, actor: Actor, documentId: string) {
  const now = deps.clock.now().toISOString();
  const { document, found } = await requireAuthorized(deps.db, actor, 'document.read', {
    type: 'document',
    id: documentId,
    table: 'documents',
    find: () => findDocumentInScope(deps.db, caseScope(actor), documentId, now),
    facts: (hit) => ({
      type: 'document',
      id: hit.document.id,
      category: hit.document.category,
      case: hit.found.facts,
    }),
  });
  const cipher = await deps.vault.forPerson(deps.db, found.row.tenant_id, found.row.person_id);
  return {
    document,
    fileName: cipher.open(sealedField.documentName(document.id), document.original_name_enc),
    stream: await startAuthenticated(
      await openSealed(deps.blobs, cipher, document.id, document.storage_key),
    ),
  };
}
