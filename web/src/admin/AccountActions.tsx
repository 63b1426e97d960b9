import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { api } from '../api/client';
import type { StaffRole } from '../api/types';
import { ROLE_LABEL } from '../ui/labels';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { AccountStatusActions } from './AccountStatusActions';
import { ROLES } from './NewStaffForm';
import type { StaffMember } from '../api/types';
import type { StaffRequest } from './types';

/** What an administrator may ask for one account; the API decides each time. */
export function AccountActions({
  account,
  pending,
  onChanged,
}: {
  account: StaffMember;
  /** This account's disable or re-enable request waiting for a decision, if any. */
  pending: StaffRequest | undefined;
  onChanged: () => void;
}) {
  const [role, setRole] = useState<StaffRole>((account.role as StaffRole) || 'instructeur');
  const [team, setTeam] = useState(account.team ?? '');
  const { busy, error, status, run } = useAction();
  const name = account.displayName;

  function requestRole(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await api.post(`/api/v1/accounts/${account.id}/role-requests`, {
        role,
        ...(team.trim() ? { team: team.trim() } : {}),
      });
      onChanged();
      return `Changement de rôle demandé pour ${name} : un autre administrateur doit l’approuver.`;
    });
  }

  function endSessions() {
    void run(async () => {
      await api.del(`/api/v1/accounts/${account.id}/sessions`);
      onChanged();
      return `Toutes les sessions de ${name} sont fermées.`;
    });
  }

  return (
    <section aria-labelledby="cloison-account-actions" className={fr.cx('fr-mt-4w')}>
      <h2 id="cloison-account-actions">Compte de {name}</h2>
      <div role="status">{status && <Alert severity="success" small description={status} />}</div>
      <ProblemAlert error={error} />
      <form onSubmit={requestRole} noValidate>
        <h3 className={fr.cx('fr-h5')}>Demander un changement de rôle</h3>
        <Select
          label={`Nouveau rôle de ${name}`}
          nativeSelectProps={{
            name: 'role',
            value: role,
            onChange: (e) => setRole(e.target.value as StaffRole),
          }}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABEL[r]}
            </option>
          ))}
        </Select>
        <Input
          label="Équipe (facultatif)"
          nativeInputProps={{ name: 'team', value: team, onChange: (e) => setTeam(e.target.value) }}
        />
        <Button type="submit" disabled={busy}>
          Demander un changement de rôle
        </Button>
      </form>
      <h3 className={fr.cx('fr-h5', 'fr-mt-4w')}>Sessions et désactivation</h3>
      <div className="cloison-admin-actions">
        <Button priority="secondary" disabled={busy} onClick={endSessions}>
          Fermer les sessions de {name}
        </Button>
      </div>
      <AccountStatusActions account={account} pending={pending} onChanged={onChanged} />
    </section>
  );
}
