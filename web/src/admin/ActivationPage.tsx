import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { activateAccount } from '../api/staff';
import { Page } from '../app/Page';
import { fieldMessages } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { useFragmentToken } from '../auth/fragment-token';
import { useContinueSignIn } from '../auth/continue-sign-in';

/**
 * A new agent's first visit: the approved account is activated by choosing a password (the
 * API signs them in), then they enrol their authenticator app before anything else.
 */
export function ActivationPage() {
  const token = useFragmentToken();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const { busy, error, run } = useAction();
  const continueSignIn = useContinueSignIn();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!token) return;
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    void run(async () => {
      const result = await activateAccount({ token, password });
      await continueSignIn(result.next);
    });
  }

  return (
    <Page title="Activer mon compte d’agent">
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--center')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-8', 'fr-col-lg-6')}>
          {!token ? (
            <Alert
              severity="error"
              small={false}
              title="Lien d’activation incomplet"
              description="Ouvrez le lien exactement tel que vous l’avez reçu par courriel, ou demandez un nouveau lien à votre administrateur."
            />
          ) : (
            <form onSubmit={submit} noValidate>
              <p>
                Choisissez votre mot de passe : au moins 15 caractères, sans votre nom ni votre
                adresse. Vous activerez ensuite la vérification en deux étapes.
              </p>
              <ProblemAlert error={error} />
              <PasswordInput
                label="Nouveau mot de passe"
                messagesHint=""
                messages={fieldMessages(error, 'password')}
                nativeInputProps={{
                  name: 'password',
                  autoComplete: 'new-password',
                  required: true,
                  value: password,
                  onChange: (e) => setPassword(e.target.value),
                }}
              />
              <PasswordInput
                label="Confirmez le mot de passe"
                messagesHint=""
                messages={
                  mismatch
                    ? [{ severity: 'error', message: 'Les deux mots de passe sont différents.' }]
                    : []
                }
                nativeInputProps={{
                  name: 'confirm',
                  autoComplete: 'new-password',
                  required: true,
                  value: confirm,
                  onChange: (e) => setConfirm(e.target.value),
                }}
              />
              <Button type="submit" disabled={busy} className={fr.cx('fr-mt-2w')}>
                Activer mon compte
              </Button>
            </form>
          )}
        </div>
      </div>
    </Page>
  );
}
