import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { endMandate } from '../api/mandates';
import { fieldState } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { todayIso } from '../ui/labels';

/**
 * Ends a mandate early (a day to come) or revokes it (today: access stops at once), with a
 * reason kept sealed. Used by the representative and by the agents.
 */
export function EndMandateForm({ mandateId, onEnded }: { mandateId: string; onEnded: () => void }) {
  const [open, setOpen] = useState(false);
  const [endsOn, setEndsOn] = useState(todayIso());
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await endMandate(mandateId, { endsOn, reason });
      setOpen(false);
      onEnded();
    });
  }

  if (!open) {
    return (
      <Button type="button" size="small" priority="secondary" onClick={() => setOpen(true)}>
        Mettre fin au mandat…
      </Button>
    );
  }
  return (
    <form onSubmit={submit} noValidate className={fr.cx('fr-mt-1w')}>
      <ProblemAlert error={error} title="Le mandat n’a pas pris fin" />
      <Input
        label="Le mandat prend fin le"
        hintText="À partir de ce jour, il ne donne plus accès aux dossiers (aujourd’hui : tout de suite)."
        {...fieldState(error, 'endsOn')}
        nativeInputProps={{
          type: 'date',
          name: 'endsOn',
          value: endsOn,
          min: todayIso(),
          required: true,
          onChange: (e) => setEndsOn(e.target.value),
        }}
      />
      <Input
        label="Motif"
        {...fieldState(error, 'reason')}
        textArea
        nativeTextAreaProps={{
          name: 'reason',
          value: reason,
          rows: 2,
          maxLength: 2000,
          required: true,
          onChange: (e) => setReason(e.target.value),
        }}
      />
      <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-sm', 'fr-btns-group--sm')}>
        <li>
          <Button type="submit" size="small" disabled={busy}>
            Mettre fin au mandat
          </Button>
        </li>
        <li>
          <Button type="button" size="small" priority="tertiary" onClick={() => setOpen(false)}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}
