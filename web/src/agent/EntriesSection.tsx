import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { api } from '../api/client';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useApi } from '../ui/useApi';
import { formatDateTime } from '../ui/labels';
import type { CaseEntry } from '../api/types';

/** Internal notes or messages with the usager: the list, then a form to add one. */
export function EntriesSection({
  caseId,
  kind,
  title,
  lead,
  canWrite,
}: {
  caseId: string;
  kind: 'notes' | 'messages';
  title: string;
  lead: string;
  canWrite: boolean;
}) {
  const entries = useApi(
    () => api.get<{ items: CaseEntry[] }>(`/api/v1/cases/${caseId}/${kind}`),
    [caseId, kind],
  );
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const noun = kind === 'notes' ? 'la note' : 'le message';
  const titleId = `${kind}-title`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setDone('');
    setBusy(true);
    try {
      await api.post(`/api/v1/cases/${caseId}/${kind}`, { body: body.trim() });
      setBody('');
      setDone(kind === 'notes' ? 'Note ajoutée.' : 'Message envoyé.');
      await entries.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={titleId} className={fr.cx('fr-mt-4w')}>
      <h2 id={titleId} className={fr.cx('fr-h4')}>
        {title}
      </h2>
      <p className={fr.cx('fr-text--sm')}>{lead}</p>
      <ProblemAlert error={entries.error} />
      {entries.loading && !entries.data && <Loading />}
      {entries.data && entries.data.items.length === 0 && <p>Aucun pour l’instant.</p>}
      {entries.data && entries.data.items.length > 0 && (
        <ul className="cloison-lines" aria-label={title}>
          {entries.data.items.map((e) => (
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
            textArea
            nativeTextAreaProps={{
              name: kind,
              value: body,
              rows: 3,
              maxLength: 10000,
              onChange: (e) => setBody(e.target.value),
            }}
          />
          <div role="status">{done && <p>{done}</p>}</div>
          <Button type="submit" priority="secondary" disabled={busy || body.trim() === ''}>
            {kind === 'notes' ? 'Ajouter la note' : 'Envoyer le message'}
          </Button>
        </form>
      )}
    </section>
  );
}
