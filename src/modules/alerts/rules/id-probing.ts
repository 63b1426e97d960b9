import { actorSubject, type Rule } from './rule.js';

/**
 * Object ids are random UUIDs, so "sequential" probing shows as one actor answered "not found"
 * on many distinct ids: guessed, copied from elsewhere, or harvested from a leak.
 */
export const idProbing: Rule = {
  id: 'id-probing',
  severity: 'high',
  meaning:
    'Un même compte, jeton ou poste a demandé de nombreux identifiants différents qui n’existent pas ou ne lui sont pas accessibles : il essaie des numéros de dossiers ou de pièces.',
  defaults: { threshold: 10, windowSeconds: 300 },
  counts: 'distinct-objects',
  subjectOf: ({ entry }) =>
    (entry.action === 'access.missing' || entry.action === 'access.denied') && entry.objectId
      ? actorSubject(entry)
      : null,
};
