import type { OutgoingMail } from '../../../mail/mailer.js';
import type { RaisedAlert } from '../detection.js';
import { SEVERITY_FR, summary } from './alert-text.js';

const EVIDENCE_SHOWN = 20;

/**
 * The e-mail of an alert, in French: what rule, how grave, ids, counts and times, and how to
 * open the inbox. No personal data: the subject of an alert is an account id, a token id or the
 * hash of an address, and the mail says nothing the inbox would not.
 */
export function alertMail(alert: RaisedAlert, to: string, origin: string): OutgoingMail {
  const evidence =
    alert.evidence.length === 0
      ? 'aucune'
      : alert.evidence.slice(-EVIDENCE_SHOWN).join(', ') +
        (alert.evidence.length > EVIDENCE_SHOWN ? ` (les ${EVIDENCE_SHOWN} dernières)` : '');
  const lines = [
    summary(alert),
    '',
    `Règle : ${alert.rule}`,
    `Intitulé : ${alert.title}`,
    `Gravité : ${SEVERITY_FR[alert.severity]} (${alert.severity})`,
    `Alerte : ${alert.id}`,
    `Département (tenant) : ${alert.tenantId ?? 'plateforme'}`,
    `Sujet : ${alert.subject} (identifiant de compte, de jeton, ou empreinte d’une adresse IP)`,
    `Nombre d’événements : ${alert.count}`,
    `Premier événement : ${alert.firstAt} (UTC)`,
    `Dernier événement : ${alert.lastAt} (UTC)`,
    `Preuves (numéros d’événements du journal d’audit) : ${evidence}`,
    '',
    'Pour traiter cette alerte : connectez-vous à Cloison',
    `(${origin}) avec un compte DPO ou administrateur de votre département,`,
    'ouvrez la boîte des alertes (API : GET /api/v1/alerts), prenez l’alerte en charge',
    '(POST /api/v1/alerts/<id>/acknowledge) puis clôturez-la une fois traitée',
    '(POST /api/v1/alerts/<id>/resolve).',
    '',
    'Ce message ne contient aucune donnée personnelle. Ne répondez pas : cette adresse',
    'n’est pas lue. Pour ne plus recevoir ces alertes, demandez à un administrateur de',
    'supprimer ce canal (DELETE /api/v1/alert-channels/<id>).',
  ];
  return {
    to,
    subject: `[Cloison] Alerte ${SEVERITY_FR[alert.severity]} : ${alert.rule}`,
    text: lines.join('\n'),
  };
}
