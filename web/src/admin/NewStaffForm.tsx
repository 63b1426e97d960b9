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

export const ROLES = Object.keys(ROLE_LABEL) as StaffRole[];

/**
 * Asking for a new staff account: the API records a request that another administrator must
 * approve; only then does the person receive their activation link.
 */
export function NewStaffForm({ onDone }: { onDone: () => void }) {
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<StaffRole>('instructeur');
  const [team, setTeam] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await api.post('/api/v1/staff', {
        email: email.trim(),
        displayName: displayName.trim(),
        role,
        ...(team.trim() ? { team: team.trim() } : {}),
      });
      setDone(displayName.trim());
      setEmail('');
      setDisplayName('');
      setTeam('');
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className={fr.cx('fr-mt-4w')}>
      <h2>Ajouter un agent</h2>
      <p>
        La demande doit être approuvée par un autre administrateur du département. L’agent reçoit
        ensuite par courriel un lien pour choisir son mot de passe.
      </p>
      <div role="status">
        {done && (
          <Alert
            severity="success"
            small
            description={`Demande enregistrée pour ${done} : elle attend l’approbation d’un autre administrateur.`}
          />
        )}
      </div>
      <ProblemAlert error={error} />
      <Input
        label="Prénom et nom"
        nativeInputProps={{
          name: 'displayName',
          autoComplete: 'off',
          required: true,
          value: displayName,
          onChange: (e) => setDisplayName(e.target.value),
        }}
      />
      <Input
        label="Adresse électronique professionnelle et personnelle"
        hintText="Jamais une boîte partagée. Format attendu : prenom.nom@departement.fr"
        nativeInputProps={{
          type: 'email',
          name: 'email',
          autoComplete: 'off',
          required: true,
          value: email,
          onChange: (e) => setEmail(e.target.value),
        }}
      />
      <Select
        label="Rôle"
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
        hintText="Par exemple : equipe-nord"
        nativeInputProps={{
          name: 'team',
          value: team,
          onChange: (e) => setTeam(e.target.value),
        }}
      />
      <Button type="submit" disabled={busy}>
        Demander la création du compte
      </Button>
    </form>
  );
}
