import { actorSubject, type Rule } from './rule.js';

/** Many downloads in a short time: a file being copied out wholesale rather than read. */
export const bulkDownload: Rule = {
  id: 'bulk-download',
  severity: 'high',
  meaning:
    'Un même compte ou jeton a téléchargé un grand nombre de pièces en peu de temps : possible copie massive de dossiers.',
  defaults: { threshold: 30, windowSeconds: 600 },
  subjectOf: ({ entry }) =>
    entry.action === 'document.read' && entry.outcome === 'allowed' ? actorSubject(entry) : null,
};
