import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { api } from '../api/client';
import type { SecondFactorState } from '../api/types';
import { Page } from '../app/Page';
import { homeOf, useSession } from '../session/session';
import { ProblemAlert } from '../ui/ProblemAlert';

/** The token of the mailed link `/activation#token=…` (a fragment never reaches any server log). */
function tokenFromFragment(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]{1,128})(?:&|$)/.exec(window.location.hash);
  return match?.[1] ?? null;
}

/**
 * A new agent's first visit: the approved account is activated by choosing a password (the
 * API signs them in), then they enrol their authenticator app before anything else.
 */
export function ActivationPage() {
  const [token] = useState(tokenFromFragment);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { refresh } = useSession();
  const navigate = useNavigate();

  useEffect(() => {
    // The token is read once; it leaves the address bar so that it is not bookmarked or shared.
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!token) return;
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<{ next: SecondFactorState }>('/api/v1/auth/activate', {
        token,
        password,
      });
      const session = await refresh();
      if (result.next === 'enroll') navigate('/compte/double-authentification');
      else if (result.next === 'second-factor') navigate('/connexion/second-facteur');
      else navigate(session.status === 'signed-in' ? homeOf(session.me) : '/');
    } catch (e) {
      setError(e);
      setBusy(false);
    }
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
