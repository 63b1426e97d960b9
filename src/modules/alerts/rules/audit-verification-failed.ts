import type { Rule } from './rule.js';

/** A row of the audit log edited, deleted or reordered behind its back: the log proves nothing. */
export const auditVerificationFailed: Rule = {
  id: 'audit-verification-failed',
  severity: 'critical',
  meaning:
    'La vérification du journal d’audit a échoué : une entrée a été modifiée, supprimée ou déplacée directement dans la base.',
  defaults: { threshold: 1, windowSeconds: 60 },
  mandatory: true,
  // One alert per breakage (objectId "<chain>:<seq>"), however often verification reports it.
  subjectOf: ({ entry }) =>
    entry.action === 'audit.verification-failed'
      ? {
          label: entry.objectId ?? 'audit-chain',
          key: entry.objectId ? { field: 'objectId', value: entry.objectId } : null,
        }
      : null,
};
