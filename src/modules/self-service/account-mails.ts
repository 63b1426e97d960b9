import type { DbOrTx } from '../../db/database.js';
import { TOKEN_LIFETIME_MINUTES } from '../auth/one-time-tokens.js';
import { enqueueMail, type OutboxDeps } from '../outbox/enqueue.js';

/*
 * Anyone can make Cloison send these mails to any address: they carry no text the requester
 * typed (no name, no message), so they cannot be turned into phishing from a trusted sender.
 * Links put the token in the fragment, which browsers never send to a server or a proxy log.
 * The token also stands alone on its own line: a client of the API (or someone reading a demo
 * .eml file, whose lines are quoted-printable) can copy it whole.
 */

/** A mail's subject and text, before it is queued for someone. */
export interface MailText {
  readonly subject: string;
  readonly text: string;
}

/**
 * Queues a mail to an account in the caller's transaction (src/modules/outbox): it leaves only if
 * what it announces commits, and its address is the account's when it leaves. Queuing is a
 * sealed insert, the same small work for every account: composing and the SMTP exchange happen
 * in the worker, off the request's path, so answers about known addresses are not slower.
 */
export async function queueAccountMail(
  trx: DbOrTx,
  deps: OutboxDeps,
  account: { readonly id: string; readonly tenant_id: string | null },
  topic: string,
  mail: MailText,
): Promise<void> {
  await enqueueMail(trx, deps, {
    tenantId: account.tenant_id,
    topic,
    to: { accountId: account.id },
    subject: mail.subject,
    text: mail.text,
  });
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
export function verificationMail(origin: string, token: string): MailText {
  const hours = TOKEN_LIFETIME_MINUTES['verify-email'] / 60;
  return {
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
export function signupAttemptMail(origin: string, token: string): MailText {
  return {
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
export function resetMail(origin: string, token: string): MailText {
  return {
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
export function passwordChangedMail(): MailText {
  return {
    subject: 'Votre mot de passe a été changé',
    text:
      'Bonjour,\n\nLe mot de passe de votre compte Cloison vient d’être changé, et toutes ses ' +
      'sessions ont été fermées.\n\nSi ce n’est pas vous, contactez votre MDPH sans attendre.' +
      SIGNATURE,
  };
}
