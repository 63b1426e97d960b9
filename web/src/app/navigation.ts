import type { Me } from '../api/auth';

export interface NavItem {
  text: string;
  to: string;
}

/**
 * The main navigation of each kind of person. It only shows the way: every page's data comes
 * from the API, which decides again (a link shown by mistake leads to a refusal, nothing more).
 */
export function navigationFor(me: Me): NavItem[] {
  if (me.kind === 'usager') {
    return [
      { text: 'Mes demandes', to: '/mon-espace' },
      { text: 'Nouvelle demande', to: '/mon-espace/nouvelle-demande' },
      { text: 'Qui a consulté mon dossier', to: '/mon-espace/consultations' },
      { text: 'Mes données', to: '/mon-espace/mes-donnees' },
      { text: 'Personnes représentées', to: '/mon-espace/mandats' },
    ];
  }
  if (me.kind === 'operateur') {
    return [
      { text: 'Départements', to: '/exploitation/departements' },
      { text: 'Sauvegardes', to: '/exploitation/sauvegardes' },
    ];
  }
  switch (me.role) {
    case 'admin':
      return [
        { text: 'Agents', to: '/administration/agents' },
        { text: 'Demandes à approuver', to: '/administration/approbations' },
        { text: 'Revue des accès', to: '/administration/revue-des-acces' },
        { text: 'Alertes', to: '/administration/alertes' },
        { text: 'Exports et migrations', to: '/administration/exports' },
      ];
    case 'dpo':
      return [
        { text: 'Journal d’audit', to: '/administration/audit' },
        { text: 'Alertes', to: '/administration/alertes' },
        { text: 'Revue des accès', to: '/administration/revue-des-acces' },
        { text: 'Bris de glace', to: '/administration/bris-de-glace' },
        { text: 'Exports à approuver', to: '/administration/exports-a-approuver' },
        { text: 'Conservation', to: '/administration/conservation' },
      ];
    case 'responsable':
      return [
        { text: 'Dossiers', to: '/instruction' },
        { text: 'Séances CDAPH', to: '/instruction/seances' },
        { text: 'Revue des accès', to: '/administration/revue-des-acces' },
        { text: 'Mandats', to: '/instruction/mandats' },
        { text: 'Exports et migrations', to: '/administration/exports' },
      ];
    case 'accueil':
      return [
        { text: 'Dossiers', to: '/instruction' },
        { text: 'Demande papier', to: '/instruction/dossier-papier' },
        { text: 'Mandats', to: '/instruction/mandats' },
      ];
    case 'instructeur':
      return [
        { text: 'Dossiers', to: '/instruction' },
        { text: 'Mandats', to: '/instruction/mandats' },
      ];
    case 'cdaph':
      return [
        { text: 'Dossiers', to: '/instruction' },
        { text: 'Mes séances', to: '/instruction/seances' },
      ];
    default:
      return [{ text: 'Dossiers', to: '/instruction' }];
  }
}
