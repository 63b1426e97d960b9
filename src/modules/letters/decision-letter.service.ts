import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Insertable } from 'kysely';
import type { AppDeps } from '../../deps.js';
import type { CaseRow, DocumentTable } from '../../db/schema.js';
import type { DbOrTx } from '../../db/database.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import { appealDeadline } from '../../policy/case-deadlines.js';
import type { RightCode } from '../../policy/vocabulary.js';
import { listDecidedRights } from '../cases/decided-rights.repository.js';
import { insertDocument } from '../documents/document.repository.js';
import { putSealed } from '../documents/sealed-blobs.js';
import { openName } from '../persons/person-fields.js';
import { findLetterParties } from './decision-letter.repository.js';
import { renderDecisionLetter } from './decision-letter.js';
import { FORMATION_LABELS } from './letter-texts.js';

/** A letter rendered and sealed in the blob store, its row not written yet. */
export interface PreparedLetter {
  readonly row: Insertable<DocumentTable>;
  /** Removes the sealed file when the notification that needed it does not commit. */
  discard(): Promise<void>;
}

/**
 * Renders the notification letter of a decided case (every right decided, with its validity and
 * motive, the session, the appeal route and its last day counted from `notifiedOn`) and stores it
 * sealed under the person's key, as an upload would be. Outside any transaction: rendering takes
 * tens of milliseconds and a file write, which no database lock should wait for. The caller
 * records `row` in the notification's transaction, or calls `discard`.
 */
export async function prepareDecisionLetter(
  deps: Pick<AppDeps, 'db' | 'vault' | 'blobs'>,
  c: CaseRow,
  notifiedOn: string,
  issuedBy: string,
): Promise<PreparedLetter> {
  const cipher = await deps.vault.forPerson(deps.db, c.tenant_id, c.person_id);
  const { tenant, person } = await findLetterParties(deps.db, {
    tenantId: c.tenant_id,
    personId: c.person_id,
  });
  const rights = await listDecidedRights(deps.db, c.tenant_id, c.id);
  const session = rights.find((r) => r.session !== null)?.session ?? null;
  const bytes = await renderDecisionLetter({
    tenant: { code: tenant.code, name: tenant.name },
    person: {
      ...openName(cipher, person),
      address: cipher.openOptional(sealedField.person(person.id, 'address'), person.address_enc),
    },
    caseReference: c.reference,
    submittedOn: c.submitted_at?.slice(0, 10) ?? null,
    session: session
      ? {
          heldOn: session.sitsOn,
          formation: FORMATION_LABELS[session.formation ?? ''] ?? session.formation ?? '',
        }
      : null,
    rights: rights.map((r) => ({
      code: r.rightCode as RightCode,
      decision: r.decision,
      validFrom: r.validFrom,
      validUntil: r.validUntil,
      motive: cipher.openOptional(sealedField.decisionReason(r.id), r.reasonEnc),
    })),
    notifiedOn,
    appealDeadline: appealDeadline(notifiedOn),
  });
  const id = randomUUID();
  const stored = await putSealed(deps.blobs, cipher, id, Readable.from([bytes]));
  const name = `notification-decision-${c.reference}.pdf`;
  return {
    row: {
      id,
      tenant_id: c.tenant_id,
      case_id: c.id,
      category: 'decision',
      piece: null,
      original_name_enc: cipher.seal(sealedField.documentName(id), name),
      media_type: 'application/pdf',
      size_bytes: stored.size,
      sha256_enc: cipher.seal(sealedField.documentHash(id), stored.sha256),
      storage_key: stored.key,
      uploaded_by: issuedBy,
      created_at: new Date().toISOString(),
    },
    discard: () => deps.blobs.delete(stored.key),
  };
}

/** Records a prepared letter as a decision document of its case, in the caller's transaction. */
export async function recordDecisionLetter(trx: DbOrTx, letter: PreparedLetter): Promise<void> {
  await insertDocument(trx, letter.row);
}
