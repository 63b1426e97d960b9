import { actorSubject, type Rule } from './rule.js';

/**
 * The decoy case is listed nowhere: its id is known only to whoever read the database, a
 * backup or an export, or probed for it. Any event naming it, allowed or refused, is a signal.
 */
export const decoyTouched: Rule = {
  id: 'decoy-touched',
  severity: 'critical',
  meaning:
    'Le dossier leurre, invisible dans toutes les listes, a été ouvert ou demandé : quelqu’un utilise des identifiants obtenus hors de l’application (base copiée, export, fuite).',
  defaults: { threshold: 1, windowSeconds: 60 },
  mandatory: true,
  subjectOf: ({ entry }, { decoyObjects }) =>
    entry.objectId !== null && decoyObjects.has(entry.objectId)
      ? (actorSubject(entry) ?? { label: `${entry.actorKind}`, key: null })
      : null,
};
