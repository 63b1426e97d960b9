import type { CdaphFormation, CdaphSessionStatus } from '../../api/vocabulary';

export const FORMATION_LABEL: Record<CdaphFormation, string> = {
  pleniere: 'Plénière',
  adultes: 'Adultes',
  enfants: 'Enfants',
  restreinte: 'Restreinte',
};

export const SESSION_STATUS_LABEL: Record<CdaphSessionStatus, string> = {
  planned: 'Prévue',
  in_progress: 'En cours',
  closed: 'Close',
};
