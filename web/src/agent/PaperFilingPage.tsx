import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { createCase } from '../api/cases';
import { invitePerson, registerPerson, searchPersonsByNir, type PersonMatch } from '../api/persons';
import { Page } from '../app/Page';
import { fieldState } from '../ui/field-error';
import { formatDate, formatDateTime } from '../ui/labels';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { RightsStep } from '../usager/RequestSteps';
import type { RightCode } from '../api/vocabulary';
import './agent.css';

/**
 * `/instruction/dossier-papier`: the accueil files a request that reached the MDPH on paper.
 * First the NIR search (a person already known is filed for, never registered twice), else the
 * registration of a person without an account; then the request, whose scanned pieces are added
 * on the case page; and the letter that invites the person to take over their file online.
 */
export function PaperFilingPage() {
  const [person, setPerson] = useState<PersonMatch | null>(null);
  return (
    <Page
      title="Déposer une demande papier"
      lead="Pour une personne qui a déposé sa demande au guichet ou par courrier."
    >
      {person === null ? (
        <>
          <NirSearch onPick={setPerson} />
          <Registration onRegistered={setPerson} />
        </>
      ) : (
        <>
          <p>
            Personne : <strong>{`${person.firstName} ${person.lastName}`}</strong>, née le{' '}
            {formatDate(person.birthDate)}.{' '}
            <Button type="button" priority="tertiary" size="small" onClick={() => setPerson(null)}>
              Choisir une autre personne
            </Button>
          </p>
          <NewPaperCase person={person} />
          <Invitation person={person} />
        </>
      )}
    </Page>
  );
}

function NirSearch({ onPick }: { onPick: (p: PersonMatch) => void }) {
  const [nir, setNir] = useState('');
  const [found, setFound] = useState<PersonMatch[] | null>(null);
  const { busy, error, run } = useAction();
  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      setFound(await searchPersonsByNir(nir.replace(/\s/g, '')));
    });
  }
  return (
    <section aria-labelledby="recherche-titre" className={fr.cx('fr-mb-6w')}>
      <h2 id="recherche-titre">1. La personne est-elle déjà connue ?</h2>
      <form onSubmit={submit} noValidate className={fr.cx('fr-col-md-8', 'fr-col-lg-6')}>
        <ProblemAlert error={error} />
        <Input
          label="Numéro de sécurité sociale (NIR)"
          hintText="13 chiffres, avec ou sans la clé"
          {...fieldState(error, 'nir')}
          nativeInputProps={{
            name: 'nir',
            inputMode: 'numeric',
            autoComplete: 'off',
            value: nir,
            onChange: (e) => setNir(e.target.value),
          }}
        />
        <Button type="submit" disabled={busy}>
          Rechercher
        </Button>
      </form>
      <div role="status" aria-live="polite">
        {found !== null &&
          (found.length === 0 ? (
            <p className={fr.cx('fr-mt-2w')}>
              Aucune personne de votre département ne porte ce NIR : enregistrez-la ci-dessous.
            </p>
          ) : (
            <ul className={fr.cx('fr-mt-2w')}>
              {found.map((p) => (
                <li key={p.id}>
                  {`${p.firstName} ${p.lastName}`}, née le {formatDate(p.birthDate)}{' '}
                  <Button type="button" size="small" onClick={() => onPick(p)}>
                    Déposer une demande pour {`${p.firstName} ${p.lastName}`}
                  </Button>
                </li>
              ))}
            </ul>
          ))}
      </div>
    </section>
  );
}

