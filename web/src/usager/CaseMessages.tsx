import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { addCaseEntry, listCaseEntries } from '../api/entries';
import { fieldState } from '../ui/field-error';
import { formatDateTime } from '../ui/labels';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { useApi } from '../ui/useApi';

/** The conversation with the MDPH on one case, oldest first, and a form to write. */
export function CaseMessages({ caseId, canWrite }: { caseId: string; canWrite: boolean }) {
  const messages = useApi(() => listCaseEntries(caseId, 'messages'), [caseId]);
  const [body, setBody] = useState('');
  const { busy, error, status, run } = useAction();

  function send(event: FormEvent) {
    event.preventDefault();
    if (body.trim() === '') return;
    void run(async () => {
      await addCaseEntry(caseId, 'messages', body.trim());
      setBody('');
      await messages.reload();
      return 'Message envoyé.';
    });
  }

  const items = [...(messages.data ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return (
    <section aria-labelledby="messages-titre" className={fr.cx('fr-mt-6w')}>
      <h2 id="messages-titre">Messages</h2>
      <ProblemAlert error={messages.error} />
      {messages.data && items.length === 0 && <p>Aucun message pour l’instant.</p>}
      {items.length > 0 && (
        <ol className={fr.cx('fr-raw-list')}>
          {items.map((m) => (
            <li
              key={m.id}
              className={`cloison-usager-message ${m.author.kind === 'usager' ? 'cloison-usager-message--mine' : ''} ${fr.cx('fr-card', 'fr-p-2w', 'fr-mb-2w')}`}
            >
              <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>
                <strong>
                  {m.author.kind === 'usager' ? `${m.author.name} (vous)` : m.author.name}
                </strong>
                {m.author.kind === 'staff' ? ', MDPH' : ''} — le {formatDateTime(m.createdAt)}
              </p>
              <p className={`cloison-pre ${fr.cx('fr-mb-0')}`}>{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      {canWrite && (
        <form onSubmit={send} noValidate>
          <ProblemAlert error={error} />
          <Input
            textArea
            label="Votre message à la MDPH"
            hintText="10 000 caractères au plus"
            {...fieldState(error, 'body')}
            nativeTextAreaProps={{
              name: 'message',
              rows: 4,
              maxLength: 10_000,
              value: body,
              onChange: (e) => setBody(e.target.value),
            }}
          />
          <Button type="submit" disabled={busy || body.trim() === ''}>
            Envoyer le message
          </Button>
          <p role="status" className={fr.cx('fr-mt-1w')}>
            {status ?? ''}
          </p>
        </form>
      )}
    </section>
  );
}
