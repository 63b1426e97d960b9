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

/** The formations a CDAPH sits in (plenary, adults, children, restricted). */
export const CDAPH_FORMATIONS = ['pleniere', 'adultes', 'enfants', 'restreinte'] as const;
export type CdaphFormation = (typeof CDAPH_FORMATIONS)[number];

/** A CDAPH session's life: planned, in progress on its day, closed with its minutes. */
export const CDAPH_SESSION_STATUSES = ['planned', 'in_progress', 'closed'] as const;
export type CdaphSessionStatus = (typeof CDAPH_SESSION_STATUSES)[number];
