import type { Decision, RightCode } from '../../policy/vocabulary.js';

/** The rights as a notification names them. */
export const RIGHT_LABELS: Record<RightCode, string> = {
  AAH: 'Allocation aux adultes handicapés (AAH)',
  PCH: 'Prestation de compensation du handicap (PCH)',
  CMI: 'Carte mobilité inclusion (CMI)',
  RQTH: 'Reconnaissance de la qualité de travailleur handicapé (RQTH)',
  AEEH: 'Allocation d’éducation de l’enfant handicapé (AEEH)',
  ORIENTATION: 'Orientation vers un établissement, un service ou le milieu professionnel',
};

export const DECISION_LABELS: Record<Decision, string> = {
  accord: 'accord',
  accord_partiel: 'accord partiel',
  rejet: 'rejet',
};

/**
 * « Voies et délais de recours »: the mandatory administrative appeal first (CASF L. 241-9 and
 * R. 241-35, code de la sécurité sociale R. 142-1), conciliation, then the court that hears each
 * kind of decision once the appeal is answered.
 */
export function appealText(deadline: string): string[] {
  return [
    'Si vous contestez cette décision, vous devez d’abord former un recours administratif ' +
      'préalable obligatoire (RAPO) auprès de la MDPH dans un délai de deux mois à compter de ' +
      `la notification de la présente décision, soit au plus tard le ${deadline}. Vous pouvez ` +
      'le faire depuis votre espace en ligne (bouton « Contester la décision » de votre ' +
      'dossier) ou par courrier adressé à la MDPH, en joignant une copie de cette notification.',
    'Vous pouvez aussi demander, dans le même délai, l’intervention d’une personne qualifiée ' +
      'chargée d’une mission de conciliation (article L. 146-10 du code de l’action sociale et ' +
      'des familles) ; cette demande suspend le délai de recours.',
    'Si la réponse à votre recours administratif ne vous satisfait pas, vous pourrez saisir, ' +
      'dans un délai de deux mois à compter de sa notification, le tribunal judiciaire (pôle ' +
      'social) pour les décisions relatives à l’AAH, à la PCH, à l’AEEH, à la carte mobilité ' +
      'inclusion mentions « invalidité » et « priorité » et aux orientations vers un ' +
      'établissement ou un service, ou le tribunal administratif pour la RQTH, l’orientation ' +
      'professionnelle et la carte mobilité inclusion mention « stationnement ».',
  ];
}

/** The CDAPH's formations as a letter names them (« réunie en formation plénière »). */
export const FORMATION_LABELS: Record<string, string> = {
  pleniere: 'plénière',
  adultes: 'adultes',
  enfants: 'enfants',
  restreinte: 'restreinte',
};
