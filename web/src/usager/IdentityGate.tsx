import { useState, type FormEvent } from 'react';
import { Outlet } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { api } from '../api/client';
import { Page } from '../app/Page';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useApi } from '../ui/useApi';
import type { PersonView } from './types';
import './usager.css';

/**
 * Before anything else in the usager's space: who the usager is. A new account has no person of
 * its own yet, and requests are filed for a person.
 */
export function IdentityGate() {
  const persons = useApi(() => api.get<{ items: PersonView[] }>('/api/v1/persons'));
  if (persons.loading && !persons.data) return <Loading />;
  if (persons.error) {
    return (
      <Page title="Mon espace">
        <ProblemAlert error={persons.error} />
      </Page>
    );
  }
  if (!persons.data?.items.some((p) => p.relation === 'self')) {
    return <DeclareIdentityPage onDone={() => void persons.reload()} />;
  }
  return <Outlet />;
}

function DeclareIdentityPage({ onDone }: { onDone: () => void }) {
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [address, setAddress] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/persons/self', {
        firstName: firstName.trim(),
        lastName: lastName.trim(),
        birthDate,
        ...(address.trim() ? { address: address.trim() } : {}),
      });
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <Page
      title="Déclarer votre identité"
      lead="Avant votre première demande, dites-nous qui vous êtes. Ces informations sont chiffrées ; seuls les agents chargés de vos dossiers les lisent."
    >
      <form onSubmit={submit} noValidate className={fr.cx('fr-col-md-8', 'fr-col-lg-6')}>
        <p>Les champs sont obligatoires, sauf mention contraire.</p>
        <ProblemAlert error={error} />
        <Input
          label="Prénom"
          nativeInputProps={{
            name: 'firstName',
            autoComplete: 'given-name',
            required: true,
            value: firstName,
            onChange: (e) => setFirstName(e.target.value),
          }}
        />
        <Input
          label="Nom"
          nativeInputProps={{
            name: 'lastName',
            autoComplete: 'family-name',
            required: true,
            value: lastName,
            onChange: (e) => setLastName(e.target.value),
          }}
        />
        <Input
          label="Date de naissance"
          hintText="Format attendu : jj/mm/aaaa"
          nativeInputProps={{
            type: 'date',
            name: 'birthDate',
            autoComplete: 'bday',
            required: true,
            value: birthDate,
            onChange: (e) => setBirthDate(e.target.value),
          }}
        />
        <Input
          label="Adresse postale (facultatif)"
          nativeInputProps={{
            name: 'address',
            autoComplete: 'street-address',
            value: address,
            onChange: (e) => setAddress(e.target.value),
          }}
        />
        <Button type="submit" disabled={busy}>
          Enregistrer mon identité
        </Button>
      </form>
    </Page>
  );
}