function Registration({ onRegistered }: { onRegistered: (p: PersonMatch) => void }) {
  const [form, setForm] = useState({
    firstName: '',
    lastName: '',
    birthDate: '',
    nir: '',
    address: '',
  });
  const { busy, error, run } = useAction();
  const field = (name: keyof typeof form) => ({
    name,
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const nir = form.nir.replace(/\s/g, '');
      onRegistered(
        await registerPerson({
          firstName: form.firstName.trim(),
          lastName: form.lastName.trim(),
          birthDate: form.birthDate,
          ...(nir ? { nir } : {}),
          ...(form.address.trim() ? { address: form.address.trim() } : {}),
        }),
      );
    });
  }
  return (
    <section aria-labelledby="enregistrement-titre">
      <h2 id="enregistrement-titre">2. Enregistrer une personne sans compte</h2>
      <form onSubmit={submit} noValidate className={fr.cx('fr-col-md-8', 'fr-col-lg-6')}>
        <p>Les champs sont obligatoires, sauf mention contraire. Tout est chiffré.</p>
        <ProblemAlert error={error} />
        <Input
          label="Prénom"
          {...fieldState(error, 'firstName')}
          nativeInputProps={{ ...field('firstName'), required: true }}
        />
        <Input
          label="Nom"
          {...fieldState(error, 'lastName')}
          nativeInputProps={{ ...field('lastName'), required: true }}
        />
        <Input
          label="Date de naissance"
          hintText="Format attendu : jj/mm/aaaa"
          {...fieldState(error, 'birthDate')}
          nativeInputProps={{ ...field('birthDate'), type: 'date', required: true }}
        />
        <Input
          label="NIR (facultatif)"
          hintText="Un NIR déjà enregistré est refusé : la personne est alors à rechercher."
          {...fieldState(error, 'nir')}
          nativeInputProps={{ ...field('nir'), inputMode: 'numeric', autoComplete: 'off' }}
        />
        <Input
          label="Adresse postale (facultatif)"
          {...fieldState(error, 'address')}
          nativeInputProps={field('address')}
        />
        <Button type="submit" disabled={busy}>
          Enregistrer la personne
        </Button>
      </form>
    </section>
  );
}

function NewPaperCase({ person }: { person: PersonMatch }) {
  const navigate = useNavigate();
  const [rights, setRights] = useState<RightCode[]>([]);
  const { busy, error, run } = useAction();
  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const created = await createCase({ personId: person.id, rights });
      navigate(`/instruction/dossiers/${created.id}`);
    });
  }
  return (
    <section aria-labelledby="demande-titre" className={fr.cx('fr-mb-6w')}>
      <h2 id="demande-titre">3. La demande</h2>
      <p>
        Le brouillon s’ouvre ensuite : ajoutez-y les pièces numérisées, puis déposez la demande.
      </p>
      <form onSubmit={submit} noValidate>
        <ProblemAlert error={error} />
        <RightsStep rights={rights} error={null} onChange={setRights} />
        <Button type="submit" disabled={busy || rights.length === 0}>
          Ouvrir la demande papier
        </Button>
      </form>
    </section>
  );
}

function Invitation({ person }: { person: PersonMatch }) {
  const [invitation, setInvitation] = useState<{ code: string; expiresAt: string } | null>(null);
  const { busy, error, run } = useAction();
  return (
    <section aria-labelledby="invitation-titre">
      <h2 id="invitation-titre">4. Inviter la personne à suivre son dossier en ligne</h2>
      <p>
        Un code à imprimer sur le courrier envoyé à la personne. Il n’est affiché qu’une fois ; un
        nouveau code annule le précédent.
      </p>
      <ProblemAlert error={error} />
      <Button
        type="button"
        priority="secondary"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            setInvitation(await invitePerson(person.id));
          })
        }
      >
        Créer le code d’invitation
      </Button>
      <div role="status" aria-live="polite">
        {invitation && (
          <div className={fr.cx('fr-callout', 'fr-mt-3w')}>
            <p className={fr.cx('fr-callout__text')}>
              Code d’invitation de {`${person.firstName} ${person.lastName}`} :{' '}
              <strong className="cloison-code">{invitation.code}</strong>
              <br />
              Valable jusqu’au {formatDateTime(invitation.expiresAt)}. La personne crée son compte
              sur le portail, puis saisit ce code et sa date de naissance.
            </p>
          </div>
        )}
      </div>
    </section>
  );
}
