import type { Actor } from './actor.js';
import { caseRelation, canOnCase, type CaseFacts } from './case.policy.js';

export { DOCUMENT_CATEGORIES, type DocumentCategory } from './vocabulary.js';

/**
 * Whether the actor may see medical documents of this case: the évaluateur médical assigned to
 * it, and the person it is about (or their representative), whose own data it is.
 */
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
