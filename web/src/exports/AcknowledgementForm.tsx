import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { ApiProblem } from '../api/client';
import { acknowledgeMigration, type ExportInstruction } from '../api/exports';
import { fieldState } from '../ui/field-error';
import { formatDate, formatDateTime } from '../ui/labels';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { counted } from './labels';

const MANIFEST_HASH = /^[0-9a-f]{64}$/;
const RECEIPT = /^[0-9a-f]{32}$/;

type FieldProps = { state: 'error' | 'default'; stateRelatedMessage?: string };

/**
 * The state of one of the two proofs: the page's own check first, then the API's word on that
 * field; a refusal of the pair (the server will not say which one is wrong, so that neither can
 * be guessed alone) shows on both.
 */
function proofState(error: unknown, field: string, local: string | null): FieldProps {
  if (local) return { state: 'error', stateRelatedMessage: local };
  const own = fieldState(error, field);
  if (own.state === 'error') return own;
  if (
    error instanceof ApiProblem &&
    error.type.endsWith(':validation') &&
    error.fieldErrors.length === 0 &&
    error.detail
  ) {
    return { state: 'error', stateRelatedMessage: error.detail };
  }
  return { state: 'default' };
}

/**
 * A ready migration waiting for the recipient's word: the DPO types the SHA-256 of the
 * MANIFEST.json the recipient received and the receipt code written inside it. Only someone who
 * decrypted the file holds the code; the server checks both and refuses a file never downloaded.
 */
export function AcknowledgementForm({
  instruction: i,
  onDone,
}: {
  instruction: ExportInstruction;
  /** Told the outcome in words: the instruction then leaves this list. */
  onDone: (message: string) => Promise<void>;
}) {
  const [manifest, setManifest] = useState('');
  const [receipt, setReceipt] = useState('');
  const [local, setLocal] = useState<{ manifest: string | null; receipt: string | null }>({
    manifest: null,
    receipt: null,
  });
  const { busy, error, run, reset } = useAction();
  const who = i.recipient.name;
  const p = i.run?.progress;

  function submit(event: FormEvent) {
    event.preventDefault();
    // Copied from a terminal, a hash may come in capitals or with spaces around it.
    const manifestSha256 = manifest.trim().toLowerCase();
    const code = receipt.trim().toLowerCase();
    const problems = {
      manifest: MANIFEST_HASH.test(manifestSha256)
        ? null
        : 'Saisissez les 64 caractères hexadécimaux (0-9, a-f) de l’empreinte SHA-256 du manifeste.',
      receipt: RECEIPT.test(code)
        ? null
        : 'Saisissez les 32 caractères hexadécimaux (0-9, a-f) du code de réception.',
    };
    setLocal(problems);
    if (problems.manifest || problems.receipt) {
      // The server's last word was about other values: only the page's own check stands.
      reset();
      const form = event.currentTarget as HTMLFormElement;
      form
        .querySelector<HTMLInputElement>(
          `[name="${problems.manifest ? 'manifest' : 'receipt'}-${i.id}"]`,
        )
        ?.focus();
      return;
    }
    void run(async () => {
      const done = await acknowledgeMigration(i.id, { manifestSha256, receipt: code });
      await onDone(
        `Réception confirmée pour ${who} : l’effacement de la source est prévu le ${formatDate(done.migration?.erasureDueAt)}.`,
      );
    });
  }

  return (
    <section className="cloison-export-card" aria-labelledby={`acknowledge-${i.id}`}>
      <h4 id={`acknowledge-${i.id}`}>Migration vers {who}</h4>
      <p className={fr.cx('fr-text--sm')}>
        {i.purpose}
        <br />
        Fichier produit le {formatDateTime(i.run?.finishedAt)}
        {p && ` : ${counted(p.cases, 'dossier')}, ${counted(p.persons, 'personne')}`}. La
        confirmation n’est acceptée qu’une fois le fichier téléchargé par la personne qui a demandé
        la migration.
      </p>
      <form onSubmit={submit} noValidate>
        <Input
          label={`Empreinte SHA-256 du manifeste reçu par ${who}`}
          hintText="64 caractères hexadécimaux. Le destinataire la calcule sur le fichier MANIFEST.json extrait de l’archive déchiffrée (sha256sum MANIFEST.json), après avoir vérifié l’archive avec cloison exports verify."
          {...proofState(error, 'manifestSha256', local.manifest)}
          nativeInputProps={{
            name: `manifest-${i.id}`,
            autoComplete: 'off',
            spellCheck: false,
            maxLength: 80,
            value: manifest,
            onChange: (e) => setManifest(e.target.value),
          }}
        />
        <Input
          label={`Code de réception de ${who}`}
          hintText="32 caractères hexadécimaux : le champ « receipt » du fichier MANIFEST.json. Cloison ne l’affiche nulle part ; seul le destinataire qui a déchiffré l’archive le connaît."
          {...proofState(error, 'receipt', local.receipt)}
          nativeInputProps={{
            name: `receipt-${i.id}`,
            autoComplete: 'off',
            spellCheck: false,
            maxLength: 48,
            value: receipt,
            onChange: (e) => setReceipt(e.target.value),
          }}
        />
        <ProblemAlert error={error} title="La réception n’est pas confirmée" />
        <Button type="submit" disabled={busy}>
          Confirmer la réception par {who}
        </Button>
      </form>
    </section>
  );
}
