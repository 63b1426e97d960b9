/**
 * The medical certificate counts for twelve months (Cerfa 15695): a date is checked at upload,
 * again when the case is filed, and again at the completeness guard, since a certificate that
 * was fresh at upload ages while the case waits.
 */

/** The same calendar day twelve months before `today` (YYYY-MM-DD, compared as text). */
function twelveMonthsBefore(today: string): string {
  const year = Number(today.slice(0, 4));
  return `${String(year - 1).padStart(4, '0')}${today.slice(4)}`;
}

/** Whether a certificate issued on `issuedOn` still counts on `today` (both YYYY-MM-DD). */
export function certificateIsFresh(issuedOn: string, today: string): boolean {
  return issuedOn <= today && issuedOn >= twelveMonthsBefore(today);
}

/**
 * Why a certificate date given at upload is refused, or null when it is acceptable: in the
 * future, before the person was born, or older than twelve months.
 */
export function certificateDateProblem(
  issuedOn: string,
  today: string,
  birthDate: string,
): string | null {
  if (issuedOn > today) return 'La date du certificat médical est dans le futur.';
  if (issuedOn < birthDate) {
    return 'La date du certificat médical précède la date de naissance de la personne.';
  }
  if (!certificateIsFresh(issuedOn, today)) {
    return 'Le certificat médical date de plus de 12 mois : un certificat récent est requis.';
  }
  return null;
}
