import type { AppDeps } from '../../deps.js';
import type { OutgoingMail } from '../../mail/mailer.js';
import { TOKEN_LIFETIME_MINUTES } from '../auth/one-time-tokens.js';
import { outsideCommitHook } from '../../db/commit-hooks.js';
import { currentPendingCommits } from '../../db/durability.js';

/*
 * Anyone can make Cloison send these mails to any address: they carry no text the requester
 * typed (no name, no message), so they cannot be turned into phishing from a trusted sender.
 * Links put the token in the fragment, which browsers never send to a server or a proxy log.
 * The token also stands alone on its own line: a client of the API (or someone reading a demo
 * .eml file, whose lines are quoted-printable) can copy it whole.
 */

/**
 * Hands a mail to the mailer once what it announces is on disk (the request's commits), and off
 * the request's path: even composing it and opening the SMTP connection take the event loop a
 * moment, which would make answers about known addresses slower than the others. A change that
 * is never committed sends no mail.
 */
export function mailAfterResponse(deps: Pick<AppDeps, 'mailer'>, mail: OutgoingMail): void {
  const unit = currentPendingCommits();
  outsideCommitHook(() =>
    setImmediate(() => {
      (unit ? unit.settled() : Promise.resolve()).then(
        () => deps.mailer.deliverLater(mail),
        () => undefined,
      );
    }),
  );
}

const SIGNATURE = '\n\n-- \nCloison, portail de votre MDPH. Ne répondez pas à ce message.';

/**
 * The link of every mailed token: the web page that redeems it, the token in the fragment
 * (`#jeton=`), which the web application reads once and wipes from the address bar.
 */
export function tokenLink(origin: string, page: string, token: string): string {
  return `${origin}${page}#jeton=${token}`;
}

/** A page link carrying the token, then the token alone. */
function linkAndCode(origin: string, page: string, token: string): string {
  return `${tokenLink(origin, page, token)}\n\nou ce code :\n\n${token}`;
}

function resetLink(origin: string, token: string): string {
  return linkAndCode(origin, '/compte/nouveau-mot-de-passe', token);
}

/** To a new usager: confirm the address before the account can be used. */
export function verificationMail(origin: string, to: string, token: string): OutgoingMail {
  const hours = TOKEN_LIFETIME_MINUTES['verify-email'] / 60;
  return {
    to,
    subject: 'Confirmez votre adresse e-mail',
    text:
      'Bonjour,\n\nUn compte Cloison vient d’être créé avec cette adresse. Pour l’activer, ' +
      `ouvrez ce lien (valable ${hours} heures, une seule fois) :\n\n` +
      `${linkAndCode(origin, '/compte/verifier-adresse', token)}\n\n` +
      'Vous n’avez rien demandé ? Ignorez ce message : sans confirmation, le compte reste ' +
      'inutilisable.' +
      SIGNATURE,
  };
}

/** To the owner of an address someone tried to sign up with again. */
export function signupAttemptMail(origin: string, to: string, token: string): OutgoingMail {
  return {
    to,
    subject: 'Tentative d’inscription avec votre adresse',
    text:
      'Bonjour,\n\nQuelqu’un, peut-être vous, a voulu créer un compte Cloison avec cette ' +
      'adresse, qui en a déjà un. Aucun compte n’a été créé.\n\n' +
      'Si vous avez oublié votre mot de passe, choisissez-en un nouveau avec ce lien (valable ' +
      `${TOKEN_LIFETIME_MINUTES['reset-password']} minutes, une seule fois) :\n\n` +
      `${resetLink(origin, token)}\n\n` +
      'Sinon, ignorez ce message : votre compte n’a pas changé.' +
      SIGNATURE,
  };
}

/** A password reset link, as asked. */
export function resetMail(origin: string, to: string, token: string): OutgoingMail {
  return {
    to,
    subject: 'Choisir un nouveau mot de passe',
    text:
      'Bonjour,\n\nUne demande de nouveau mot de passe a été faite pour votre compte Cloison. ' +
      `Ce lien est valable ${TOKEN_LIFETIME_MINUTES['reset-password']} minutes, une seule fois :` +
      `\n\n${resetLink(origin, token)}\n\n` +
      'Vous n’avez rien demandé ? Ignorez ce message : votre mot de passe ne change pas.' +
      SIGNATURE,
  };
}

/** After a reset: the owner learns of it even if someone else did it. */
export function passwordChangedMail(to: string): OutgoingMail {
  return {
    to,
    subject: 'Votre mot de passe a été changé',
    text:
      'Bonjour,\n\nLe mot de passe de votre compte Cloison vient d’être changé, et toutes ses ' +
      'sessions ont été fermées.\n\nSi ce n’est pas vous, contactez votre MDPH sans attendre.' +
      SIGNATURE,
  };
}
