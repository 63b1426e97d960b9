import { useState } from 'react';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { api } from '../api/client';
import type { StaffRole } from '../api/types';
import { Page } from '../app/Page';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { formatDateTime, ROLE_LABEL } from '../ui/labels';
import { useApi } from '../ui/useApi';
import type { BreakGlassGrant } from './types';
import './admin.css';

/** Accesses opened "bris de glace" outside an assignment, each to be judged by the DPO. */
export function BreakGlassPage() {
  const grants = useApi(() => api.get<{ items: BreakGlassGrant[] }>('/api/v1/break-glass'));
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function review(grant: BreakGlassGrant, verdict: 'justified' | 'unjustified') {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      await api.post(`/api/v1/break-glass/${grant.id}/review`, { verdict });
      setStatus(
        `Accès au dossier ${grant.caseReference} jugé ${verdict === 'justified' ? 'justifié' : 'injustifié'}.`,
      );
      await grants.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title="Accès en bris de glace">
      <div role="status">{status && <Alert severity="success" small description={status} />}</div>
      <ProblemAlert error={error} />
      <ProblemAlert error={grants.error} />
      {grants.loading && !grants.data && <Loading />}
      {grants.data && grants.data.items.length === 0 && <p>Aucun accès à examiner.</p>}
      {grants.data && grants.data.items.length > 0 && (
        <Table
          caption="Accès en bris de glace à examiner"
          headers={['Dossier', 'Agent', 'Motif écrit', 'Ouvert', 'Décision']}
          data={grants.data.items.map((g) => [
            g.caseReference,
            <span key="a" className="cloison-admin-code">
              {ROLE_LABEL[g.role as StaffRole] ?? g.role} — {g.accountId}
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
