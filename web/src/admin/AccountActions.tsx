import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { endSessions as endAccountSessions } from '../api/accounts';
import { requestRoleChange, type StaffMember, type StaffRequest } from '../api/staff';
import type { StaffRole } from '../api/vocabulary';
import { fieldState } from '../ui/field-error';
import { ROLE_LABEL } from '../ui/labels';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { AccountStatusActions } from './AccountStatusActions';
import { ROLES } from './NewStaffForm';

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
      await requestRoleChange(account.id, {
        role,
        ...(team.trim() ? { team: team.trim() } : {}),
      });
      onChanged();
      return `Changement de rôle demandé pour ${name} : un autre administrateur doit l’approuver.`;
    });
  }

  function endSessions() {
    void run(async () => {
      await endAccountSessions(account.id);
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
          {...fieldState(error, 'role')}
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
          {...fieldState(error, 'team')}
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
