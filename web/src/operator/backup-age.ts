/** How long ago, and how stale, a backup is: in words an operator reads at a glance. */

/** Past this age the last good backup is overdue (a daily run, plus two hours' grace). */
export const STALE_AFTER_SECONDS = 26 * 3600;

const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;

/** "il y a 3 heures et 12 minutes", "il y a 2 jours et 4 heures", "il y a moins d’une minute". */
export function ageInWords(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (minutes < 1) return 'il y a moins d’une minute';
  if (hours < 1) return `il y a ${plural(minutes, 'minute')}`;
  if (days < 1) {
    const rest = minutes % 60;
    return `il y a ${plural(hours, 'heure')}${rest ? ` et ${plural(rest, 'minute')}` : ''}`;
  }
  const rest = hours % 24;
  return `il y a ${plural(days, 'jour')}${rest ? ` et ${plural(rest, 'heure')}` : ''}`;
}

/** "toutes les 24 heures", "toutes les 30 minutes": the schedule's interval in words. */
export function intervalInWords(seconds: number): string {
  if (seconds % 86400 === 0 && seconds >= 86400)
    return seconds === 86400 ? 'tous les jours' : `tous les ${seconds / 86400} jours`;
  if (seconds % 3600 === 0)
    return seconds === 3600 ? 'toutes les heures' : `toutes les ${seconds / 3600} heures`;
  if (seconds % 60 === 0) return `toutes les ${plural(seconds / 60, 'minute')}`;
  return `toutes les ${plural(seconds, 'seconde')}`;
}
