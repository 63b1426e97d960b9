import type { MandateKind, PersonView } from '../api/persons';

export const MANDATE_LABEL: Record<MandateKind, string> = {
  parent: 'Parent',
  tuteur: 'Tuteur ou curateur',
  aidant: 'Aidant',
};

/** A person I may file for today: myself, or a represented person with a verified mandate. */
export function mayFileFor(p: PersonView, today: string): boolean {
  if (p.relation === 'self') return true;
  const m = p.mandate;
  return m !== null && m.verified && m.startsOn <= today && today <= m.endsOn;
}

/** "Prénom Nom". */
export const fullName = (p: { firstName: string; lastName: string }) =>
  `${p.firstName} ${p.lastName}`;
