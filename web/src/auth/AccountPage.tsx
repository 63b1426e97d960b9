import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput';
import { api } from '../api/client';
import { Page } from '../app/Page';
import { useMe } from '../session/session';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useApi } from '../ui/useApi';
import { ROLE_LABEL } from '../ui/labels';

interface Factors {
  totp: 'none' | 'pending' | 'active';
  passkeys: Array<{ id: string; name: string }>;
  recoveryCodesLeft?: number;
}

/** My account: who I am, my password, my second factors. */
export function AccountPage() {
  const me = useMe();
  const factors = useApi(() => api.get<Factors>('/api/v1/me/second-factors'));
  return (
    <Page title="Mon compte">
      <dl>
        <dt className={fr.cx('fr-text--bold')}>Nom</dt>
        <dd>{me.displayName}</dd>
        <dt className={fr.cx('fr-text--bold')}>Adresse électronique</dt>
        <dd>{me.email}</dd>
        {me.role && (
          <>
            <dt className={fr.cx('fr-text--bold')}>Rôle</dt>
            <dd>{ROLE_LABEL[me.role]}</dd>
          </>
        )}
      </dl>
      <h2 className={fr.cx('fr-h4', 'fr-mt-4w')}>Vérification en deux étapes</h2>
      <ProblemAlert error={factors.error} />
      {factors.data && (
        <p>
          {factors.data.totp === 'active'
            ? 'Application d’authentification : active.'
            : 'Application d’authentification : non activée.'}{' '}
          {factors.data.passkeys.length > 0 &&
            `Clés d’accès : ${factors.data.passkeys.map((p) => p.name).join(', ')}.`}
        </p>
      )}
      {factors.data && factors.data.totp !== 'active' && (
        <Button priority="secondary" linkProps={{ to: '/compte/double-authentification' }}>
          Activer la vérification en deux étapes
        </Button>
      )}
      <ChangePassword />
    </Page>
  );
}

function ChangePassword() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await api.post('/api/v1/me/password', { currentPassword, newPassword });
      setDone(true);
      setCurrent('');
      setNew('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className={fr.cx('fr-mt-4w')}>
      <fieldset className={fr.cx('fr-fieldset')}>
        <legend className={fr.cx('fr-fieldset__legend', 'fr-h4')}>Changer de mot de passe</legend>
        <ProblemAlert error={error} />
        {done && (
          <div role="status">
            <Alert
              severity="success"
              small
              description="Votre mot de passe a été changé ; vos autres sessions ont été fermées."
            />
          </div>
        )}
        <PasswordInput
          label="Mot de passe actuel"
          nativeInputProps={{
            name: 'current-password',
            autoComplete: 'current-password',
            value: currentPassword,
            onChange: (e) => setCurrent(e.target.value),
          }}
        />
        <PasswordInput
          label="Nouveau mot de passe"
          hintText="12 caractères au moins. Une phrase de passe facile à retenir convient très bien."
          nativeInputProps={{
            name: 'new-password',
            autoComplete: 'new-password',
            value: newPassword,
            onChange: (e) => setNew(e.target.value),
          }}
        />
        <Button type="submit" disabled={busy}>
          Changer le mot de passe
        </Button>
      </fieldset>
    </form>
  );
}
