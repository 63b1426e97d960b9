import { Table } from '@codegouvfr/react-dsfr/Table';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { listTenants } from '../api/tenants';
import { Page } from '../app/Page';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { formatDate } from '../ui/labels';
import { useApi } from '../ui/useApi';
import { NewTenantForm } from './NewTenantForm';

/** "2 administrateurs à activer", in words (never a colour or a bare number alone). */
function adminsToActivateText(count: number): string {
  if (count === 0) return 'Aucun';
  return count === 1 ? '1 administrateur à activer' : `${count} administrateurs à activer`;
}

/** The départements of the platform, the state of their first admins, and a new one. */
export function TenantsPage() {
  const tenants = useApi(listTenants);
  return (
    <Page
      title="Départements"
      lead="Les MDPH hébergées sur la plateforme. Vous ne voyez rien de ce qu’elles contiennent : leurs administrateurs gèrent leurs agents et leurs dossiers."
    >
      <ProblemAlert error={tenants.error} />
      {tenants.loading && !tenants.data && <Loading />}
      {tenants.data && (
        <Table
          caption={`Départements de la plateforme (${tenants.data.length})`}
          headers={['Code', 'Nom', 'Créé le', 'Administrateurs actifs', 'Comptes à activer']}
          data={tenants.data.map((t) => [
            t.code,
            t.name,
            formatDate(t.createdAt),
            String(t.activeAdmins),
            t.adminsToActivate > 0 ? (
              <Badge key="a" small severity="warning">
                {adminsToActivateText(t.adminsToActivate)}
              </Badge>
            ) : (
              adminsToActivateText(0)
            ),
          ])}
        />
      )}
      <NewTenantForm onCreated={() => void tenants.reload()} />
    </Page>
  );
}
