/*
 * The words of a case that both the server and the web application speak: requested rights,
 * decisions, document categories. No imports, so the browser bundle takes this very file
 * (web/src/api/types.ts) instead of a copy that could drift.
 */

/** The rights a dossier may request (PRODUCT.md). */
export const RIGHT_CODES = ['AAH', 'PCH', 'CMI', 'RQTH', 'AEEH', 'ORIENTATION'] as const;
export type RightCode = (typeof RIGHT_CODES)[number];

/** The CDAPH's decision on one requested right. */
export const DECISIONS = ['accord', 'accord_partiel', 'rejet'] as const;
export type Decision = (typeof DECISIONS)[number];

export const DOCUMENT_CATEGORIES = [
  'identity',
  'address',
  'medical',
  'financial',
  'decision',
  'correspondence',
  'other',
] as const;
export type DocumentCategory = (typeof DOCUMENT_CATEGORIES)[number];
