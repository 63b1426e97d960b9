import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { confirmPasswordReset } from '../../api/self-service';
import { Page } from '../../app/Page';
import { fieldMessages, fieldState } from '../../ui/field-error';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { useAction } from '../../ui/useAction';
import { useFragmentToken } from '../../auth/fragment-token';

/** Choosing a new password with the mailed link (or its code); every session then ends. */
export function NewPasswordPage() {
  const fromLink = useFragmentToken();
  const [code, setCode] = useState(fromLink);
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const [done, setDone] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await confirmPasswordReset({ token: code.trim(), newPassword: password });
      setDone(true);
    });
  }

  return (
    <Page title="Choisir un nouveau mot de passe" crumbs={[{ label: 'Accueil', to: '/' }]}>
      <div role="status">
        {done && (
          <Alert
            severity="success"
            title="Mot de passe changé"
            description="Toutes vos sessions ont été fermées. Connectez-vous avec le nouveau mot de passe."
          />
        )}
      </div>
      {done ? (
        <p className={fr.cx('fr-mt-4w')}>
          <Button linkProps={{ to: '/connexion' }}>Se connecter</Button>
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <ProblemAlert error={error} />
          {!fromLink && (
            <Input
              label="Code reçu par courriel"
              hintText="Le code est écrit sous le lien, dans le message que vous avez reçu"
              {...fieldState(error, 'token')}
              nativeInputProps={{
                name: 'code',
                autoComplete: 'one-time-code',
                required: true,
                value: code,
                onChange: (e) => setCode(e.target.value),
              }}
            />
          )}
          <PasswordInput
            label="Nouveau mot de passe"
            messages={[
              { message: '12 caractères au moins', severity: 'info' },
              ...fieldMessages(error, 'newPassword'),
            ]}
            nativeInputProps={{
              name: 'newPassword',
              autoComplete: 'new-password',
              required: true,
              value: password,
              onChange: (e) => setPassword(e.target.value),
            }}
          />
          <Button type="submit" disabled={busy}>
            Enregistrer le mot de passe
          </Button>
        </form>
      )}
    </Page>
  );
}
