import { useState } from 'react';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { listStaff, listStaffRequests, type StaffRequest } from '../api/staff';
import { Page } from '../app/Page';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { roleLabel } from '../ui/labels';
import { useApi } from '../ui/useApi';
import { AccountActions } from './AccountActions';
import { ACCOUNT_STATUS_LABEL, labelOf } from './labels';
import { NewStaffForm } from './NewStaffForm';
import './admin.css';

/** The request about an account's status (disable, re-enable) waiting for a second admin. */
function statusRequestOf(requests: StaffRequest[] | undefined, accountId: string) {
  return requests?.find(
    (r) => r.accountId === accountId && (r.purpose === 'disable' || r.purpose === 'enable'),
  );
}

/** The département's staff accounts, a new agent's request, and actions on one account. */
export function StaffPage() {
  const staff = useApi(listStaff);
  const requests = useApi(listStaffRequests);
  const [selected, setSelected] = useState<string | null>(null);
  const account = staff.data?.find((a) => a.id === selected) ?? null;
  const reload = () => {
    void staff.reload();
    void requests.reload();
  };

  return (
    <Page title="Agents du département">
      <ProblemAlert error={staff.error} />
      <ProblemAlert error={requests.error} />
      {staff.loading && !staff.data && <Loading />}
      {staff.data && (
        <Table
          caption={`Comptes des agents (${staff.data.length})`}
          headers={['Nom', 'Rôle', 'Équipe', 'État', 'Actions']}
          data={staff.data.map((a) => [
            a.displayName,
            roleLabel(a.role),
            a.team ?? '—',
            <Badge
              key="s"
              small
              severity={a.status === 'active' ? 'success' : undefined}
              noIcon={a.status !== 'active'}
            >
              {labelOf(ACCOUNT_STATUS_LABEL, a.status)}
              {statusRequestOf(requests.data, a.id) ? ' (demande en attente)' : ''}
            </Badge>,
            <Button
              key="a"
              size="small"
              priority="secondary"
              onClick={() => setSelected(a.id)}
              aria-pressed={selected === a.id}
            >
              Gérer le compte de {a.displayName}
            </Button>,
          ])}
        />
      )}
      {account && (
        <AccountActions
          key={account.id}
          account={account}
          pending={statusRequestOf(requests.data, account.id)}
          onChanged={reload}
        />
      )}
      <NewStaffForm onDone={reload} />
    </Page>
  );
}
