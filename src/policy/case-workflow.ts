import type { DocumentCategory } from './vocabulary.js';

/**
 * The MDPH case workflow of PRODUCT.md as data: every status, every transition and who may make
 * it. Authorization of a transition reads this table and nothing else.
 */
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

/** How an actor relates to one case; decided by the case policy, never by the client. */
export type CaseRelation =
  | 'usager'
  | 'accueil'
  | 'instructeur'
  | 'evaluateur'
  | 'responsable'
  | 'cdaph'
  /** A département's system holding an integration token; makes no transition. */
  | 'integration';

export type TransitionGuard =
  /** The four pieces of PRODUCT.md are on file, accepted, the certificate under 12 months. */
  | 'complete'
  /** A medical certificate on file, if any, is still under 12 months. */
  | 'certificateFresh'
  /** An évaluateur médical is assigned. */
  | 'evaluateurAssigned'
  /** Every requested right carries a decision. */
  | 'allRightsDecided'
  /** The missing-pieces deadline has passed. */
  | 'deadlinePassed'
  /** A missing-pieces deadline is given with the transition. */
  | 'deadlineGiven'
  /** The appeal window after the notification is still open (case-deadlines.ts). */
  | 'withinAppealWindow';

export interface Transition {
  readonly from: CaseStatus;
  readonly to: CaseStatus;
  readonly by: readonly CaseRelation[];
  readonly guards: readonly TransitionGuard[];
  /** Whether the usager is told (consumed by the notification issue). */
  readonly notifiesUsager: boolean;
}

const t = (
  from: CaseStatus,
  to: CaseStatus,
  by: CaseRelation[],
  guards: TransitionGuard[] = [],
  notifiesUsager = true,
): Transition => ({ from, to, by, guards, notifiesUsager });

const WITHDRAWABLE: CaseStatus[] = [
  'brouillon',
  'depose',
  'attente_pieces',
  'recevable',
  'evaluation',
];

export const TRANSITIONS: readonly Transition[] = [
  t('brouillon', 'depose', ['usager', 'accueil'], ['certificateFresh'], false),
  t('depose', 'attente_pieces', ['accueil', 'instructeur'], ['deadlineGiven']),
  t('attente_pieces', 'depose', ['usager', 'accueil', 'instructeur'], ['certificateFresh'], false),
  t('attente_pieces', 'caduc', ['accueil', 'instructeur', 'responsable'], ['deadlinePassed']),
  t('depose', 'recevable', ['accueil', 'instructeur'], ['complete']),
  t('recevable', 'evaluation', ['instructeur', 'responsable'], ['evaluateurAssigned']),
  t('evaluation', 'attente_cdaph', ['evaluateur'], [], false),
  t('attente_cdaph', 'decide', ['instructeur', 'responsable'], ['allRightsDecided']),
  t('decide', 'notifie', ['instructeur', 'responsable']),
  t('notifie', 'cloture', ['instructeur', 'responsable'], [], false),
  t('notifie', 'recours', ['usager', 'accueil'], ['withinAppealWindow']),
  // Closing a notified case does not take the appeal away: the window is the law's, not the file's.
  t('cloture', 'recours', ['usager', 'accueil'], ['withinAppealWindow']),
  t('recours', 'evaluation', ['instructeur', 'responsable'], ['evaluateurAssigned']),
  t('cloture', 'archive', ['responsable'], [], false),
  ...WITHDRAWABLE.map((from) => t(from, 'retire', ['usager'])),
];

/** The transition from one status to another, if the workflow has one. */
export function findTransition(from: string, to: string): Transition | undefined {
  return TRANSITIONS.find((tr) => tr.from === from && tr.to === to);
}

/** Statuses a usager can still add documents in. */
export const OPEN_FOR_PIECES: readonly CaseStatus[] = [
  'brouillon',
  'depose',
  'attente_pieces',
  'recours',
];

/** Statuses in which a case may be put on a CDAPH session's agenda (it is ready for it). */
export const ON_CDAPH_AGENDA: readonly CaseStatus[] = ['attente_cdaph'];

/** The four pieces needed for completeness (PRODUCT.md). */
export const REQUIRED_PIECES = [
  'cerfa_15692',
  'certificat_medical',
  'identite',
  'domicile',
] as const;
export type Piece = (typeof REQUIRED_PIECES)[number];

/** Which category each completeness piece is filed under. */
export const PIECE_CATEGORY: Record<Piece, DocumentCategory> = {
  cerfa_15692: 'correspondence',
  certificat_medical: 'medical',
  identite: 'identity',
  domicile: 'address',
};

/** Statuses of a decided case whose granted rights can be asked for again (renewal). */
export const RENEWABLE_FROM: readonly CaseStatus[] = ['notifie', 'cloture'];

/** Decisions that grant a right, whose end of validity calls for a renewal. */
export const GRANTING_DECISIONS: readonly string[] = ['accord', 'accord_partiel'];
