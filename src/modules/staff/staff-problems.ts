import { Problem, problems } from '../../errors.js';

/** The problems of the staff lifecycle, each with a stable type clients may switch on. */
export const staffProblems = {
  notPersonal: (detail: string) =>
    new Problem(400, 'not-a-personal-account', 'Compte non nominatif', detail),
  emailUnavailable: () =>
    new Problem(
      409,
      'email-unavailable',
      'Adresse indisponible',
      'Cette adresse ne peut pas être utilisée pour un nouveau compte agent.',
    ),
  notAManager: () =>
    new Problem(
      400,
      'not-a-manager',
      'Responsable inconnu',
      'Le responsable indiqué n’est pas un responsable actif de votre département.',
    ),
  expiryNotFuture: () =>
    new Problem(
      400,
      'expiry-not-in-future',
      'Échéance invalide',
      'L’échéance d’un droit temporaire doit être dans le futur (au plus un an).',
    ),
  requestPending: () =>
    new Problem(
      409,
      'request-pending',
      'Demande déjà en cours',
      'Une demande attend déjà la décision d’un administrateur pour ce compte.',
    ),
  accountNotActive: () =>
    new Problem(
      409,
      'account-not-active',
      'Compte inactif',
      'Ce compte n’est pas actif : un rôle ne peut pas lui être attribué.',
    ),
  alreadyDecided: () =>
    new Problem(
      409,
      'already-decided',
      'Demande déjà traitée',
      'Cette demande a déjà été traitée.',
    ),
  secondAdminRequired: () =>
    new Problem(
      403,
      'second-admin-required',
      'Décision réservée à un autre administrateur',
      'Une demande ne peut être décidée ni par la personne qui l’a faite, ni par celle qu’elle concerne.',
    ),
  mailUnavailable: () =>
    problems.mailUnavailable(
      'Aucun serveur SMTP n’est configuré (CLOISON_SMTP_URL) : le lien d’activation ne pourrait pas être envoyé. ' +
        'La demande reste en attente.',
    ),
  invalidToken: () =>
    problems.invalidToken(
      'Ce lien d’activation est invalide, expiré ou déjà utilisé. Demandez-en un nouveau à votre administrateur.',
    ),
};
