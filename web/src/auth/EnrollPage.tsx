import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput';
import { confirmTotpEnrollment, startTotpEnrollment, type TotpEnrollment } from '../api/mfa';
import { Page } from '../app/Page';
import { fieldMessages, fieldState } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { useContinueSignIn } from './continue-sign-in';

/**
 * Registering an authenticator app: required for staff before anything else, optional for
 * usagers. The secret is shown once, typed or scanned into the app, then proven with a code.
 */
export function EnrollPage() {
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);
  const [code, setCode] = useState('');
  // The API asks the password again before showing a new secret (reauthentication).
  const [password, setPassword] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const { busy, error, run } = useAction();
  const continueSignIn = useContinueSignIn();

  function start(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      setEnrollment(await startTotpEnrollment(password));
    });
  }

  function confirm(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      setCodes((await confirmTotpEnrollment(code)).recoveryCodes);
    });
  }

  async function finish() {
    await continueSignIn('done');
  }

  return (
    <Page title="Activer la vérification en deux étapes">
      <ProblemAlert error={error} />
      {codes ? (
        <>
          <Alert
            severity="success"
            title="La vérification en deux étapes est active"
            small={false}
            description="Notez ces codes de secours et rangez-les en lieu sûr : chacun permet une connexion si vous perdez votre téléphone. Ils ne seront plus affichés."
          />
          {codes.length > 0 && (
            <ul className={fr.cx('fr-mt-2w')}>
              {codes.map((c) => (
                <li key={c}>
                  <code>{c}</code>
                </li>
              ))}
            </ul>
          )}
          <Button onClick={() => void finish()}>Continuer</Button>
        </>
      ) : !enrollment ? (
        <form onSubmit={start} noValidate>
          <p>
            Pour protéger les dossiers, chaque connexion d’un agent demande, après le mot de passe,
            un code à 6 chiffres donné par une application d’authentification (FreeOTP, Aegis,
            Google Authenticator…).
          </p>
          <PasswordInput
            label="Votre mot de passe actuel"
            messagesHint=""
            messages={fieldMessages(error, 'currentPassword')}
            nativeInputProps={{
              name: 'currentPassword',
              autoComplete: 'current-password',
              required: true,
              value: password,
              onChange: (e) => setPassword(e.target.value),
            }}
          />
          <Button type="submit" disabled={busy || !password} className={fr.cx('fr-mt-2w')}>
            Commencer
          </Button>
        </form>
      ) : (
        <form onSubmit={confirm} noValidate>
          <p>Dans votre application, ajoutez un compte avec cette clé (saisie manuelle) :</p>
          <p>
            <code className="cloison-secret">
              {enrollment.secret.replace(/(.{4})/g, '$1 ').trim()}
            </code>
          </p>
          <p>
            <a className={fr.cx('fr-link')} href={enrollment.uri}>
              Ouvrir dans l’application d’authentification de cet appareil
            </a>
          </p>
          <Input
            label="Code à 6 chiffres affiché par l’application"
            {...fieldState(error, 'code')}
            nativeInputProps={{
              name: 'code',
              inputMode: 'numeric',
              autoComplete: 'one-time-code',
              maxLength: 6,
              required: true,
              value: code,
              onChange: (e) => setCode(e.target.value.replace(/\D/g, '')),
            }}
          />
          <Button type="submit" disabled={busy}>
            Activer
          </Button>
        </form>
      )}
    </Page>
  );
}
