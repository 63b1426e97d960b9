import { fr } from '@codegouvfr/react-dsfr';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import {
  approveIntegrationToken,
  listIntegrationTokens,
  type IntegrationToken,
} from '../api/integrations';
import {
  approveStaffRequest,
  listStaffRequests,
  refuseStaffRequest,
  type StaffRequest,
} from '../api/staff';
import { Page } from '../app/Page';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { formatDateTime, roleLabel } from '../ui/labels';
import { useApi } from '../ui/useApi';
import './admin.css';

/** What each request asks, in the words of the table. */
const PURPOSE_LABEL: Record<string, (r: StaffRequest) => string> = {
  create: () => 'Nouveau compte',
  change: (r) => `Changement de rôle (actuel : ${roleLabel(r.currentRole)})`,
  disable: (r) => `Désactivation du compte (rôle : ${roleLabel(r.currentRole)})`,
  enable: (r) => `Réactivation du compte (rôle : ${roleLabel(r.currentRole)})`,
};

/** A request in words, or its purpose as the server names it when this page does not know it. */
const purposeOf = (r: StaffRequest) => PURPOSE_LABEL[r.purpose]?.(r) ?? r.purpose;

/**
 * What a token may do, in words: a recipient's token serves one export, named by the first 8
 * characters of its id, the reference its orderer's page shows beside the token.
 */
const tokenScope = (t: IntegrationToken) =>
  t.exportInstructionId
    ? `Lié à l’export ${t.exportInstructionId.slice(0, 8)} (${t.permissions.join(', ')})`
    : t.permissions.join(', ');

/**
 * Requests another administrator made: a new account, a role, disabling an account that holds
 * admin or DPO, or re-enabling a disabled one. The API refuses whoever asked
 * (or is concerned) — its refusal is shown as it says it; the buttons are only a shortcut.
 */
export function ApprovalsPage() {
  const requests = useApi(listStaffRequests);
  const tokens = useApi(listIntegrationTokens);
  const { busy, error, status, run } = useAction();

  function decide(send: () => Promise<unknown>, message: string, reload: () => Promise<void>) {
    void run(async () => {
      await send();
      await reload();
      return message;
    });
  }

  const pendingTokens = tokens.data?.filter((t) => t.status === 'pending') ?? [];

  return (
    <Page title="Demandes à approuver">
      <div role="status">{status && <Alert severity="success" small description={status} />}</div>
      <ProblemAlert error={error} />
      <h2>Comptes, rôles et désactivations</h2>
      <ProblemAlert error={requests.error} />
      {requests.loading && !requests.data && <Loading />}
      {requests.data && requests.data.length === 0 && <p>Aucune demande en attente.</p>}
      {requests.data && requests.data.length > 0 && (
        <Table
          caption="Demandes en attente d’un second administrateur"
          headers={['Agent', 'Demande', 'Rôle demandé', 'Demandée le', 'Décision']}
          data={requests.data.map((r) => [
            <span key="n">
              {r.displayName}
              <br />
              <span className={fr.cx('fr-text--sm')}>{r.email}</span>
            </span>,
            purposeOf(r),
            r.role === null
              ? '—'
              : `${roleLabel(r.role)}${r.team ? `, ${r.team}` : ''}${
                  r.expiresAt ? ` jusqu’au ${formatDateTime(r.expiresAt)}` : ''
                }`,
            formatDateTime(r.requestedAt),
            <div key="d" className="cloison-admin-actions">
              {!r.mayDecide && (
                <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>
                  Vous avez fait cette demande ou elle vous concerne : un autre administrateur doit
                  décider.
                </p>
              )}
              <Button
                size="small"
                disabled={busy}
                onClick={() =>
                  void decide(
                    () => approveStaffRequest(r.id),
                    `Demande approuvée pour ${r.displayName}.`,
                    requests.reload,
                  )
                }
              >
                Approuver la demande pour {r.displayName}
              </Button>
              <Button
                size="small"
                priority="secondary"
                disabled={busy}
                onClick={() =>
                  void decide(
                    () => refuseStaffRequest(r.id),
                    `Demande refusée pour ${r.displayName}.`,
                    requests.reload,
                  )
                }
              >
                Refuser la demande pour {r.displayName}
              </Button>
            </div>,
          ])}
        />
      )}
      <h2 className={fr.cx('fr-mt-4w')}>Jetons d’intégration</h2>
      <ProblemAlert error={tokens.error} />
      {tokens.data && pendingTokens.length === 0 && <p>Aucun jeton en attente.</p>}
      {pendingTokens.length > 0 && (
        <Table
          caption="Jetons d’intégration en attente d’approbation"
          headers={['Nom', 'Permissions', 'Expire le', 'Décision']}
          data={pendingTokens.map((t) => [
            t.name,
            tokenScope(t),
            formatDateTime(t.expiresAt),
            <Button
              key="a"
              size="small"
              disabled={busy}
              onClick={() =>
                void decide(
                  () => approveIntegrationToken(t.id),
                  `Jeton « ${t.name} » approuvé.`,
                  tokens.reload,
                )
              }
            >
              Approuver le jeton {t.name}
            </Button>,
          ])}
        />
      )}
    </Page>
  );
}
