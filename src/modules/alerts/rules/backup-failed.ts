import type { Rule } from './rule.js';

/** A scheduled backup was not taken: until one is, a disaster would lose everything since the last. */
export const backupFailed: Rule = {
  id: 'backup-failed',
  severity: 'high',
  meaning:
    'La sauvegarde planifiée a échoué : tant qu’une sauvegarde n’a pas réussi, une panne ferait perdre tout ce qui a changé depuis la précédente.',
  defaults: { threshold: 1, windowSeconds: 60 },
  mandatory: true,
  platform: true,
  // One alert per failed run; only the platform's chain records backups.
  subjectOf: ({ entry }) =>
    entry.action === 'backup.failed' && entry.tenant === null
      ? {
          label: 'backup',
          key: entry.objectId ? { field: 'objectId', value: entry.objectId } : null,
        }
      : null,
};
