/**
 * The retention schedule: for each kind of data Cloison keeps, what it covers, the event its
 * clock starts from, how long it stays in the active base, how long it is then archived (out of
 * every queue and search, readable only for the legal purposes the rule names), and then purged.
 * The defaults say where they come from; the DPO of a département may change a duration within
 * the bounds below, and what is configured for the whole platform (the audit log, backups,
 * exports) is shown as configured, never changed by a tenant.
 */

export const RETENTION_KINDS = [
  'draft',
  'case-lapsed',
  'case-decided',
  'person-without-case',
  'unverified-signup',
  'sessions',
  'security-events',
  'exports',
  'backups',
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

const DAY = 1;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

export interface RetentionDefault {
  readonly kind: RetentionKind;
  /** What the rule covers, in plain French for the public page. */
  readonly covers: string;
  /** The event its clock starts from. */
  readonly startsFrom: string;
  /** Days in the active base after that event. */
  readonly activeDays: number;
  /** Days archived after that (0: purged at once). */
  readonly archiveDays: number;
  /** Why it is kept that long, and what the archive may still be read for. */
  readonly legalBasis: string;
  /** Where the default comes from. */
  readonly source: string;
  /**
   * Whether Cloison already deletes this kind at the end of its rule by itself; the others are
   * published and erased on request until the retention job applies them.
   */
  readonly enforced: boolean;
  /** What a DPO may set, in days; null: configured for the whole platform, not per département. */
  readonly bounds: {
    readonly active: readonly [number, number];
    readonly archive: readonly [number, number];
  } | null;
}

export const RETENTION_DEFAULTS: readonly RetentionDefault[] = [
  {
    kind: 'draft',
    covers: 'Les demandes commencées en ligne et jamais déposées, avec leurs pièces',
    startsFrom: 'la dernière modification du brouillon',
    activeDays: 3 * MONTH,
    archiveDays: 0,
    legalBasis:
      'Mission d’intérêt public (RGPD art. 6.1.e) : une demande jamais déposée ne fonde aucune instruction ; rien ne justifie de la garder au-delà',
    source:
      'Démarches simplifiées (DINUM) supprime les dossiers en brouillon après trois mois sans modification, après en avoir averti l’usager',
    enforced: false,
    bounds: { active: [1 * MONTH, 1 * YEAR], archive: [0, 0] },
  },
  {
    kind: 'case-lapsed',
    covers: 'Les demandes devenues caduques (pièces manquantes) ou retirées, et leurs pièces',
    startsFrom: 'la caducité ou le retrait de la demande',
    activeDays: 2 * YEAR,
    archiveDays: 3 * YEAR,
    legalBasis:
      'Mission d’intérêt public (RGPD art. 6.1.e ; CASF art. L146-3) : une nouvelle demande reprend souvent la précédente ; l’archive ne sert qu’à répondre à un recours ou à une réclamation',
    source:
      'CNIL, référentiel relatif au traitement de données dans le cadre de l’accompagnement social et médico-social : base active deux ans après le dernier contact, puis archivage intermédiaire',
    enforced: false,
    bounds: { active: [6 * MONTH, 5 * YEAR], archive: [0, 10 * YEAR] },
  },
  {
    kind: 'case-decided',
    covers:
      'Les demandes décidées par la CDAPH : formulaire, pièces, messages, notes, décisions et courriers',
    startsFrom: 'la fin de validité du dernier droit accordé, ou la notification d’un refus',
    activeDays: 2 * YEAR,
    archiveDays: 8 * YEAR,
    legalBasis:
      'Mission d’intérêt public (RGPD art. 6.1.e ; CASF art. L241-6) : le renouvellement des droits reprend le dossier ; l’archive ne sert qu’aux recours, aux contrôles et aux demandes de la personne',
    source:
      'CNIL, référentiel de l’accompagnement social et médico-social (deux ans en base active après le dernier contact) ; archivage intermédiaire fixé par Cloison à dix ans en tout, à ajuster avec le tableau de gestion des archives départementales',
    enforced: false,
    bounds: { active: [1 * YEAR, 5 * YEAR], archive: [0, 20 * YEAR] },
  },
  {
    kind: 'person-without-case',
    covers: 'Les personnes et les comptes qui n’ont aucune demande en cours ni archivée',
    startsFrom: 'le dernier contact : connexion, message, dépôt ou courrier',
    activeDays: 2 * YEAR,
    archiveDays: 0,
    legalBasis:
      'Mission d’intérêt public (RGPD art. 6.1.e) : sans demande, le compte ne sert qu’à en déposer une',
    source:
      'CNIL, référentiel de l’accompagnement social et médico-social : deux ans après le dernier contact',
    enforced: false,
    bounds: { active: [6 * MONTH, 3 * YEAR], archive: [0, 0] },
  },
  {
    kind: 'unverified-signup',
    covers: 'Les inscriptions dont l’adresse électronique n’a jamais été confirmée',
    startsFrom: 'l’inscription',
    activeDays: 7 * DAY,
    archiveDays: 0,
    legalBasis:
      'Mesure précontractuelle à la demande de la personne (RGPD art. 6.1.b) : le lien envoyé n’est valable que 24 heures',
    source: 'Cloison : une semaine laisse le temps de demander un nouveau lien',
    enforced: false,
    bounds: { active: [1 * DAY, 1 * MONTH], archive: [0, 0] },
  },
  {
    kind: 'sessions',
    covers:
      'Les sessions fermées et les liens à usage unique (invitation, confirmation, réinitialisation)',
    startsFrom: 'leur fin ou leur expiration',
    activeDays: 1 * MONTH,
    archiveDays: 0,
    legalBasis:
      'Sécurité du traitement (RGPD art. 32) : assez pour comprendre une connexion suspecte signalée ; les traces durables sont dans le journal d’audit',
    source: 'Cloison',
    enforced: false,
    bounds: { active: [1 * DAY, 3 * MONTH], archive: [0, 0] },
  },
  {
    kind: 'security-events',
    covers:
      'Le journal d’audit : qui a consulté ou modifié quoi, les refus et les événements de sécurité',
    startsFrom: 'l’événement',
    activeDays: 1 * YEAR,
    archiveDays: 0,
    legalBasis:
      'Sécurité du traitement (RGPD art. 32) et redevabilité (art. 5.2) : retrouver qui a eu accès à un dossier',
    source:
      'CNIL, recommandation relative aux mesures de journalisation (délibération 2021-122) : six mois à un an ; CLOISON_AUDIT_RETENTION_DAYS pour la plateforme',
    enforced: true,
    bounds: null,
  },
  {
    kind: 'exports',
    covers: 'Les fichiers d’export et de migration, chiffrés pour leur destinataire',
    startsFrom: 'leur production',
    activeDays: 90 * DAY,
    archiveDays: 0,
    legalBasis:
      'Le temps que le destinataire désigné par une instruction approuvée par le DPO les récupère : au plus l’échéance de l’instruction',
    source: 'Cloison : une instruction expire au plus tard 90 jours après avoir été donnée',
    enforced: true,
    bounds: null,
  },
  {
    kind: 'backups',
    covers: 'Les sauvegardes chiffrées de la plateforme',
    startsFrom: 'leur création',
    activeDays: 14 * DAY,
    archiveDays: 0,
    legalBasis:
      'Sécurité du traitement (RGPD art. 32.1.c) : rétablir les données après un incident ; une personne effacée depuis ne peut pas y être relue',
    source:
      'Cloison : CLOISON_BACKUP_KEEP sauvegardes, une toutes les CLOISON_BACKUP_INTERVAL_SECONDS (quatorze sauvegardes quotidiennes par défaut)',
    enforced: true,
    bounds: null,
  },
];

const BY_KIND = new Map(RETENTION_DEFAULTS.map((d) => [d.kind, d]));

export function retentionDefault(kind: RetentionKind): RetentionDefault {
  return BY_KIND.get(kind)!;
}

/** What the platform's configuration fixes for the kinds no tenant sets. */
export interface PlatformRetention {
  auditDays: number;
  /** Backups kept × their interval, in days; null when the server takes no backups. */
  backupDays: number | null;
  /** The longest an instruction (and so its export) may live. */
  exportDays: number;
}

/** A tenant's own setting of one kind. */
export interface RetentionOverride {
  kind: RetentionKind;
  activeDays: number;
  archiveDays: number;
  changedAt: string;
}

export interface RetentionRule extends RetentionDefault {
  /** Who set the durations: Cloison's default, the platform's configuration, the DPO. */
  readonly setBy: 'default' | 'platform' | 'dpo';
  readonly changedAt: string | null;
  /** False for a kind the platform keeps nothing of (no scheduled backups). */
  readonly kept: boolean;
}

/** The live schedule of a tenant: the defaults, the platform's settings, the DPO's changes. */
export function effectiveSchedule(
  overrides: readonly RetentionOverride[],
  platform: PlatformRetention,
): RetentionRule[] {
  const own = new Map(overrides.map((o) => [o.kind, o]));
  return RETENTION_DEFAULTS.map((d): RetentionRule => {
    if (d.bounds === null) {
      const days =
        d.kind === 'security-events'
          ? platform.auditDays
          : d.kind === 'backups'
            ? platform.backupDays
            : platform.exportDays;
      return {
        ...d,
        activeDays: days ?? 0,
        setBy: 'platform',
        changedAt: null,
        kept: days !== null,
      };
    }
    const o = own.get(d.kind);
    return o
      ? {
          ...d,
          activeDays: o.activeDays,
          archiveDays: o.archiveDays,
          setBy: 'dpo',
          changedAt: o.changedAt,
          kept: true,
        }
      : { ...d, setBy: 'default', changedAt: null, kept: true };
  });
}

/** Why a DPO's change of a rule is refused, in French; null when it may be made. */
export function refuseRuleChange(
  kind: RetentionKind,
  change: { activeDays: number; archiveDays: number },
): string | null {
  const d = retentionDefault(kind);
  if (d.bounds === null) {
    return 'Cette durée est fixée par la configuration de la plateforme, pas par le département.';
  }
  const [minActive, maxActive] = d.bounds.active;
  const [minArchive, maxArchive] = d.bounds.archive;
  if (change.activeDays < minActive || change.activeDays > maxActive) {
    return `La durée en base active doit être comprise entre ${minActive} et ${maxActive} jours.`;
  }
  if (change.archiveDays < minArchive || change.archiveDays > maxArchive) {
    return maxArchive === 0
      ? 'Ces données ne sont pas archivées : elles sont supprimées au terme de la durée active.'
      : `La durée d’archivage doit être comprise entre ${minArchive} et ${maxArchive} jours.`;
  }
  return null;
}
