import type { RaisedAlert } from '../detection.js';

/** Severities as a French reader says them. */
export const SEVERITY_FR: Record<RaisedAlert['severity'], string> = {
  low: 'faible',
  medium: 'moyenne',
  high: 'élevée',
  critical: 'critique',
};

/**
 * The short French text of syslog's MSG and of the e-mail's first line, led by the rule's id (a
 * SIEM matches on it; the rule's meaning is a sentence, given in the e-mail body). Identifiers,
 * counts and times only: an alert never carries a name, an address or any content.
 */
export function summary(alert: RaisedAlert): string {
  const events = alert.count === 1 ? '1 événement' : `${alert.count} événements`;
  const span =
    alert.firstAt === alert.lastAt
      ? `le ${alert.firstAt}`
      : `du ${alert.firstAt} au ${alert.lastAt}`;
  return `Alerte ${SEVERITY_FR[alert.severity]} : ${alert.rule} (${events} ${span}, alerte ${alert.id})`;
}

/** The alert every channel gets from the "test" button, never stored as a real alert. */
export function testAlert(
  tenantId: string | null,
  channelId: string,
  at: Date,
  id: string,
): RaisedAlert {
  const now = at.toISOString();
  return {
    id,
    tenantId,
    rule: 'channel-test',
    title: 'Essai du canal d’alerte',
    severity: 'low',
    subject: `alert-channel:${channelId}`,
    count: 0,
    firstAt: now,
    lastAt: now,
    evidence: [],
  };
}
