/**
 * The workflow's statuses and pieces, rights, decisions, document categories and staff roles:
 * the server's own files (dependency-free), not copies.
 */
import type { Static } from '@sinclair/typebox';
import type { StaffRoleSchema } from '../../../src/modules/staff/staff.schemas';

export {
  CASE_STATUSES,
  PIECE_CATEGORY,
  REQUIRED_PIECES,
  type CaseStatus,
  type Piece,
} from '../../../src/policy/case-workflow';
export {
  CDAPH_FORMATIONS,
  DOCUMENT_CATEGORIES,
  RIGHT_CODES,
  type CdaphFormation,
  type CdaphSessionStatus,
  type Decision,
  type DocumentCategory,
  type RightCode,
} from '../../../src/policy/vocabulary';

export type StaffRole = Static<typeof StaffRoleSchema>;
