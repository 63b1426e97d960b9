import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput';
import { changePassword } from '../api/auth';
import { getSecondFactors } from '../api/mfa';
import { Page } from '../app/Page';
import { useMe } from '../session/session';
import { fieldMessages } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { useApi } from '../ui/useApi';
import { roleLabel } from '../ui/labels';
import { NotificationPreferences } from './NotificationPreferences';

/** My account: who I am, my password, my second factors, the mails a usager receives. */
export function AccountPage() {
  const me = useMe();
  const factors = useApi(getSecondFactors);
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
            <dd>{roleLabel(me.role)}</dd>
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
      {me.kind === 'usager' && <NotificationPreferences />}
      <ChangePassword />
    </Page>
  );
}

function ChangePassword() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const { busy, error, status, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await changePassword({ currentPassword, newPassword });
      setCurrent('');
      setNew('');
      return 'Votre mot de passe a été changé ; vos autres sessions ont été fermées.';
    });
  }

  return (
    <form onSubmit={submit} noValidate className={fr.cx('fr-mt-4w')}>
      <fieldset className={fr.cx('fr-fieldset')}>
        <legend className={fr.cx('fr-fieldset__legend', 'fr-h4')}>Changer de mot de passe</legend>
        <ProblemAlert error={error} />
        {status && (
          <div role="status">
            <Alert severity="success" small description={status} />
          </div>
        )}
        <PasswordInput
          label="Mot de passe actuel"
          messagesHint=""
          messages={fieldMessages(error, 'currentPassword')}
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
          messagesHint=""
          messages={fieldMessages(error, 'newPassword')}
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
