import { actorSubject, type Rule } from './rule.js';

/** THREATS.md T5: one account, one named person; two devices at once is a shared or stolen one. */
export const concurrentSessions: Rule = {
  id: 'concurrent-sessions',
  severity: 'medium',
  meaning:
    'Un même compte d’agent est connecté depuis deux appareils à la fois : compte partagé ou identifiants volés.',
  defaults: { threshold: 1, windowSeconds: 3600 },
  subjectOf: ({ entry }) => (entry.action === 'session.concurrent' ? actorSubject(entry) : null),
};
