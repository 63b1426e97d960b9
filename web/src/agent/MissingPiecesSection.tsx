import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { transitionCase, type CaseDetail } from '../api/cases';
import { addCaseEntry } from '../api/entries';
import { REQUIRED_PIECES, type Piece } from '../api/vocabulary';
import { fieldState } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { PIECE_LABEL, dayFromToday, formatDate } from '../ui/labels';

/**
 * Asks the usager for missing pieces: the case goes to "en attente de pièces" with a deadline,
 * and a message lists the pieces so the usager reads it in their space.
 */
export function MissingPiecesSection({
  c,
  onDone,
}: {
  c: CaseDetail;
  onDone: (c: CaseDetail) => void;
}) {
  // What does not count yet: missing, refused, or a certificate over 12 months.
  const [pieces, setPieces] = useState<Piece[]>(
    REQUIRED_PIECES.filter(
      (p) =>
        !c.completeness[p].supplied ||
        c.completeness[p].review === 'rejected' ||
        c.completeness[p].dateValid === false,
    ),
  );
  const [deadline, setDeadline] = useState(dayFromToday(30));
  const [text, setText] = useState('');
  const { busy, error, run } = useAction();
  const toggle = (p: Piece, on: boolean) =>
    setPieces((list) => (on ? [...list, p] : list.filter((x) => x !== p)));

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      if (pieces.length === 0) throw new Error('Cochez au moins une pièce à demander.');
      const list = pieces.map((p) => `- ${PIECE_LABEL[p]}`).join('\n');
      const body =
        `Pour instruire votre dossier ${c.reference}, merci de transmettre avant le ` +
        `${formatDate(deadline)} :\n${list}${text.trim() ? `\n\n${text.trim()}` : ''}`;
      const next = await transitionCase(c.id, {
        to: 'attente_pieces',
        piecesDeadline: deadline,
        comment: `Pièces demandées : ${pieces.join(', ')}`,
      });
      await addCaseEntry(c.id, 'messages', body);
      onDone(next);
    });
  }

  return (
    <section aria-labelledby="missing-title" className={fr.cx('fr-mt-4w')}>
      <h2 id="missing-title" className={fr.cx('fr-h4')}>
        Demander des pièces manquantes
      </h2>
      <form onSubmit={submit} noValidate>
        <ProblemAlert error={error} title="La demande de pièces n’a pas été envoyée" />
        <Checkbox
          legend="Pièces à demander"
          options={REQUIRED_PIECES.map((p) => ({
            label: PIECE_LABEL[p],
            nativeInputProps: {
              name: 'pieces',
              value: p,
              checked: pieces.includes(p),
              onChange: (e) => toggle(p, e.target.checked),
            },
          }))}
        />
        <Input
          label="Date limite de production des pièces"
          {...fieldState(error, 'piecesDeadline')}
          nativeInputProps={{
            type: 'date',
            name: 'deadline',
            value: deadline,
            min: dayFromToday(1),
            required: true,
            onChange: (e) => setDeadline(e.target.value),
          }}
        />
        <Input
          label="Message joint à la demande"
          hintText="Envoyé à l’usager sous la liste des pièces demandées."
          {...fieldState(error, 'body')}
          textArea
          nativeTextAreaProps={{
            name: 'message',
            value: text,
            rows: 3,
            maxLength: 8000,
            onChange: (e) => setText(e.target.value),
          }}
        />
        <Button type="submit" disabled={busy}>
          Demander les pièces
        </Button>
      </form>
    </section>
  );
}
