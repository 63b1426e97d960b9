import type { Rule } from './rule.js';

/** THREATS.md T5: a former employee's credentials still tried, years later (Illuminate). */
export const disabledAccountLogin: Rule = {
  id: 'disabled-account-login',
  severity: 'high',
  meaning:
    'Quelqu’un a tenté de se connecter à un compte désactivé ou dormant (ancien agent, compte inutilisé) : ses identifiants circulent peut-être encore.',
  defaults: { threshold: 1, windowSeconds: 3600 },
  // About the account tried, whoever tried it: the attempt is made before anyone is signed in.
  subjectOf: ({ entry }) =>
    entry.action === 'login.disabled-account' && entry.objectId
      ? { label: entry.objectId, key: { field: 'objectId', value: entry.objectId } }
      : null,
};
