import type { Rule } from './rule.js';

/**
 * THREATS.md T6, the insider: the agent who prints an invitation knows its code and the
 * person's birth date, so a file claimed from that agent's own address may be theirs now.
 */
export const invitationClaimedFromInviterAddress: Rule = {
  id: 'invitation-claimed-from-inviter-address',
  severity: 'high',
  meaning:
    'Un dossier papier a été repris en ligne depuis une adresse utilisée par l’agent qui a créé l’invitation : vérifier que le compte est bien celui de la personne.',
  defaults: { threshold: 1, windowSeconds: 3600 },
  // About the file taken over: each one is checked on its own, whoever claimed it.
  subjectOf: ({ entry }) =>
    entry.action === 'invitation.claimed-from-inviter-address' && entry.objectId
      ? { label: entry.objectId, key: { field: 'objectId', value: entry.objectId } }
      : null,
};
