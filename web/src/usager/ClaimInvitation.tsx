import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { claimInvitation } from '../api/persons';
import { fieldState } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';

/**
 * For a person whose request the MDPH registered on paper: the code of the letter they received
 * and their birth date hand them their file. Shown beside the identity declaration, since such a
 * person must not declare themself a second time.
 */
export function ClaimInvitation({ onDone }: { onDone: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await claimInvitation({ code: code.trim(), birthDate });
      await onDone();
    });
  }

  return (
    <section aria-labelledby="courrier-titre" className={fr.cx('fr-mb-6w')}>
      <h2 id="courrier-titre">Vous avez reçu un courrier de la MDPH ?</h2>
      <p>
        Si vous avez déposé votre demande au guichet ou par courrier, la MDPH vous a envoyé un code
        d’invitation. Saisissez-le avec votre date de naissance pour retrouver votre dossier en
        ligne.
      </p>
      {!open ? (
        <Button type="button" priority="secondary" onClick={() => setOpen(true)}>
          J’ai reçu un code d’invitation
        </Button>
      ) : (
        <form onSubmit={submit} noValidate className={fr.cx('fr-col-md-8', 'fr-col-lg-6')}>
          <ProblemAlert error={error} />
          <Input
            label="Code d’invitation"
            hintText="12 caractères, par exemple K7QF-9XMD-2P4T"
            {...fieldState(error, 'code')}
            nativeInputProps={{
              name: 'code',
              autoComplete: 'one-time-code',
              autoCapitalize: 'characters',
              spellCheck: false,
              required: true,
              value: code,
              onChange: (e) => setCode(e.target.value),
            }}
          />
          <Input
            label="Date de naissance de la personne concernée"
            hintText="Format attendu : jj/mm/aaaa"
            {...fieldState(error, 'birthDate')}
            nativeInputProps={{
              type: 'date',
              name: 'birthDate',
              required: true,
              value: birthDate,
              onChange: (e) => setBirthDate(e.target.value),
            }}
          />
          <Button type="submit" disabled={busy}>
            Retrouver mon dossier
          </Button>
        </form>
      )}
    </section>
  );
}
