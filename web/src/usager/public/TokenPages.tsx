import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { confirmEmailChange } from '../../api/accounts';
import { requestPasswordReset, verifyEmail } from '../../api/self-service';
import { Page } from '../../app/Page';
import { fieldState } from '../../ui/field-error';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { useAction } from '../../ui/useAction';
import { useFragmentToken } from '../../auth/fragment-token';

/**
 * A page opened from a mailed link: the token comes from the fragment and is sent at once; the
 * person can also paste the code printed under the link.
 */
function TokenPage({
  title,
  confirm,
  doneTitle,
  doneText,
}: {
  title: string;
  /** Sends the token to the API. */
  confirm: (token: string) => Promise<void>;
  doneTitle: string;
  doneText: string;
}) {
  const fromLink = useFragmentToken();
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();
  const [done, setDone] = useState(false);
  const sentOnce = useRef(false);

  function send(token: string) {
    void run(async () => {
      await confirm(token);
      setDone(true);
    });
  }

  useEffect(() => {
    if (fromLink && !sentOnce.current) {
      sentOnce.current = true;
      send(fromLink);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fromLink]);

  function submit(event: FormEvent) {
    event.preventDefault();
    send(code.trim());
  }

  return (
    <Page title={title} crumbs={[{ label: 'Accueil', to: '/' }]}>
      <div role="status">
        {busy && <p>Vérification en cours…</p>}
        {done && <Alert severity="success" title={doneTitle} description={doneText} />}
      </div>
      {done ? (
        <p className={fr.cx('fr-mt-4w')}>
          <Button linkProps={{ to: '/connexion' }}>Se connecter</Button>
        </p>
      ) : (
        <form onSubmit={submit} noValidate className={fr.cx('fr-mt-2w')}>
          <ProblemAlert error={error} />
          <Input
            label="Code reçu par courriel"
            hintText="Le code est écrit sous le lien, dans le message que vous avez reçu"
            {...fieldState(error, 'token')}
            nativeInputProps={{
              name: 'code',
              autoComplete: 'one-time-code',
              spellCheck: false,
              required: true,
              value: code,
              onChange: (e) => setCode(e.target.value),
            }}
          />
          <Button type="submit" disabled={busy || code.trim() === ''}>
            Valider le code
          </Button>
        </form>
      )}
    </Page>
  );
}

export function VerifyEmailPage() {
  return (
    <TokenPage
      title="Confirmer votre adresse électronique"
      confirm={verifyEmail}
      doneTitle="Adresse confirmée"
      doneText="Votre compte est activé. Vous pouvez maintenant vous connecter."
    />
  );
}

export function ConfirmEmailChangePage() {
  return (
    <TokenPage
      title="Confirmer votre nouvelle adresse"
      confirm={confirmEmailChange}
      doneTitle="Nouvelle adresse enregistrée"
      doneText="Votre adresse a changé et vos sessions ont été fermées : connectez-vous avec la nouvelle adresse."
    />
  );
}

/** Asking for a reset link: the same answer whatever the address. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const { busy, error, run } = useAction();
  const [sent, setSent] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await requestPasswordReset(email);
      setSent(true);
    });
  }

  return (
    <Page title="Mot de passe oublié" crumbs={[{ label: 'Se connecter', to: '/connexion' }]}>
      <div role="status">
        {sent && (
          <Alert
            severity="success"
            title="Vérifiez votre messagerie"
            description="Si un compte existe avec cette adresse, un message vient de lui être envoyé avec un lien pour choisir un nouveau mot de passe."
          />
        )}
      </div>
      {!sent && (
        <form onSubmit={submit} noValidate>
          <ProblemAlert error={error} />
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
          <Button type="submit" disabled={busy}>
            Recevoir un lien
          </Button>
        </form>
      )}
      <p className={fr.cx('fr-mt-4w')}>
        <Link to="/connexion" className={fr.cx('fr-link')}>
          Retour à la connexion
        </Link>
      </p>
    </Page>
  );
}
