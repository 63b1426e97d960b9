import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import {
  approveExportInstruction,
  refuseExportInstruction,
  type ExportInstruction,
} from '../api/exports';
import { fieldState } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { InstructionSummary, type Catalogue } from './InstructionSummary';
import { KIND_LABEL } from './labels';

/**
 * One instruction waiting for the DPO: everything it says, then approve or refuse with a
 * reason. The API refuses the DPO's own orders and decisions already taken; its refusal shows.
 */
export function PendingInstruction({
  instruction: i,
  catalogue,
  onDecided,
}: {
  instruction: ExportInstruction;
  catalogue: Catalogue;
  /** Told the outcome in words: the page keeps it, since a decided instruction leaves this list. */
  onDecided: (message: string) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [missingReason, setMissingReason] = useState(false);
  const { busy, error, run } = useAction();
  const who = i.recipient.name;

  function approve() {
    void run(async () => {
      await approveExportInstruction(i.id);
      await onDecided(`Instruction approuvée pour ${who} : l’export va s’exécuter.`);
    });
  }

  function refuse() {
    if (reason.trim().length === 0) {
      setMissingReason(true);
      return;
    }
    setMissingReason(false);
    void run(async () => {
      await refuseExportInstruction(i.id, reason.trim());
      await onDecided(`Instruction refusée pour ${who}.`);
    });
  }

  const reasonState = missingReason
    ? { state: 'error' as const, stateRelatedMessage: 'Indiquez la raison du refus.' }
    : fieldState(error, 'reason');

  return (
    <section className="cloison-export-card" aria-labelledby={`instruction-${i.id}`}>
      <h3 id={`instruction-${i.id}`}>
        {KIND_LABEL[i.kind]} vers {who}
      </h3>
      <InstructionSummary instruction={i} catalogue={catalogue} />
      <ProblemAlert error={error} />
      <Input
        label={`Raison du refus de l’instruction pour ${who}`}
        hintText="Obligatoire pour refuser ; transmise à la personne qui a demandé l’export."
        {...reasonState}
        textArea
        nativeTextAreaProps={{
          name: `refusal-${i.id}`,
          rows: 2,
          maxLength: 500,
          value: reason,
          onChange: (e) => setReason(e.target.value),
        }}
      />
      <div className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md')}>
        <Button disabled={busy} onClick={approve}>
          Approuver l’instruction pour {who}
        </Button>
        <Button priority="secondary" disabled={busy} onClick={refuse}>
          Refuser l’instruction pour {who}
        </Button>
      </div>
    </section>
  );
}
