import { useState, type FormEvent } from 'react';
import { Outlet } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { declareSelf, listPersons } from '../api/persons';
import { Page } from '../app/Page';
import { fieldState } from '../ui/field-error';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { ClaimInvitation } from './ClaimInvitation';
import { useApi } from '../ui/useApi';
import './usager.css';

/**
 * Before anything else in the usager's space: who the usager is. A new account has no person of
 * its own yet, and requests are filed for a person.
 */
export function IdentityGate() {
  const persons = useApi(listPersons);
  if (persons.loading && !persons.data) return <Loading />;
  if (persons.error) {
    return (
      <Page title="Mon espace">
        <ProblemAlert error={persons.error} />
      </Page>
    );
  }
  if (!persons.data?.some((p) => p.relation === 'self')) {
    return <DeclareIdentityPage onDone={persons.reload} />;
  }
  return <Outlet />;
}

function DeclareIdentityPage({ onDone }: { onDone: () => Promise<void> }) {
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [address, setAddress] = useState('');
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await declareSelf({
        firstName: firstName.trim(),
        lastName: lastName.trim(),
        birthDate,
        ...(address.trim() ? { address: address.trim() } : {}),
      });
      // Busy until the space opens: the identity is declared once.
      await onDone();
    });
  }

  return (
    <Page
      title="Déclarer votre identité"
      lead="Avant votre première demande, dites-nous qui vous êtes. Ces informations sont chiffrées ; seuls les agents chargés de vos dossiers les lisent."
    >
      <ClaimInvitation onDone={onDone} />
      <h2>Première demande en ligne</h2>
      <form onSubmit={submit} noValidate className={fr.cx('fr-col-md-8', 'fr-col-lg-6')}>
        <p>Les champs sont obligatoires, sauf mention contraire.</p>
        <ProblemAlert error={error} />
        <Input
          label="Prénom"
          {...fieldState(error, 'firstName')}
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
          {...fieldState(error, 'lastName')}
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
          {...fieldState(error, 'birthDate')}
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
          {...fieldState(error, 'address')}
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
