import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { requestStaffAccount } from '../api/staff';
import type { StaffRole } from '../api/vocabulary';
import { fieldState } from '../ui/field-error';
import { ROLE_LABEL } from '../ui/labels';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';

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
  const { busy, error, status, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const name = displayName.trim();
      await requestStaffAccount({
        email: email.trim(),
        displayName: name,
        role,
        ...(team.trim() ? { team: team.trim() } : {}),
      });
      setEmail('');
      setDisplayName('');
      setTeam('');
      onDone();
      return `Demande enregistrée pour ${name} : elle attend l’approbation d’un autre administrateur.`;
    });
  }

  return (
    <form onSubmit={submit} noValidate className={fr.cx('fr-mt-4w')}>
      <h2>Ajouter un agent</h2>
      <p>
        La demande doit être approuvée par un autre administrateur du département. L’agent reçoit
        ensuite par courriel un lien pour choisir son mot de passe.
      </p>
      <div role="status">{status && <Alert severity="success" small description={status} />}</div>
      <ProblemAlert error={error} />
      <Input
        label="Prénom et nom"
        {...fieldState(error, 'displayName')}
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
        {...fieldState(error, 'email')}
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
        hintText="Par exemple : equipe-nord"
        {...fieldState(error, 'team')}
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
