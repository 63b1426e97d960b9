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
import { ROLES } from './NewStaffForm';
import type { StaffMember } from '../api/types';

/** What an administrator may ask for one account; the API decides each time. */
export function AccountActions({
  account,
  onChanged,
}: {
  account: StaffMember;
  onChanged: () => void;
}) {
  const [role, setRole] = useState<StaffRole>((account.role as StaffRole) || 'instructeur');
  const [team, setTeam] = useState(account.team ?? '');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = account.displayName;

  async function act(run: () => Promise<unknown>, message: string) {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      await run();
      setStatus(message);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  function requestRole(event: FormEvent) {
    event.preventDefault();
    void act(
      () =>
        api.post(`/api/v1/accounts/${account.id}/role-requests`, {
          role,
          ...(team.trim() ? { team: team.trim() } : {}),
        }),
      `Changement de rôle demandé pour ${name} : un autre administrateur doit l’approuver.`,
    );
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
        <Button
          priority="secondary"
          disabled={busy}
          onClick={() =>
            void act(
              () => api.del(`/api/v1/accounts/${account.id}/sessions`),
              `Toutes les sessions de ${name} sont fermées.`,
            )
          }
        >
          Fermer les sessions de {name}
        </Button>
        {account.status === 'active' && !confirming && (
          <Button priority="tertiary" disabled={busy} onClick={() => setConfirming(true)}>
            Désactiver le compte de {name}
          </Button>
        )}
      </div>
      {confirming && (
        <div className={fr.cx('fr-mt-2w')}>
          <p>
            Désactiver le compte de {name} ? Ses sessions sont fermées aussitôt et il ne peut plus
            se connecter.
          </p>
          <div className="cloison-admin-actions">
            <Button
              disabled={busy}
              onClick={() => {
                setConfirming(false);
                void act(
                  () => api.post(`/api/v1/accounts/${account.id}/disable`),
                  `Le compte de ${name} est désactivé.`,
                );
              }}
            >
              Confirmer la désactivation
            </Button>
            <Button priority="secondary" onClick={() => setConfirming(false)}>
              Annuler
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}
