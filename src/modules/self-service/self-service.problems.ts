import { Problem } from '../../errors.js';

/** One answer for a token unknown, expired, already used or of another purpose. */
export function invalidToken(): Problem {
  return new Problem(
    400,
    'invalid-token',
    'Lien invalide ou expiré',
    'Ce lien a déjà servi, a expiré ou n’est pas valide. Demandez-en un nouveau.',
  );
}

/** No SMTP server outside demo mode: nothing that depends on a mail can be done. */
export function mailUnavailable(): Problem {
  return new Problem(
    503,
    'mail-unavailable',
    'Envoi d’e-mails indisponible',
    'Ce service ne peut pas envoyer d’e-mails pour le moment. Réessayez plus tard ou ' +
      'contactez votre MDPH.',
  );
}
