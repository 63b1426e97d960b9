/**
 * The deadlines the server keeps for a case, computed from dates it recorded itself, never from
 * the client. Days are calendar days in YYYY-MM-DD (the format mandates and deadlines are
 * stored in); a deadline is the last day on which the act is still in time.
 */
import { nextWorkingDay } from './working-days.js';

/** Silence of the CDAPH this long after a complete request is an implicit rejection (CASF R241-33). */
export const INSTRUCTION_DEADLINE_MONTHS = 4;
/** The recours administratif préalable obligatoire is open this long after the notification. */
export const APPEAL_WINDOW_MONTHS = 2;
/** The usager is reminded this many days before the missing-pieces deadline. */
export const LAPSE_REMINDER_DAYS = 7;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(day: string): [number, number, number] {
  const m = DAY.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function format(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The same day `months` later; when that month is shorter, its last day (a request complete on
 * 31 October has until 28 or 29 February, not 3 March).
 */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = parts(day);
  const lastOfTarget = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return format(new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastOfTarget))));
}

/** `days` later (negative: earlier). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = parts(day);
  return format(new Date(Date.UTC(y, m - 1, d + days)));
}

/** The last day the CDAPH can decide before its silence is a rejection, from the complete date. */
export function instructionDeadline(completeOn: string): string {
  return addMonths(completeOn, INSTRUCTION_DEADLINE_MONTHS);
}

/**
 * The last day an appeal can be made, from the day the decision was notified: two months, run
 * to the next working day when they end on a weekend or a public holiday (the usager could not
 * act on it).
 */
export function appealDeadline(notifiedOn: string): string {
  return nextWorkingDay(addMonths(notifiedOn, APPEAL_WINDOW_MONTHS));
}

/** Whether an appeal made `today` is within the window of a decision notified `notifiedOn`. */
export function withinAppealWindow(notifiedOn: string, today: string): boolean {
  return today <= appealDeadline(notifiedOn);
}

/** The day the usager is reminded that their pieces are due. */
export function lapseReminderDay(piecesDeadline: string): string {
  return addDays(piecesDeadline, -LAPSE_REMINDER_DAYS);
}

/** The day a granted right's renewal reminder is due, `monthsBefore` its end of validity. */
export function renewalReminderDay(validUntil: string, monthsBefore: number): string {
  return addMonths(validUntil, -monthsBefore);
}

/** Whether a deadline is past on `today` (the deadline day itself is still in time). */
export function isPast(deadline: string | null, today: string): boolean {
  return deadline !== null && deadline < today;
}

/**
 * Statuses in which a decision is due: complete and not yet notified (the CDAPH's 4 months), or
 * under appeal (the MDPH's 2 months to answer the recours).
 */
export const INSTRUCTION_RUNNING = [
  'recevable',
  'evaluation',
  'attente_cdaph',
  'decide',
  'recours',
] as const;

/** Silence of the MDPH this long after an appeal is a rejection of it (CRPA L. 231-4). */
export const APPEAL_ANSWER_MONTHS = 2;

/** The deadlines of a case as queues and pages show them, on `today`. */
export function caseDeadlines(
  c: {
    readonly status: string;
    readonly pieces_deadline: string | null;
    readonly instruction_due_on: string | null;
    readonly notified_on: string | null;
  },
  today: string,
) {
  const pieces = c.status === 'attente_pieces' ? c.pieces_deadline : null;
  const instruction = (INSTRUCTION_RUNNING as readonly string[]).includes(c.status)
    ? c.instruction_due_on
    : null;
  const appeal =
    (c.status === 'notifie' || c.status === 'cloture') && c.notified_on
      ? appealDeadline(c.notified_on)
      : null;
  return {
    piecesOverdue: isPast(pieces, today),
    instructionDeadline: instruction,
    instructionOverdue: isPast(instruction, today),
    appealDeadline: appeal,
    appealOpen: appeal !== null && !isPast(appeal, today),
  };
}
