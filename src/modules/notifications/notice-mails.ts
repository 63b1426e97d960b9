import type { CaseNotice } from './notices.js';

/*
 * Every mail the usager receives about their file, in one place. A mail may be read by someone
 * else (a shared mailbox, a screen over a shoulder), may sit for years in a provider's storage:
 * it says that something changed and where to look, never what. No name, no right (AAH, PCH...),
 * no diagnosis, no case reference, no message text. A date is allowed: a deadline is what the
 * mail is for, and a date alone says nothing about anyone.
 */

/** A mail's subject and text. */
export interface NoticeMail {
  readonly subject: string;
  readonly text: string;
}

const SIGNATURE =
  '\n\n-- \nCloison, portail de votre MDPH. Ne répondez pas à ce message : ' +
  'il n’est pas lu. Pour échanger avec la MDPH, utilisez la messagerie du portail.';

/** "2027-01-15" → "15/01/2027"; anything else is left out. */
function frenchDate(day: string | undefined): string | null {
  const m = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : null;
}

const CONNECT = (origin: string) =>
  `Pour en savoir plus, connectez-vous au portail de votre MDPH :\n\n${origin}/`;

/** What each notice says, before the link. */
const NOTICES: Record<CaseNotice, { subject: string; lead: (deadline: string | null) => string }> =
  {
    'pieces-requested': {
      subject: 'Des pièces sont attendues pour votre dossier',
      lead: (d) =>
        'Votre MDPH a besoin de pièces complémentaires pour un dossier que vous suivez' +
        (d ? `, au plus tard le ${d}.` : '.') +
        ' Sans elles, le dossier ne peut pas avancer.',
    },
    'piece-rejected': {
      subject: 'Une pièce de votre dossier est à remplacer',
      lead: (d) =>
        'Une pièce déposée pour un dossier que vous suivez n’a pas pu être acceptée' +
        (d ? ` ; une nouvelle pièce est attendue au plus tard le ${d}.` : '.'),
    },
    'lapse-warning': {
      subject: 'Votre dossier attend des pièces : la date limite approche',
      lead: (d) =>
        'Des pièces sont toujours attendues pour un dossier que vous suivez' +
        (d ? `. Date limite : ${d}.` : '.') +
        ' Passé ce délai, le dossier pourra être clos sans décision.',
    },
    'case-lapsed': {
      subject: 'Votre dossier a été clos sans décision',
      lead: () =>
        'Les pièces attendues n’ont pas été reçues à temps : un dossier que vous suivez a été ' +
        'clos sans décision. Vous pouvez déposer une nouvelle demande.',
    },
    'decision-available': {
      subject: 'Une décision est disponible sur le portail',
      lead: () =>
        'Une décision a été rendue pour un dossier que vous suivez. Elle vous attend sur le ' +
        'portail, avec les voies et délais de recours.',
    },
    'agent-message': {
      subject: 'Vous avez un nouveau message de votre MDPH',
      lead: () => 'Un agent de votre MDPH vous a écrit au sujet d’un dossier que vous suivez.',
    },
    'renewal-reminder': {
      subject: 'Pensez à votre demande de renouvellement',
      lead: (d) =>
        'Un droit accordé dans un dossier que vous suivez arrive à échéance' +
        (d ? ` le ${d}.` : '.') +
        ' Une demande de renouvellement prend plusieurs mois : pensez à la déposer à temps.',
    },
    'case-changed': {
      subject: 'Votre dossier a évolué',
      lead: () => 'Un dossier que vous suivez a changé d’étape.',
    },
  };

/** The mail of a notice about a case; `deadline` (an ISO day) when the notice has one. */
export function noticeMail(notice: CaseNotice, origin: string, deadline?: string): NoticeMail {
  const { subject, lead } = NOTICES[notice];
  const optional =
    notice === 'agent-message' || notice === 'case-changed' || notice === 'renewal-reminder'
      ? '\n\nVous pouvez choisir de ne plus recevoir ce type de message dans « Mon compte ».'
      : '';
  return {
    subject,
    text: `Bonjour,\n\n${lead(frenchDate(deadline))}\n\n${CONNECT(origin)}${optional}${SIGNATURE}`,
  };
}

/**
 * The invitation to follow a file on the portal, to an address an agent gave for someone without
 * an account: the link (an invitation's, made by the caller) and nothing about the file.
 */
export function invitationMail(link: string, code: string, expiresOn?: string): NoticeMail {
  const until = frenchDate(expiresOn);
  return {
    subject: 'Invitation au portail de votre MDPH',
    text:
      'Bonjour,\n\nVotre MDPH vous invite à créer votre compte sur son portail, pour suivre ' +
      'en ligne un dossier qui vous concerne.\n\n' +
      `Ouvrez ce lien, créez votre compte, puis saisissez ce code d’invitation${until ? ` (valable jusqu’au ${until})` : ''} ` +
      `et votre date de naissance :\n\n${link}\n\nCode : ${code}\n\n` +
      'Vous n’attendiez pas ce message ? Ignorez-le : rien ne sera fait sans vous.' +
      SIGNATURE,
  };
}
