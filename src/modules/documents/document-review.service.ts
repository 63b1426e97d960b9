import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import { problems } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { caseScope } from '../../policy/case.policy.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import { findDocumentInScope, recordDocumentReview } from './document.repository.js';
import type { DocumentView, ReviewBody } from './document.schemas.js';
import { toView } from './document.service.js';
import { notifyCaseParties } from '../notifications/notify.js';

/**
 * An agent accepts or rejects a piece of a case. Who may is document.policy.ts's: a medical
 * piece only its évaluateur médical, the others the accueil and the instruction; a document
 * the actor may not review answers 404 exactly like a missing one. A rejection says why, sealed
 * under the person's key, and the usager reads it with their documents.
 */
export async function reviewDocument(
  deps: AppDeps,
  actor: Actor,
  documentId: string,
  body: Static<typeof ReviewBody>,
): Promise<Static<typeof DocumentView>> {
  if (body.decision === 'rejected' && body.reason === undefined) {
    const message = 'Le motif du rejet est requis : la personne doit savoir quoi renvoyer.';
    throw problems.validation(message, [{ path: 'body/reason', message }]);
  }
  const now = deps.clock.now().toISOString();
  const { document, found } = await requireAuthorized(deps.db, actor, 'document.review', {
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
  if (document.piece === null) {
    throw problems.conflict(
      'not-a-piece',
      'Seules les pièces du dossier sont acceptées ou rejetées.',
    );
  }
  const reviewer = requireStaff(actor);
  const cipher = await deps.vault.forPerson(deps.db, found.row.tenant_id, found.row.person_id);
  const reasonEnc = cipher.sealOptional(sealedField.documentReviewReason(document.id), body.reason);
  await deps.db.transaction().execute(async (trx) => {
    // Checked in the WHERE clause: a replacement that raced this review wins.
    const recorded = await recordDocumentReview(
      trx,
      { tenantId: document.tenant_id, documentId: document.id },
      { status: body.decision, reasonEnc, by: reviewer.accountId, at: now },
    );
    if (!recorded) {
      throw problems.conflict('already-superseded', 'Cette pièce a été remplacée entre-temps.');
    }
    // Told in this transaction: the usager is asked again for the piece only if it commits.
    if (body.decision === 'rejected') {
      await notifyCaseParties(trx, deps, {
        tenantId: document.tenant_id,
        caseId: document.case_id,
        notice: 'piece-rejected',
      });
    }
  });
  return toView(
    {
      ...document,
      review_status: body.decision,
      review_reason_enc: reasonEnc,
      reviewed_by: reviewer.accountId,
      reviewed_at: now,
    },
    cipher,
  );
}
