const LONG = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' });

/** A YYYY-MM-DD day as a French letter writes it: « 31 décembre 2031 », « 1er juin 2026 ». */
export function frenchDay(day: string): string {
  return LONG.format(new Date(`${day}T00:00:00Z`)).replace(/^1 /, '1er ');
}
