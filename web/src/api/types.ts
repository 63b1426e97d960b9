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

export const CASE_STATUSES = [
  'brouillon',
  'depose',
  'attente_pieces',
  'recevable',
  'evaluation',
  'attente_cdaph',
  'decide',
  'notifie',
  'cloture',
  'archive',
  'retire',
  'caduc',
  'recours',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const RIGHT_CODES = ['AAH', 'PCH', 'CMI', 'RQTH', 'AEEH', 'ORIENTATION'] as const;
export type RightCode = (typeof RIGHT_CODES)[number];
export type Decision = 'accord' | 'accord_partiel' | 'rejet';

export const REQUIRED_PIECES = [
  'cerfa_15692',
  'certificat_medical',
  'identite',
  'domicile',
] as const;
export type Piece = (typeof REQUIRED_PIECES)[number];

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
