/**
 * The shapes the API answers, as the web application reads them. They mirror the TypeBox
 * schemas of src/modules (the server's response schemas decide what leaves; nothing here can
 * add a field). Each area (usager/, agent/, admin/) keeps the types only it uses beside it.
 */

export type SecondFactorState = 'done' | 'second-factor' | 'enroll';

export interface Me {
  id: string;
  kind: 'usager' | 'staff' | 'operateur';
  role: StaffRole | null;
  tenantId: string | null;
  displayName: string;
  email: string;
  secondFactor: SecondFactorState;
}

export type StaffRole =
  'accueil' | 'instructeur' | 'evaluateur' | 'responsable' | 'cdaph' | 'dpo' | 'admin';

// The workflow's statuses and pieces, rights, decisions and categories: the server's own files
// (dependency-free), not copies.
export {
  CASE_STATUSES,
  PIECE_CATEGORY,
  REQUIRED_PIECES,
  type CaseStatus,
  type Piece,
} from '../../../src/policy/case-workflow';
export {
  DECISIONS,
  DOCUMENT_CATEGORIES,
  RIGHT_CODES,
  type Decision,
  type DocumentCategory,
  type RightCode,
} from '../../../src/policy/vocabulary';
import type { CaseStatus, Piece } from '../../../src/policy/case-workflow';
import type { Decision, DocumentCategory, RightCode } from '../../../src/policy/vocabulary';

/** A staff member of the département (GET /api/v1/staff: responsable and admin). */
export interface StaffMember {
  id: string;
  displayName: string;
  role: string;
  team: string | null;
  status: string;
  /** Disabling it takes a second admin's approval (it holds admin or DPO). */
  disableNeedsSecondAdmin: boolean;
  /** Disabled after a departure or inactivity: two admins may re-enable it. */
  canBeReenabled: boolean;
}

export interface CaseSummary {
  id: string;
  reference: string;
  status: CaseStatus;
  subject: { firstName: string; lastName: string };
  instructeurId: string | null;
  evaluateurId: string | null;
  team: string | null;
  piecesDeadline: string | null;
  submittedAt: string | null;
  updatedAt: string;
}

/** A message or an internal note of a case (GET /api/v1/cases/:id/messages|notes). */
export interface CaseEntry {
  id: string;
  body: string;
  createdAt: string;
  author: { name: string; kind: 'usager' | 'staff' | 'operateur' };
}

/** A line of GET /api/v1/cases: the summary and the rights the case asks for. */
export interface CaseListItem extends CaseSummary {
  rightCodes: RightCode[];
}

export interface CaseDetail extends CaseSummary {
  personId: string;
  summary: string | null;
  createdAt: string;
  rights: Array<{
    code: RightCode;
    decision: Decision | null;
    decisionReason: string | null;
    decidedAt: string | null;
  }>;
  completeness: Record<Piece, boolean>;
  /** The actions the signed-in person may take on this case (decided by the server). */
  abilities: string[];
  nextStatuses: CaseStatus[];
}

export interface DocumentView {
  id: string;
  category: DocumentCategory;
  piece: Piece | null;
  originalName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}
