import { useRef, useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { query, uploadWithProgress } from '../api/client';
import {
  DOCUMENT_CATEGORIES,
  PIECE_CATEGORY,
  REQUIRED_PIECES,
  type DocumentCategory,
  type DocumentView,
  type Piece,
} from '../api/types';
import { ProblemAlert } from '../ui/ProblemAlert';
import { CATEGORY_LABEL, PIECE_LABEL } from '../ui/labels';

/** Adds a piece to the case (the accueil scanning a paper one), with its progress. */
export function UploadForm({ caseId, onUploaded }: { caseId: string; onUploaded: () => void }) {
  const [category, setCategory] = useState<DocumentCategory>('identity');
  const [piece, setPiece] = useState<Piece | ''>('');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const file = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const chosen = file.current?.files?.[0];
    setError(null);
    setDone('');
    if (!chosen) {
      setError(new Error('Choisissez un fichier à envoyer.'));
      return;
    }
    const form = new FormData();
    form.append('file', chosen);
    setProgress(0);
    try {
      const doc = await uploadWithProgress<DocumentView>(
        `/api/v1/cases/${caseId}/documents${query({ category, piece: piece || undefined })}`,
        form,
        setProgress,
      );
      setDone(`${doc.originalName} a été ajouté au dossier.`);
      if (file.current) file.current.value = '';
      onUploaded();
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  }

  return (
    <form onSubmit={submit} noValidate className={fr.cx('fr-mt-3w')}>
      <fieldset className={fr.cx('fr-fieldset')}>
        <legend className={fr.cx('fr-fieldset__legend', 'fr-h6')}>Ajouter une pièce</legend>
        <ProblemAlert error={error} title="La pièce n’a pas été ajoutée" />
        <Select
          label="Pièce obligatoire concernée"
          nativeSelectProps={{
            name: 'piece',
            value: piece,
            onChange: (e) => {
              const next = e.target.value as Piece | '';
              setPiece(next);
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
          {done && <p>{done}</p>}
        </div>
        <Button type="submit" disabled={progress !== null}>
          Envoyer la pièce
        </Button>
      </fieldset>
    </form>
  );
}
