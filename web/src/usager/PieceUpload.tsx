import { useId, useRef, useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { ApiProblem } from '../api/client';
import { uploadDocument, type DocumentView } from '../api/documents';
import type { DocumentCategory, Piece } from '../api/vocabulary';
import { useAction } from '../ui/useAction';
import { fieldState } from '../ui/field-error';
import { dayFromToday, todayIso } from '../ui/labels';

const ACCEPT = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';

function describe(error: unknown): string {
  if (error instanceof ApiProblem) {
    return error.detail && error.detail !== error.title
      ? `${error.title} : ${error.detail}`
      : error.title;
  }
  return 'L’envoi a échoué. Réessayez dans un instant.';
}

/**
 * One file sent to a case as soon as it is chosen, with a progress bar and its percentage read
 * out, and the API's refusal (type, size) shown on the field itself.
 */
export function PieceUpload({
  caseId,
  category,
  piece,
  label,
  done,
  replaces,
  onUploaded,
}: {
  caseId: string;
  category: DocumentCategory;
  piece?: Piece;
  label: string;
  /** The piece is already on file (shown as a success, another file may still be added). */
  done?: boolean;
  /** The piece this upload replaces (a rejected one): kept on file, marked as replaced. */
  replaces?: string;
  onUploaded: (document: DocumentView) => void;
}) {
  const dated = piece === 'certificat_medical';
  const [issuedOn, setIssuedOn] = useState('');
  const id = useId();
  const [fraction, setFraction] = useState<number | null>(null);
  const [fileName, setFileName] = useState('');
  const action = useAction();
  const input = useRef<HTMLInputElement>(null);

  function send(file: File) {
    void action.run(async () => {
      setFileName(file.name);
      setFraction(0);
      try {
        if (dated && !issuedOn) {
          throw new Error('Indiquez d’abord la date du certificat médical.');
        }
        const target = { category, piece, replaces, ...(dated ? { issuedOn } : {}) };
        onUploaded(await uploadDocument(caseId, target, file, setFraction));
        return `« ${file.name} » a bien été envoyé.`;
      } catch (e) {
        setFraction(null);
        throw e;
      } finally {
        if (input.current) input.current.value = '';
      }
    });
  }

  const error = action.error ? describe(action.error) : null;
  const sent = action.status;
  const percent = fraction === null ? null : Math.round(fraction * 100);
  const state = error ? 'error' : sent || done ? 'success' : 'default';
  return (
    <div className={fr.cx('fr-mb-4w')}>
      {dated && (
        <Input
          label="Date du certificat médical"
          hintText="Celle écrite par le médecin : le certificat doit dater de moins de 12 mois."
          {...fieldState(action.error, 'issuedOn')}
          nativeInputProps={{
            type: 'date',
            name: 'issuedOn',
            value: issuedOn,
            min: dayFromToday(-365),
            max: todayIso(),
            required: true,
            onChange: (e) => setIssuedOn(e.target.value),
          }}
        />
      )}
      <Upload
        label={label}
        hint="Formats acceptés : PDF, JPEG ou PNG. Taille maximale : 20 Mo."
        state={state}
        stateRelatedMessage={error ?? sent ?? 'Pièce déjà envoyée.'}
        nativeInputProps={{
          ref: input,
          accept: ACCEPT,
          'aria-invalid': error ? true : undefined,
          onChange: (e) => {
            const file = e.target.files?.[0];
            if (file) void send(file);
          },
        }}
      />
      {percent !== null && (
        <div className={fr.cx('fr-mt-1w')}>
          <label htmlFor={`${id}-progress`}>Envoi de « {fileName} »</label>
          <progress
            id={`${id}-progress`}
            className="cloison-usager-progress"
            max={100}
            value={percent}
          >
            {percent} %
          </progress>
          <p role="status" aria-live="polite" className={fr.cx('fr-text--sm')}>
            {percent < 100 ? `Envoi en cours : ${percent} %` : 'Envoi terminé : 100 %'}
          </p>
        </div>
      )}
    </div>
  );
}
