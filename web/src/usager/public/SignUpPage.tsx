import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { signUp } from '../../api/self-service';
import { Page } from '../../app/Page';
import { fieldMessages, fieldState } from '../../ui/field-error';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { useAction } from '../../ui/useAction';

/** Creating a usager account: the account works once the mailed link is opened. */
export function SignUpPage() {
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [tenant, setTenant] = useState('');
  const { busy, error, run } = useAction();
  const [sentTo, setSentTo] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await signUp({ displayName, email, password, tenant });
      setSentTo(email);
    });
  }

  return (
    <Page title="Créer un compte" crumbs={[{ label: 'Accueil', to: '/' }]}>
      <div className={fr.cx('fr-grid-row')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-8', 'fr-col-lg-6')}>
          <div role="status">
            {sentTo && (
              <Alert
                severity="success"
                title="Vérifiez votre messagerie"
                description={`Si l’adresse ${sentTo} peut recevoir un compte, un message vient de lui être envoyé avec un lien pour l’activer. Le lien est valable 24 heures.`}
              />
            )}
          </div>
          {!sentTo && (
            <form onSubmit={submit} noValidate>
              <p>Tous les champs sont obligatoires.</p>
              <ProblemAlert error={error} />
              <Input
                label="Vos prénom et nom"
                {...fieldState(error, 'displayName')}
                nativeInputProps={{
                  name: 'displayName',
                  autoComplete: 'name',
                  required: true,
                  value: displayName,
                  onChange: (e) => setDisplayName(e.target.value),
                }}
              />
              <Input
                label="Adresse électronique"
                hintText="Format attendu : nom@domaine.fr"
                {...fieldState(error, 'email')}
                nativeInputProps={{
                  type: 'email',
                  name: 'email',
                  autoComplete: 'email',
                  required: true,
                  value: email,
                  onChange: (e) => setEmail(e.target.value),
                }}
              />
              <PasswordInput
                label="Mot de passe"
                messages={[
                  { message: '12 caractères au moins', severity: 'info' },
                  ...fieldMessages(error, 'password'),
                ]}
                nativeInputProps={{
                  name: 'password',
                  autoComplete: 'new-password',
                  required: true,
                  value: password,
                  onChange: (e) => setPassword(e.target.value),
                }}
              />
              <Input
                label="Numéro de votre département"
                {...fieldState(error, 'tenant')}
                hintText="Celui de la MDPH à laquelle vous vous adressez, par exemple 44"
                nativeInputProps={{
                  name: 'tenant',
                  inputMode: 'numeric',
                  autoComplete: 'off',
                  required: true,
                  value: tenant,
                  onChange: (e) => setTenant(e.target.value.trim()),
                }}
              />
              <p className={fr.cx('fr-text--sm')}>
                Ce que la MDPH conserve de vous, pourquoi et combien de temps :{' '}
                <Link to="/conservation-des-donnees" className={fr.cx('fr-link', 'fr-text--sm')}>
                  conservation des données
                </Link>
                .
              </p>
              <Button type="submit" disabled={busy}>
                Créer mon compte
              </Button>
            </form>
          )}
          <p className={fr.cx('fr-mt-4w')}>
            Vous avez déjà un compte ?{' '}
            <Link to="/connexion" className={fr.cx('fr-link')}>
              Se connecter
            </Link>
          </p>
        </div>
      </div>
    </Page>
  );
}
