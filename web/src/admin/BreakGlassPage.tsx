import { Table } from '@codegouvfr/react-dsfr/Table';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { listBreakGlassGrants, reviewBreakGlass, type BreakGlassGrant } from '../api/break-glass';
import { Page } from '../app/Page';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { formatDateTime, roleLabel } from '../ui/labels';
import { useApi } from '../ui/useApi';
import './admin.css';

/** Accesses opened "bris de glace" outside an assignment, each to be judged by the DPO. */
export function BreakGlassPage() {
  const grants = useApi(listBreakGlassGrants);
  const { busy, error, status, run } = useAction();

  function review(grant: BreakGlassGrant, verdict: 'justified' | 'unjustified') {
    void run(async () => {
      await reviewBreakGlass(grant.id, verdict);
      await grants.reload();
      return `Accès au dossier ${grant.caseReference} jugé ${verdict === 'justified' ? 'justifié' : 'injustifié'}.`;
    });
  }

  return (
    <Page title="Accès en bris de glace">
      <div role="status">{status && <Alert severity="success" small description={status} />}</div>
      <ProblemAlert error={error} />
      <ProblemAlert error={grants.error} />
      {grants.loading && !grants.data && <Loading />}
      {grants.data && grants.data.length === 0 && <p>Aucun accès à examiner.</p>}
      {grants.data && grants.data.length > 0 && (
        <Table
          caption="Accès en bris de glace à examiner"
          headers={['Dossier', 'Agent', 'Motif écrit', 'Ouvert', 'Décision']}
          data={grants.data.map((g) => [
            g.caseReference,
            <span key="a" className="cloison-admin-code">
              {roleLabel(g.role)} — {g.accountId}
            </span>,
            g.reason ?? '—',
            `du ${formatDateTime(g.openedAt)} au ${formatDateTime(g.expiresAt)}`,
            <div key="d" className="cloison-admin-actions">
              <Button size="small" disabled={busy} onClick={() => void review(g, 'justified')}>
                Accès au dossier {g.caseReference} justifié
              </Button>
              <Button
                size="small"
                priority="secondary"
                disabled={busy}
                onClick={() => void review(g, 'unjustified')}
              >
                Accès au dossier {g.caseReference} injustifié
              </Button>
            </div>,
          ])}
        />
      )}
    </Page>
  );
}
