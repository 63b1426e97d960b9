import type {
  CaseStatus,
  Decision,
  DocumentCategory,
  Piece,
  RightCode,
  StaffRole,
} from '../api/vocabulary';

/** What each status is called for the people who read it. */
export const STATUS_LABEL: Record<CaseStatus, string> = {
  brouillon: 'Brouillon',
  depose: 'Déposé',
  attente_pieces: 'En attente de pièces',
  recevable: 'Recevable',
  evaluation: 'En évaluation',
  attente_cdaph: 'En attente de la CDAPH',
  decide: 'Décidé',
  notifie: 'Notifié',
  cloture: 'Clôturé',
  archive: 'Archivé',
  retire: 'Retiré',
  caduc: 'Caduc',
  recours: 'Recours',
};

/** DSFR badge severity per status (colour is never the only carrier: the text says it). */
const STATUS_SEVERITY: Record<
  CaseStatus,
  'info' | 'success' | 'warning' | 'error' | 'new' | undefined
> = {
  brouillon: undefined,
  depose: 'info',
  attente_pieces: 'warning',
  recevable: 'info',
  evaluation: 'info',
  attente_cdaph: 'info',
  decide: 'success',
  notifie: 'success',
  cloture: undefined,
  archive: undefined,
  retire: undefined,
  caduc: 'error',
  recours: 'new',
};

export const RIGHT_LABEL: Record<RightCode, string> = {
  AAH: 'Allocation aux adultes handicapés (AAH)',
  PCH: 'Prestation de compensation du handicap (PCH)',
  CMI: 'Carte mobilité inclusion (CMI)',
  RQTH: 'Reconnaissance de la qualité de travailleur handicapé (RQTH)',
  AEEH: 'Allocation d’éducation de l’enfant handicapé (AEEH)',
  ORIENTATION: 'Orientation (scolaire, professionnelle ou médico-sociale)',
};

export const DECISION_LABEL: Record<Decision, string> = {
  accord: 'Accord',
  accord_partiel: 'Accord partiel',
  rejet: 'Rejet',
};

export const PIECE_LABEL: Record<Piece, string> = {
  cerfa_15692: 'Formulaire de demande signé (Cerfa 15692)',
  certificat_medical: 'Certificat médical de moins de 12 mois (Cerfa 15695)',
  identite: 'Justificatif d’identité',
  domicile: 'Justificatif de domicile',
};

export const CATEGORY_LABEL: Record<DocumentCategory, string> = {
  identity: 'Identité',
  address: 'Domicile',
  medical: 'Médical',
  financial: 'Ressources',
  decision: 'Décisions',
  correspondence: 'Formulaires et courriers',
  other: 'Autres pièces',
};

export const ROLE_LABEL: Record<StaffRole, string> = {
  accueil: 'Agent d’accueil',
  instructeur: 'Instructeur',
  evaluateur: 'Évaluateur médical',
  responsable: 'Responsable',
  cdaph: 'Membre CDAPH',
  dpo: 'Délégué à la protection des données',
  admin: 'Administrateur',
};

/** The word for `value` in a table of the vocabulary, or the raw value when it is not in it. */
function wordFor<K extends string>(table: Record<K, string>, value: string): string {
  return Object.hasOwn(table, value) ? table[value as K] : value;
}

/** A role as people read it, whatever the API sent (a role it knows of, or the raw value). */
export function roleLabel(role: string | null | undefined): string {
  if (!role) return '—';
  return wordFor(ROLE_LABEL, role);
}

// The case schemas type statuses, rights and decisions as text (their unions are built by a
// generic helper): these read them through the tables, falling back on the value itself.

/** A case status as people read it. */
export const statusLabel = (status: string): string => wordFor(STATUS_LABEL, status);

/** The badge severity of a case status (none for a status this application does not know). */
export const statusSeverity = (status: string) =>
  Object.hasOwn(STATUS_SEVERITY, status) ? STATUS_SEVERITY[status as CaseStatus] : undefined;

/** A requested right by its full name. */
export const rightLabel = (code: string): string => wordFor(RIGHT_LABEL, code);

/** A CDAPH decision as people read it. */
export const decisionLabel = (decision: string): string => wordFor(DECISION_LABEL, decision);

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'long',
  timeZone: 'Europe/Paris',
});
const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'short',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});

/** "12 mars 2026" from an ISO day or timestamp. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  return Number.isNaN(date.getTime()) ? '—' : dateFormat.format(date);
}

/** "12/03/2026 14:05" in Paris time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : dateTimeFormat.format(date);
}

/** Today in Paris, as YYYY-MM-DD: deadlines and mandates run by the day in France. */
export function todayIso(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
}

/** A day `days` after today (Paris), as YYYY-MM-DD. */
export function dayFromToday(days: number): string {
  const date = new Date(`${todayIso()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** "1,2 Mo" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} o`;
  if (bytes < 1024 * 1024)
    return `${(bytes / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 0 })} Ko`;
  return `${(bytes / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

/** How a piece's review reads, for the usager and the agents. */
export const REVIEW_LABEL: Record<'pending' | 'accepted' | 'rejected', string> = {
  pending: 'en attente de vérification',
  accepted: 'acceptée',
  rejected: 'refusée',
};

/**
 * One line of the completeness checklist, in words (never the document itself): `received` is
 * how the reader says a piece arrived (« reçue » for the usager, « fournie » for the agents).
 */
export function pieceCheckLabel(
  check: {
    supplied: boolean;
    review: 'pending' | 'accepted' | 'rejected' | null;
    dateValid: boolean | null;
  },
  received: 'reçue' | 'fournie' = 'fournie',
): string {
  if (!check.supplied || check.review === null) return 'manquante';
  const date = check.dateValid === false ? ', date de plus de 12 mois' : '';
  return `${received}, ${REVIEW_LABEL[check.review]}${date}`;
}

/** The kinds of proof a mandate may rest on. */
export const PROOF_KIND_LABEL: Record<
  'jugement_tutelle' | 'livret_famille' | 'attestation',
  string
> = {
  jugement_tutelle: 'Jugement de tutelle ou de curatelle',
  livret_famille: 'Livret de famille',
  attestation: 'Attestation',
};
