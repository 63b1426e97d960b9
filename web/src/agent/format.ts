import type { CaseSummary } from '../api/cases';
import { formatDate, todayIso } from '../ui/labels';

/** A deadline in words, with "dépassé" when it is past (never colour alone). */
export function deadlineText(
  day: string | null,
  overdue = day !== null && day < todayIso(),
): string {
  if (!day) return '—';
  return overdue ? `${formatDate(day)} (dépassé)` : formatDate(day);
}

/**
 * The CDAPH's 4 months as the server keeps them (from the day the request was found complete):
 * its day and whether it is past, on the server's own today.
 */
export function instructionDeadlineText(c: Pick<CaseSummary, 'deadlines'>): string {
  return deadlineText(c.deadlines.instructionDeadline, c.deadlines.instructionOverdue);
}

/** Who a case is assigned to, in words; names when the staff list is known (responsable). */
export function assigneeLines(
  c: Pick<CaseSummary, 'instructeurId' | 'evaluateurId' | 'team'>,
  myId: string,
  names: Map<string, string>,
): string[] {
  const who = (id: string) => (id === myId ? 'vous' : (names.get(id) ?? 'un autre agent'));
  const lines: string[] = [];
  if (c.instructeurId) lines.push(`Instructeur : ${who(c.instructeurId)}`);
  if (c.evaluateurId) lines.push(`Évaluateur : ${who(c.evaluateurId)}`);
  if (c.team) lines.push(`Équipe : ${c.team}`);
  return lines.length > 0 ? lines : ['Non assigné'];
}
