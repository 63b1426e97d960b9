/** French words of the console (statuses, severities, outcomes), never colour alone. */
type Severity = 'info' | 'success' | 'warning' | 'error' | 'new' | undefined;

export const ACCOUNT_STATUS_LABEL: Record<string, string> = {
  active: 'Actif',
  disabled: 'Désactivé',
  locked: 'Verrouillé',
};

export const ALERT_SEVERITY: Record<string, { label: string; severity: Severity }> = {
  critical: { label: 'Critique', severity: 'error' },
  high: { label: 'Élevée', severity: 'warning' },
  medium: { label: 'Moyenne', severity: 'info' },
  low: { label: 'Faible', severity: undefined },
};

export const ALERT_STATUS_LABEL: Record<string, string> = {
  open: 'Ouverte',
  acknowledged: 'Prise en charge',
  resolved: 'Close',
};

export const OUTCOME_LABEL: Record<string, string> = {
  allowed: 'Autorisé',
  refused: 'Refusé',
  failed: 'Échec',
};

export const REVIEW_STATUS_LABEL: Record<string, string> = {
  pending: 'À décider',
  confirmed: 'Maintenu',
  revoked: 'Retiré',
  lapsed: 'Échu',
  superseded: 'Remplacé',
};

export const CHANNEL_LABEL: Record<string, string> = {
  webhook: 'Webhook',
  email: 'Courriel',
  syslog: 'Syslog',
};

/** A label from a table, or the raw value when the server says something new. */
export function labelOf(table: Record<string, string>, value: string | null | undefined): string {
  if (!value) return '—';
  return table[value] ?? value;
}
