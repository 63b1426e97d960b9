import { Problem } from '../../errors.js';
import { MIN_ACTIVE_ADMINS } from '../../policy/account.policy.js';

/** The problems of disabling and re-enabling accounts, each with a stable type. */
export const accountProblems = {
  tooFewAdmins: () =>
    new Problem(
      409,
      'too-few-admins',
      'Administrateurs trop peu nombreux',
      `Le département doit garder au moins ${MIN_ACTIVE_ADMINS} administrateurs actifs : ` +
        'chaque approbation demande un second administrateur. Faites d’abord créer ou nommer ' +
        'un autre administrateur.',
    ),
  notReenablable: () =>
    new Problem(
      409,
      'account-not-reenablable',
      'Compte non réactivable',
      'Seul un compte d’agent désactivé (départ ou inactivité) peut être réactivé ; un compte en ' +
        'cours de création suit sa propre procédure.',
    ),
};
