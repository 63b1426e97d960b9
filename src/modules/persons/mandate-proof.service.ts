import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { isoDay } from '../../clock.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { noteAuditedObject } from '../audit/request-audit.js';
import { UploadInspector, sanitizeFileName } from '../documents/file-type.js';
import { openSealed, putSealed, startAuthenticated } from '../documents/sealed-blobs.js';
import type { UploadedFile } from '../documents/uploaded-file.js';
import { requireMandate } from './mandate-access.js';
import { findLatestProof, insertMandateProof } from './mandate-proof.repository.js';
import type { MandateProofView, ProofUploadQuery } from './mandate.schemas.js';

type ProofView = Static<typeof MandateProofView>;

/**
 * The representative files the proof of their mandate (jugement de tutelle, livret de famille,
 * attestation). Stored like a case document: magic bytes and size checked on the way, sealed
 * under the represented person's key, the row written only once the blob is durable.
 */
export async function uploadMandateProof(
  deps: AppDeps,
  actor: Actor,
  mandateId: string,
  query: Static<typeof ProofUploadQuery>,
  openFile: (maxBytes: number) => Promise<UploadedFile>,
): Promise<ProofView> {
  const mandate = await requireMandate(deps, actor, 'mandate.uploadProof', mandateId);
  if (mandate.ended_at !== null || mandate.ends_on < isoDay(deps.clock.now())) {
    throw problems.conflict('mandate-ended', 'Ce mandat a pris fin.');
  }
  const file = await openFile(deps.config.uploadMaxBytes + 1);
  const inspector = new UploadInspector(deps.config.uploadMaxBytes);
  file.bytes.once('error', (error) => inspector.destroy(error));
  const proofId = randomUUID();
  noteAuditedObject('mandate-proof', proofId);
  const cipher = await deps.vault.forPerson(deps.db, mandate.tenant_id, mandate.person_id);
  const stored = await putSealed(deps.blobs, cipher, proofId, file.bytes.pipe(inspector));
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
  try {
    await insertMandateProof(deps.db, {
      id: proofId,
      tenant_id: mandate.tenant_id,
      mandate_id: mandate.id,
      person_id: mandate.person_id,
      kind: query.kind,
      original_name_enc: cipher.seal(
        sealedField.mandateProofName(proofId),
        sanitizeFileName(file.fileName),
      ),
      media_type: inspector.mediaType,
      size_bytes: stored.size,
      sha256_enc: cipher.seal(sealedField.mandateProofHash(proofId), stored.sha256),
      storage_key: stored.key,
      uploaded_by: mandate.representative_account_id,
      created_at: now,
    });
  } catch (error) {
    await deps.blobs.delete(stored.key);
    throw error;
  }
  return {
    id: proofId,
    kind: query.kind,
    mediaType: inspector.mediaType,
    sizeBytes: stored.size,
    uploadedAt: now,
  };
}

/** Authorizes reading the proof on file of a mandate and opens its bytes (an attachment). */
export async function openMandateProof(deps: AppDeps, actor: Actor, mandateId: string) {
  const mandate = await requireMandate(deps, actor, 'mandate.readProof', mandateId);
  const proof = await findLatestProof(deps.db, mandate.tenant_id, mandate.id);
  if (!proof)
    throw problems.conflict('no-proof', 'Aucun justificatif n’est déposé pour ce mandat.');
  const cipher = await deps.vault.forPerson(deps.db, mandate.tenant_id, mandate.person_id);
  return {
    proof,
    fileName: cipher.open(sealedField.mandateProofName(proof.id), proof.original_name_enc),
    stream: await startAuthenticated(
      await openSealed(deps.blobs, cipher, proof.id, proof.storage_key),
    ),
  };
}
