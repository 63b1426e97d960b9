import type { CaseSummary } from '../api/cases';
import { formatDate, todayIso } from '../ui/labels';

/** The legal deadline of a case: four months after it was submitted (null for a draft). */
export function legalDeadline(submittedAt: string | null): string | null {
  if (!submittedAt) return null;
  const date = new Date(submittedAt);
  if (Number.isNaN(date.getTime())) return null;
  date.setUTCMonth(date.getUTCMonth() + 4);
  return date.toISOString().slice(0, 10);
}

/** A deadline in words, with "dépassé" when it is past (never colour alone). */
export function deadlineText(day: string | null): string {
  if (!day) return '—';
  return day < todayIso() ? `${formatDate(day)} (dépassé)` : formatDate(day);
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
