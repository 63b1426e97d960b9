import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { logIn } from '../api/auth';
import { Page } from '../app/Page';
import { fieldMessages, fieldState } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { OidcButtons } from './OidcButtons';
import { useContinueSignIn } from './continue-sign-in';

export function LoginPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const continueSignIn = useContinueSignIn();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const result = await logIn({ email, password });
      await continueSignIn(result.next);
    });
  }

  return (
    <Page title="Se connecter à Cloison">
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--center')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-8', 'fr-col-lg-6')}>
          <OidcButtons />
          <form onSubmit={submit} noValidate>
            <h2 className={fr.cx('fr-h5')}>
              Avec votre adresse électronique et votre mot de passe
            </h2>
            <div>
              <ProblemAlert error={error} />
              <Input
                label="Adresse électronique"
                hintText="Format attendu : nom@domaine.fr"
                {...fieldState(error, 'email')}
                nativeInputProps={{
                  type: 'email',
                  name: 'email',
                  autoComplete: 'username',
                  required: true,
                  value: email,
                  onChange: (e) => setEmail(e.target.value),
                }}
              />
              <PasswordInput
                label="Mot de passe"
                messagesHint=""
                messages={fieldMessages(error, 'password')}
                nativeInputProps={{
                  name: 'password',
                  autoComplete: 'current-password',
                  required: true,
                  value: password,
                  onChange: (e) => setPassword(e.target.value),
                }}
              />
              <p className={fr.cx('fr-mt-2w')}>
                <Link to="/mot-de-passe-oublie" className={fr.cx('fr-link')}>
                  Mot de passe oublié ?
                </Link>
              </p>
              <Button type="submit" disabled={busy}>
                Se connecter
              </Button>
            </div>
          </form>
          <hr className={fr.cx('fr-mt-4w')} />
          <h2 className={fr.cx('fr-h4')}>Vous n’avez pas de compte ?</h2>
          <Button priority="secondary" linkProps={{ to: '/inscription' }}>
            Créer un compte
          </Button>
        </div>
      </div>
    </Page>
  );
}
