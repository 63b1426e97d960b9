import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { proveRecoveryCode, proveTotp } from '../api/mfa';
import { Page } from '../app/Page';
import { fieldState } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { useContinueSignIn } from './continue-sign-in';

/** After the password: the code of the authenticator app, or a recovery code. */
export function SecondFactorPage() {
  const [mode, setMode] = useState<'totp' | 'recovery'>('totp');
  const [code, setCode] = useState('');
  const { busy, error, run, reset } = useAction();
  const continueSignIn = useContinueSignIn();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await (mode === 'totp' ? proveTotp(code.trim()) : proveRecoveryCode(code.trim()));
      await continueSignIn('done');
    });
  }

  return (
    <Page title="Vérification en deux étapes">
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--center')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-8', 'fr-col-lg-6')}>
          <form onSubmit={submit} noValidate>
            <ProblemAlert error={error} />
            {mode === 'totp' ? (
              <Input
                label="Code à 6 chiffres"
                hintText="Le code affiché par votre application d’authentification (il change toutes les 30 secondes)."
                {...fieldState(error, 'code')}
                nativeInputProps={{
                  name: 'code',
                  inputMode: 'numeric',
                  autoComplete: 'one-time-code',
                  pattern: '[0-9]{6}',
                  maxLength: 6,
                  required: true,
                  value: code,
                  onChange: (e) => setCode(e.target.value.replace(/\D/g, '')),
                }}
              />
            ) : (
              <Input
                label="Code de secours"
                hintText="Un des dix codes remis lors de l’activation ; chacun ne sert qu’une fois."
                {...fieldState(error, 'code')}
                nativeInputProps={{
                  name: 'recovery-code',
                  autoComplete: 'off',
                  required: true,
                  value: code,
                  onChange: (e) => setCode(e.target.value),
                }}
              />
            )}
            <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md')}>
              <li>
                <Button type="submit" disabled={busy}>
                  Valider
                </Button>
              </li>
              <li>
                <Button
                  type="button"
                  priority="tertiary"
                  onClick={() => {
                    setMode(mode === 'totp' ? 'recovery' : 'totp');
                    setCode('');
                    reset();
                  }}
                >
                  {mode === 'totp' ? 'Utiliser un code de secours' : 'Utiliser l’application'}
                </Button>
              </li>
            </ul>
          </form>
        </div>
      </div>
    </Page>
  );
}
