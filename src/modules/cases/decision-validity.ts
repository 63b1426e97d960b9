/*
 * What a decision on a right must carry to be sane: an accord (total or partial) is granted for
 * a period that starts no earlier than the request was submitted, ends after it starts and lasts
 * twenty years at most (the longest the CDAPH grants, for a lasting situation); a rejection has no
 * period. A rejection and a partial accord must say why.
 */

/** The longest validity the CDAPH grants. */
export const MAX_VALIDITY_YEARS = 20;

export interface DecisionInput {
  readonly decision: 'accord' | 'accord_partiel' | 'rejet';
  readonly reason?: string | undefined;
  readonly validFrom?: string | undefined;
  readonly validUntil?: string | undefined;
}

function addYears(day: string, years: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

/** Why the decision is refused (a sentence for the 400), or null when it holds. */
export function decisionProblem(input: DecisionInput, submittedOn: string | null): string | null {
  const { decision, reason, validFrom, validUntil } = input;
  if ((decision === 'rejet' || decision === 'accord_partiel') && reason === undefined) {
    return 'Un rejet ou un accord partiel doit être motivé.';
  }
  if (decision === 'rejet') {
    return validFrom !== undefined || validUntil !== undefined
      ? 'Un rejet n’a pas de période de validité.'
      : null;
  }
  if (validFrom === undefined || validUntil === undefined) {
    return 'Un accord porte une date de début et une date de fin de validité.';
  }
  if (submittedOn !== null && validFrom < submittedOn) {
    return 'La validité ne commence pas avant le dépôt de la demande.';
  }
  if (validUntil <= validFrom) return 'La fin de validité suit son début.';
  if (validUntil > addYears(validFrom, MAX_VALIDITY_YEARS)) {
    return `La validité dure ${MAX_VALIDITY_YEARS} ans au plus.`;
  }
  return null;
}
