import { useRef, useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { uploadDocument, type DocumentView } from '../api/documents';
import {
  DOCUMENT_CATEGORIES,
  PIECE_CATEGORY,
  REQUIRED_PIECES,
  type DocumentCategory,
  type Piece,
} from '../api/vocabulary';
import { fieldState } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { CATEGORY_LABEL, PIECE_LABEL, todayIso } from '../ui/labels';

/**
 * Adds a piece to the case (the accueil scanning a paper one), with its progress; a piece may
 * replace the current one of the same piece, which stays on file as replaced.
 */
export function UploadForm({
  caseId,
  documents,
  onUploaded,
}: {
  caseId: string;
  /** The documents the agent sees: those of the chosen piece may be replaced. */
  documents: DocumentView[];
  onUploaded: () => void;
}) {
  const [category, setCategory] = useState<DocumentCategory>('identity');
  const [piece, setPiece] = useState<Piece | ''>('');
  const [issuedOn, setIssuedOn] = useState('');
  const [replaces, setReplaces] = useState('');
  const replaceable = documents.filter((d) => piece && d.piece === piece && !d.supersededBy);
  const [progress, setProgress] = useState<number | null>(null);
  const { busy, error, status, run } = useAction();
  const file = useRef<HTMLInputElement>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const chosen = file.current?.files?.[0];
      if (!chosen) throw new Error('Choisissez un fichier à envoyer.');
      setProgress(0);
      try {
        const doc = await uploadDocument(
          caseId,
          {
            category,
            piece: piece || undefined,
            ...(piece === 'certificat_medical' ? { issuedOn } : {}),
            ...(replaces ? { replaces } : {}),
          },
          chosen,
          setProgress,
        );
        if (file.current) file.current.value = '';
        onUploaded();
        return `${doc.originalName} a été ajouté au dossier.`;
      } finally {
        setProgress(null);
      }
    });
  }

  return (
    <form onSubmit={submit} noValidate className={fr.cx('fr-mt-3w')}>
      <fieldset className={fr.cx('fr-fieldset')}>
        <legend className={fr.cx('fr-fieldset__legend', 'fr-h6')}>Ajouter une pièce</legend>
        <ProblemAlert error={error} title="La pièce n’a pas été ajoutée" />
        <Select
          label="Pièce obligatoire concernée"
          {...fieldState(error, 'piece')}
          nativeSelectProps={{
            name: 'piece',
            value: piece,
            onChange: (e) => {
              const next = e.target.value as Piece | '';
              setPiece(next);
              setReplaces('');
              if (next) setCategory(PIECE_CATEGORY[next]);
            },
          }}
        >
          <option value="">Aucune (autre document)</option>
          {REQUIRED_PIECES.map((p) => (
            <option key={p} value={p}>
              {PIECE_LABEL[p]}
            </option>
          ))}
        </Select>
        <Select
          label="Catégorie"
          {...fieldState(error, 'category')}
          nativeSelectProps={{
            name: 'category',
            value: category,
            onChange: (e) => setCategory(e.target.value as DocumentCategory),
          }}
        >
          {DOCUMENT_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {CATEGORY_LABEL[c]}
            </option>
          ))}
        </Select>
        {piece === 'certificat_medical' && (
          <Input
            label="Date du certificat médical"
            hintText="Le certificat doit dater de moins de 12 mois."
            {...fieldState(error, 'issuedOn')}
            nativeInputProps={{
              type: 'date',
              name: 'issuedOn',
              value: issuedOn,
              max: todayIso(),
              required: true,
              onChange: (e) => setIssuedOn(e.target.value),
            }}
          />
        )}
        {replaceable.length > 0 && (
          <Select
            label="Remplace"
            hint="La pièce remplacée reste au dossier, marquée comme remplacée."
            {...fieldState(error, 'replaces')}
            nativeSelectProps={{
              name: 'replaces',
              value: replaces,
              onChange: (e) => setReplaces(e.target.value),
            }}
          >
            <option value="">Ne remplace aucune pièce</option>
            {replaceable.map((d) => (
              <option key={d.id} value={d.id}>
                {d.originalName}
              </option>
            ))}
          </Select>
        )}
        <Upload
          label="Fichier"
          hint="PDF, JPEG ou PNG."
          nativeInputProps={{ ref: file, name: 'file', accept: '.pdf,.jpg,.jpeg,.png' }}
        />
        <div role="status" className={fr.cx('fr-my-1w')}>
          {progress !== null && (
            <>
              <label htmlFor="upload-progress">Envoi en cours</label>
              <progress
                id="upload-progress"
                className="cloison-progress"
                max={100}
                value={Math.round(progress * 100)}
              >
                {Math.round(progress * 100)} %
              </progress>
            </>
          )}
          {status && <p>{status}</p>}
        </div>
        <Button type="submit" disabled={busy}>
          Envoyer la pièce
        </Button>
      </fieldset>
    </form>
  );
}
