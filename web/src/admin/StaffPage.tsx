import { useState } from 'react';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { api } from '../api/client';
import { Page } from '../app/Page';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { roleLabel } from '../ui/labels';
import { useApi } from '../ui/useApi';
import { AccountActions } from './AccountActions';
import { ACCOUNT_STATUS_LABEL, labelOf } from './labels';
import { NewStaffForm } from './NewStaffForm';
import type { StaffMember } from '../api/types';
import './admin.css';

/** The département's staff accounts, a new agent's request, and actions on one account. */
export function StaffPage() {
  const staff = useApi(() => api.get<{ items: StaffMember[] }>('/api/v1/staff'));
  const [selected, setSelected] = useState<string | null>(null);
  const account = staff.data?.items.find((a) => a.id === selected) ?? null;

  return (
    <Page title="Agents du département">
      <ProblemAlert error={staff.error} />
      {staff.loading && !staff.data && <Loading />}
      {staff.data && (
        <Table
          caption={`Comptes des agents (${staff.data.items.length})`}
          headers={['Nom', 'Rôle', 'Équipe', 'État', 'Actions']}
          data={staff.data.items.map((a) => [
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
        <AccountActions key={account.id} account={account} onChanged={() => void staff.reload()} />
      )}
      <NewStaffForm onDone={() => void staff.reload()} />
    </Page>
  );
}
