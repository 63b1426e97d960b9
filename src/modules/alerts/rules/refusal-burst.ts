import { actorSubject, type Rule } from './rule.js';

/** THREATS.md T6: "make 50 denied requests in a minute: an alert reaches the webhook". */
export const refusalBurst: Rule = {
  id: 'refusal-burst',
  severity: 'high',
  meaning:
    'Un même compte, jeton ou poste s’est vu refuser de nombreuses requêtes en peu de temps : il cherche ce qu’il n’a pas le droit d’ouvrir.',
  // The threshold is CLOISON_ALERT_REFUSALS_PER_MINUTE (settings.ts).
  defaults: { threshold: 50, windowSeconds: 60 },
  subjectOf: ({ entry }) => (entry.outcome === 'refused' ? actorSubject(entry) : null),
};
