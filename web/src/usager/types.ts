/** GET /api/v1/persons: myself and the persons I represent. */
export interface PersonView {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  relation: 'self' | 'represented';
  mandate: {
    id: string;
    kind: 'parent' | 'tuteur' | 'aidant';
    startsOn: string;
    endsOn: string;
    verified: boolean;
  } | null;
}

/** One access by staff to my file (GET /api/v1/me/consultations). */
export interface ConsultationView {
  at: string;
  role: string | null;
  service: string | null;
  purpose: string | null;
  action: string;
  caseReference: string;
  agentName?: string;
}

export const MANDATE_LABEL: Record<'parent' | 'tuteur' | 'aidant', string> = {
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

export const fullName = (p: { firstName: string; lastName: string }) =>
  `${p.firstName} ${p.lastName}`;
