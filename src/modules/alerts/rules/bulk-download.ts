import { actorSubject, type Rule } from './rule.js';

/** Many downloads in a short time: a file being copied out wholesale rather than read. */
export const bulkDownload: Rule = {
  id: 'bulk-download',
  severity: 'high',
  meaning:
    'Un même compte ou jeton a téléchargé un grand nombre de pièces en peu de temps : possible copie massive de dossiers.',
  defaults: { threshold: 30, windowSeconds: 600 },
  // An export's file counts as a download like any piece: whoever pulls exports and pieces in
  // bulk is seen by the same count (each export download is also a security event of its own).
  subjectOf: ({ entry }) =>
    (entry.action === 'document.read' || entry.action === 'export.download') &&
    entry.outcome === 'allowed'
      ? actorSubject(entry)
      : null,
};
