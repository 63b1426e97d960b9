import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { addCaseEntry, listCaseEntries, type EntryKind } from '../api/entries';
import { fieldState } from '../ui/field-error';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { useApi } from '../ui/useApi';
import { formatDateTime } from '../ui/labels';

/** Internal notes or messages with the usager: the list, then a form to add one. */
export function EntriesSection({
  caseId,
  kind,
  title,
  lead,
  canWrite,
}: {
  caseId: string;
  kind: EntryKind;
  title: string;
  lead: string;
  canWrite: boolean;
}) {
  const entries = useApi(() => listCaseEntries(caseId, kind), [caseId, kind]);
  const [body, setBody] = useState('');
  const { busy, error, status, run } = useAction();
  const noun = kind === 'notes' ? 'la note' : 'le message';
  const titleId = `${kind}-title`;

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await addCaseEntry(caseId, kind, body.trim());
      setBody('');
      await entries.reload();
      return kind === 'notes' ? 'Note ajoutée.' : 'Message envoyé.';
    });
  }

  return (
    <section aria-labelledby={titleId} className={fr.cx('fr-mt-4w')}>
      <h2 id={titleId} className={fr.cx('fr-h4')}>
        {title}
      </h2>
      <p className={fr.cx('fr-text--sm')}>{lead}</p>
      <ProblemAlert error={entries.error} />
      {entries.loading && !entries.data && <Loading />}
      {entries.data && entries.data.length === 0 && <p>Aucun pour l’instant.</p>}
      {entries.data && entries.data.length > 0 && (
        <ul className="cloison-lines" aria-label={title}>
          {entries.data.map((e) => (
            <li key={e.id} className="cloison-entry">
              <p className={fr.cx('fr-text--sm', 'fr-mb-1v')}>
                {e.author.name}
                {e.author.kind === 'usager' ? ' (usager)' : ''}, le {formatDateTime(e.createdAt)}
              </p>
              <p className="cloison-pre">{e.body}</p>
            </li>
          ))}
        </ul>
      )}
      {canWrite && (
        <form onSubmit={submit} noValidate>
          <ProblemAlert error={error} title={`Impossible d’ajouter ${noun}`} />
          <Input
            label={kind === 'notes' ? 'Nouvelle note interne' : 'Nouveau message à l’usager'}
            {...fieldState(error, 'body')}
            textArea
            nativeTextAreaProps={{
              name: kind,
              value: body,
              rows: 3,
              maxLength: 10000,
              onChange: (e) => setBody(e.target.value),
            }}
          />
          <div role="status">{status && <p>{status}</p>}</div>
          <Button type="submit" priority="secondary" disabled={busy || body.trim() === ''}>
            {kind === 'notes' ? 'Ajouter la note' : 'Envoyer le message'}
          </Button>
        </form>
      )}
    </section>
  );
}
