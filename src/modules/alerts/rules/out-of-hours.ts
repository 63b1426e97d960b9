import { isWithinWorkingHours, localDay } from '../working-hours.js';
import { actorSubject, touchesPersonalData, type Rule } from './rule.js';

/** Staff at work on personal files at night or at the weekend: one alert per person and day. */
export const outOfHours: Rule = {
  id: 'out-of-hours',
  severity: 'medium',
  meaning:
    'Un agent a consulté ou modifié des données personnelles en dehors des horaires de travail du département.',
  defaults: { threshold: 1, windowSeconds: 3600 },
  subjectOf: ({ entry }, { hours }) =>
    entry.actorKind === 'staff' &&
    entry.outcome === 'allowed' &&
    touchesPersonalData(entry.action) &&
    !isWithinWorkingHours(new Date(entry.at), hours)
      ? actorSubject(entry)
      : null,
  periodOf: (at, { hours }) => localDay(new Date(at), hours.timeZone),
};
