import { REQUIRED_PIECES, type Piece } from '../../policy/case-workflow.js';
import { certificateIsFresh } from './certificate-date.js';

export const REVIEW_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** A piece document as completeness sees it: no name, no bytes, the certificate date opened. */
export interface PieceDocument {
  readonly id: string;
  readonly piece: string;
  readonly reviewStatus: ReviewStatus;
  /** Only for the medical certificate (null when none was given, as before dates were asked). */
  readonly issuedOn: string | null;
  readonly supersededBy: string | null;
}

/** One line of the checklist: what an agent who may not read the piece may still know. */
export interface PieceCheck {
  /** A current (not superseded) document with this piece is on file. */
  readonly supplied: boolean;
  /** The review of the document that counts, or null when none is supplied. */
  readonly review: ReviewStatus | null;
  /** For the medical certificate: whether its date is under twelve months today; else null. */
  readonly dateValid: boolean | null;
  /** The piece counts for completeness: accepted, and for the certificate, fresh. */
  readonly complete: boolean;
}

const RANK: Record<ReviewStatus, number> = { accepted: 0, pending: 1, rejected: 2 };

function checkOf(piece: Piece, current: readonly PieceDocument[], today: string): PieceCheck {
  const fresh = (d: PieceDocument) =>
    piece !== 'certificat_medical' ||
    (d.issuedOn !== null && certificateIsFresh(d.issuedOn, today));
  const counts = (d: PieceDocument) => d.reviewStatus === 'accepted' && fresh(d);
  // The document shown is the one that counts, else the one closest to counting.
  const best = [...current].sort(
    (a, b) =>
      Number(counts(b)) - Number(counts(a)) ||
      RANK[a.reviewStatus] - RANK[b.reviewStatus] ||
      Number(fresh(b)) - Number(fresh(a)),
  )[0];
  if (!best) return { supplied: false, review: null, dateValid: null, complete: false };
  return {
    supplied: true,
    review: best.reviewStatus,
    dateValid: piece === 'certificat_medical' ? fresh(best) : null,
    complete: counts(best),
  };
}

/** The completeness checklist of a case from its piece documents, on `today` (YYYY-MM-DD). */
export function pieceChecklist(
  documents: readonly PieceDocument[],
  today: string,
): Record<Piece, PieceCheck> {
  const current = documents.filter((d) => d.supersededBy === null);
  return Object.fromEntries(
    REQUIRED_PIECES.map((p) => [
      p,
      checkOf(
        p,
        current.filter((d) => d.piece === p),
        today,
      ),
    ]),
  ) as Record<Piece, PieceCheck>;
}

/** What keeps the checklist from being complete, in French, for a refused transition. */
export function incompleteness(checklist: Record<Piece, PieceCheck>): string[] {
  const missing = REQUIRED_PIECES.filter((p) => !checklist[p].supplied);
  const unaccepted = REQUIRED_PIECES.filter(
    (p) => checklist[p].supplied && checklist[p].review !== 'accepted',
  );
  const unmet: string[] = [];
  if (missing.length > 0) unmet.push(`pièces manquantes : ${missing.join(', ')}`);
  if (unaccepted.length > 0) unmet.push(`pièces non acceptées : ${unaccepted.join(', ')}`);
  const certificate = checklist.certificat_medical;
  if (certificate.review === 'accepted' && certificate.dateValid === false) {
    unmet.push('certificat_medical de plus de 12 mois');
  }
  return unmet;
}

/**
 * Whether filing may go on as far as the certificate goes: none on file yet, or one under
 * twelve months among the current ones.
 */
export function certificateStillFresh(documents: readonly PieceDocument[], today: string) {
  const current = documents.filter(
    (d) => d.supersededBy === null && d.piece === 'certificat_medical',
  );
  return (
    current.length === 0 ||
    current.some((d) => d.issuedOn !== null && certificateIsFresh(d.issuedOn, today))
  );
}
