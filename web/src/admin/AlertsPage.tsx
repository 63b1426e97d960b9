import { fr } from '@codegouvfr/react-dsfr';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { decideAlert, listAlertChannels, listAlerts, type AlertItem } from '../api/alerts';
import { Page } from '../app/Page';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { formatDateTime } from '../ui/labels';
import { useApi } from '../ui/useApi';
import { ALERT_SEVERITY, ALERT_STATUS_LABEL, CHANNEL_LABEL, labelOf } from './labels';
import './admin.css';

/** The alert inbox of the département, and where alerts are sent (read-only here). */
export function AlertsPage() {
  const alerts = useApi(listAlerts);
  const channels = useApi(listAlertChannels);
  const { busy, error, status, run } = useAction();

  function decide(alert: AlertItem, action: 'acknowledge' | 'resolve') {
    void run(async () => {
      await decideAlert(alert.id, action);
      await alerts.reload();
      return action === 'acknowledge' ? 'Réception de l’alerte accusée.' : 'Alerte close.';
    });
  }

  return (
    <Page title="Alertes de sécurité">
      <div role="status">{status && <Alert severity="success" small description={status} />}</div>
      <ProblemAlert error={error} />
      <ProblemAlert error={alerts.error} />
      {alerts.loading && !alerts.data && <Loading />}
      {alerts.data && alerts.data.length === 0 && <p>Aucune alerte.</p>}
      {alerts.data && alerts.data.length > 0 && (
        <Table
          caption={`Alertes du département (${alerts.data.length})`}
          headers={['Gravité', 'Ce qui s’est passé', 'Période', 'Événements', 'État', 'Actions']}
          data={alerts.data.map((a, index) => {
            const severity = ALERT_SEVERITY[a.severity];
            const name = `l’alerte ${index + 1}`;
            return [
              <Badge key="g" small severity={severity?.severity} noIcon={!severity?.severity}>
                {severity?.label ?? a.severity}
              </Badge>,
              <span key="t">
                {a.title}
                <br />
                <span className={`${fr.cx('fr-text--xs')} cloison-admin-code`}>
                  Règle {a.rule}, sujet {a.subject}
                </span>
              </span>,
              <span key="p">
                du {formatDateTime(a.firstAt)}
                <br />
                au {formatDateTime(a.lastAt)}
              </span>,
              <span key="e">
                {a.count} fois
                {a.evidence.length > 0 && (
                  <>
                    <br />
                    <span className={fr.cx('fr-text--xs')}>n° {a.evidence.join(', ')}</span>
                  </>
                )}
              </span>,
              labelOf(ALERT_STATUS_LABEL, a.status),
              <div key="a" className="cloison-admin-actions">
                {a.status === 'open' && (
                  <Button
                    size="small"
                    disabled={busy}
                    onClick={() => void decide(a, 'acknowledge')}
                  >
                    Accuser réception de {name}
                  </Button>
                )}
                {a.status !== 'resolved' && (
                  <Button
                    size="small"
                    priority="secondary"
                    disabled={busy}
                    onClick={() => void decide(a, 'resolve')}
                  >
                    Clore {name}
                  </Button>
                )}
              </div>,
            ];
          })}
        />
      )}
      <h2 className={fr.cx('fr-mt-4w')}>Canaux d’envoi des alertes</h2>
      <ProblemAlert error={channels.error} />
      {channels.data && channels.data.length === 0 && (
        <p>Aucun canal : les alertes ne sont visibles que dans cette boîte.</p>
      )}
      {channels.data && channels.data.length > 0 && (
        <ul>
          {channels.data.map((c) => (
            <li key={c.id}>
              {labelOf(CHANNEL_LABEL, c.kind)} :{' '}
              <span className="cloison-admin-code">{c.target}</span> (depuis le{' '}
              {formatDateTime(c.createdAt)})
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
