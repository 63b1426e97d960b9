import { useRef, useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { uploadMandateProof, type ProofKind } from '../api/mandates';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { PROOF_KIND_LABEL } from '../ui/labels';

/** The representative sends the proof of their mandate, with its progress. */
export function ProofUpload({
  mandateId,
  onUploaded,
}: {
  mandateId: string;
  onUploaded: () => void;
}) {
  const [kind, setKind] = useState<ProofKind>('livret_famille');
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
        await uploadMandateProof(mandateId, kind, chosen, setProgress);
        if (file.current) file.current.value = '';
        onUploaded();
        return 'Justificatif envoyé : un agent de la MDPH va le vérifier.';
      } finally {
        setProgress(null);
      }
    });
  }

  return (
    <form onSubmit={submit} noValidate className={fr.cx('fr-mt-2w')}>
      <ProblemAlert error={error} title="Le justificatif n’a pas été envoyé" />
      <Select
        label="Justificatif"
        nativeSelectProps={{
          name: 'kind',
          value: kind,
          onChange: (e) => setKind(e.target.value as ProofKind),
        }}
      >
        {(Object.keys(PROOF_KIND_LABEL) as ProofKind[]).map((k) => (
          <option key={k} value={k}>
            {PROOF_KIND_LABEL[k]}
          </option>
        ))}
      </Select>
      <Upload
        label="Fichier"
        hint="PDF, JPEG ou PNG. Taille maximale : 20 Mo."
        nativeInputProps={{ ref: file, name: 'file', accept: '.pdf,.jpg,.jpeg,.png' }}
      />
      <div role="status" className={fr.cx('fr-my-1w')}>
        {progress !== null && (
          <progress max={100} value={Math.round(progress * 100)} aria-label="Envoi en cours">
            {Math.round(progress * 100)} %
          </progress>
        )}
        {status && <p>{status}</p>}
      </div>
      <Button type="submit" disabled={busy}>
        Envoyer le justificatif
      </Button>
    </form>
  );
}
