import type { Actor } from './actor.js';
import { caseRelation, canOnCase, type CaseFacts } from './case.policy.js';
import { OPEN_FOR_PIECES } from './case-workflow.js';

export { DOCUMENT_CATEGORIES } from './vocabulary.js';

/**
 * Who may read a document, medical ones included, is decided here and only here:
 *
 * 1. The action `document.read` (download) or `document.list` is open to the roles in
 *    actions.ts (usager, accueil, instructeur, évaluateur, responsable); never to the CDAPH, the
 *    DPO, the admin, the operator or an integration token.
 * 2. The actor must relate to the case (case.policy.ts `caseRelation`): the usager it is about
 *    or their representative under a mandate valid today; staff of its département by role and
 *    assignment (the instructeur assigned or of its team, the évaluateur assigned), or holding a
 *    live break-glass grant, which only ever reads. A draft is its author's alone.
 * 3. A **medical** document (certificat médical, reports) is read only by the évaluateur
 *    médical of the case (assigned, or by break-glass) and by the usager whose data it is
 *    (`mayReadMedical`): never the accueil, the instructeur or the responsable.
 *
 * 4. Reviewing a piece (accept or reject, `canReviewDocument`) follows the same line: a medical
 *    piece only by the évaluateur médical of the case, the others by the accueil, the
 *    instructeur and the responsable; never by the usager, never through break-glass alone.
 *
 * Listings apply the same rule in SQL: the case repository loads only cases in the actor's
 * scope (`caseScope`), and the document listing leaves medical rows out unless
 * `mayReadMedical`. Missing and refused documents answer the same 404 (authorize.ts).
 */

/** Whether the actor may see medical documents of this case. */
export function mayReadMedical(actor: Actor, c: CaseFacts): boolean {
  const relation = caseRelation(actor, c);
  return relation === 'evaluateur' || relation === 'usager';
}

/** Whether the actor may read (list or download) a document of the given category. */
export function canReadDocument(actor: Actor, category: string, c: CaseFacts): boolean {
  if (!canOnCase(actor, 'document.read', c)) return false;
  return category !== 'medical' || mayReadMedical(actor, c);
}

/** Whether the actor may add a document of the given category to the case. */
export function canUploadDocument(actor: Actor, category: string, c: CaseFacts): boolean {
  if (!canOnCase(actor, 'document.upload', c)) return false;
  const relation = caseRelation(actor, c);
  // Decisions and letters are issued by the instruction, never by the usager.
  if (category === 'decision') return relation === 'instructeur' || relation === 'responsable';
  return true;
}

/**
 * True when the usager may no longer add pieces to their case (it is past the statuses that
 * accept them). The case is theirs, so they are told why (409) rather than refused as missing;
 * agents still file what reaches them on paper.
 */
export function piecesClosedFor(actor: Actor, c: CaseFacts): boolean {
  return caseRelation(actor, c) === 'usager' && !OPEN_FOR_PIECES.includes(c.status);
}

/** The relations that review non-medical pieces (the évaluateur reviews only medical ones). */
const REVIEWS_NON_MEDICAL = new Set(['accueil', 'instructeur', 'responsable']);

/** Whether the actor may accept or reject a document of the given category of this case. */
export function canReviewDocument(actor: Actor, category: string, c: CaseFacts): boolean {
  if (!canOnCase(actor, 'document.review', c)) return false;
  const relation = caseRelation(actor, c);
  if (category === 'medical') return relation === 'evaluateur';
  return relation !== null && REVIEWS_NON_MEDICAL.has(relation);
}
