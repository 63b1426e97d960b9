import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { getBackupStatus, type BackupStatus } from '../api/backups';
import { Page } from '../app/Page';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { formatBytes, formatDateTime } from '../ui/labels';
import { useApi } from '../ui/useApi';
import { ageInWords, intervalInWords, STALE_AFTER_SECONDS } from './backup-age';
import './operator.css';

/** Off: how to turn the scheduled backups on (docs/operations.md, §5). */
function NotScheduled() {
  return (
    <Alert
      severity="warning"
      small={false}
      title="Les sauvegardes programmées ne sont pas activées"
      description={
        <>
          Le serveur ne prend aucune sauvegarde de lui-même. Pour les activer, définissez{' '}
          <code>CLOISON_BACKUP_DIR</code> (le dossier où les écrire) et{' '}
          <code>CLOISON_BACKUP_RECIPIENT</code> (la clé publique age vers laquelle elles sont
          chiffrées), puis redémarrez le service : voir docs/operations.md, section « Backups and
          the restore drill ». En attendant, <code>cloison backup --out …</code> en prend une à la
          main.
        </>
      }
    />
  );
}

/** The schedule, and a warning that cannot be missed when the last good backup is overdue. */
function Schedule({ status }: { status: BackupStatus }) {
  const last = status.lastSuccess;
  const overdue = last === null || last.ageSeconds > STALE_AFTER_SECONDS;
  return (
    <>
      <p>
        <Badge as="span" severity="success" small>
          Activées
        </Badge>{' '}
        Une sauvegarde chiffrée est prise{' '}
        {status.intervalSeconds ? intervalInWords(status.intervalSeconds) : 'régulièrement'}
        {status.keep ? ` ; les ${status.keep} plus récentes sont gardées` : ''}.
      </p>
      {overdue && (
        <div role="alert" className={fr.cx('fr-my-2w')}>
          <Alert
            severity="error"
            small={false}
            title={
              last === null
                ? 'Aucune sauvegarde réussie'
                : 'La dernière sauvegarde réussie date de plus de 26 heures'
            }
            description={
              last === null
                ? 'Les sauvegardes sont programmées mais aucune n’a encore réussi : consultez les dernières exécutions ci-dessous et le journal du serveur.'
                : `Elle date de ${formatDateTime(last.finishedAt)} (${ageInWords(last.ageSeconds)}). Consultez les dernières exécutions ci-dessous et le journal du serveur.`
            }
          />
        </div>
      )}
    </>
  );
}

/** The last good backup: when, how big, and the hash to compare with the file kept elsewhere. */
function LastSuccess({ last }: { last: NonNullable<BackupStatus['lastSuccess']> }) {
  return (
    <>
      <h2>Dernière sauvegarde réussie</h2>
      <dl>
        <dt>Terminée le</dt>
        <dd>
          {formatDateTime(last.finishedAt)} ({ageInWords(last.ageSeconds)})
        </dd>
        <dt>Fichier</dt>
        <dd>
          <code className="cloison-operator-hash">{last.file}</code>
        </dd>
        <dt>Taille</dt>
        <dd>{formatBytes(last.bytes)}</dd>
        <dt>Empreinte SHA-256</dt>
        <dd>
          <code className="cloison-operator-hash">{last.sha256}</code>
          <p className={fr.cx('fr-hint-text')}>
            À comparer avec <code>sha256sum</code> de la copie gardée hors de la machine.
          </p>
        </dd>
      </dl>
    </>
  );
}

/** The latest runs, failures with their reason. */
function RecentRuns({ runs }: { runs: BackupStatus['recent'] }) {
  if (runs.length === 0) return <p>Aucune sauvegarde programmée n’a encore été exécutée.</p>;
  return (
    <Table
      caption={`Dernières exécutions (${runs.length})`}
      headers={['Début', 'Fin', 'Résultat', 'Fichier', 'Taille', 'Motif de l’échec']}
      data={runs.map((r) => [
        formatDateTime(r.startedAt),
        formatDateTime(r.finishedAt),
        <Badge key="s" small severity={r.status === 'succeeded' ? 'success' : 'error'}>
          {r.status === 'succeeded' ? 'Réussie' : 'Échec'}
        </Badge>,
        r.file ?? '—',
        r.bytes === null ? '—' : formatBytes(r.bytes),
        r.failure ?? '—',
      ])}
    />
  );
}

/** Where the platform's backups stand: on or off, the last good one and its age, the runs. */
export function BackupsPage() {
  const backups = useApi(getBackupStatus);
  const status = backups.data;
  return (
    <Page title="Sauvegardes">
      <ProblemAlert error={backups.error} />
      {backups.loading && !status && <Loading />}
      {status && (
        <>
          {status.scheduled ? <Schedule status={status} /> : <NotScheduled />}
          {status.lastSuccess ? (
            <LastSuccess last={status.lastSuccess} />
          ) : (
            <p className={fr.cx('fr-mt-4w')}>Aucune sauvegarde réussie n’est enregistrée.</p>
          )}
          <h2 className={fr.cx('fr-mt-4w')}>Dernières exécutions</h2>
          <RecentRuns runs={status.recent} />
        </>
      )}
    </Page>
  );
}
