import { useState } from 'react';
import { Link } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import {
  addToAgenda,
  removeFromAgenda,
  type AgendaItem,
  type SessionDetail,
} from '../../api/cdaph-sessions';
import { listCases } from '../../api/cases';
import { decisionLabel, formatDate, rightLabel } from '../../ui/labels';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { StatusBadge } from '../../ui/StatusBadge';
import { useAction } from '../../ui/useAction';
import { useApi } from '../../ui/useApi';
import { DecisionForm } from '../DecisionsSection';

/**
 * The agenda of a session: each case with its rights and what was decided. The secretariat adds
 * ready cases, postpones them, and records the decisions while the session is in progress; a
 * member follows each case to its synthesis.
 */
export function AgendaSection(props: {
  s: SessionDetail;
  onChanged: (s: SessionDetail) => void;
  reload: () => void;
}) {
  const { s } = props;
  const can = (a: string) => s.abilities.includes(a);
  if (!s.agendaVisible) {
    return (
      <p role="status">
        L’ordre du jour vous sera ouvert à partir du {formatDate(s.agendaOpensOn)}, jusqu’à la
        clôture de la séance.
      </p>
    );
  }
  return (
    <section aria-labelledby="agenda-title" className={fr.cx('fr-mt-4w')}>
      <h2 id="agenda-title" className={fr.cx('fr-h4')}>
        Ordre du jour
      </h2>
      {s.agenda.length === 0 && <p>Aucun dossier à l’ordre du jour.</p>}
      {s.agenda.map((item) => (
        <AgendaCase
          key={item.caseId}
          sessionId={s.id}
          item={item}
          canRemove={can('agenda')}
          canDecide={can('decide')}
          onChanged={props.onChanged}
          reload={props.reload}
        />
      ))}
      {can('agenda') && <AddToAgenda s={s} onChanged={props.onChanged} />}
    </section>
  );
}

function AgendaCase(props: {
  sessionId: string;
  item: AgendaItem;
  canRemove: boolean;
  canDecide: boolean;
  onChanged: (s: SessionDetail) => void;
  reload: () => void;
}) {
  const { item } = props;
  const action = useAction();
  const decidedHere = item.rights.some((r) => r.decidedInSession);
  return (
    <article className={fr.cx('fr-mb-4w')} aria-labelledby={`case-${item.caseId}`}>
      <h3 id={`case-${item.caseId}`} className={fr.cx('fr-h5')}>
        <Link to={`/instruction/dossiers/${item.caseId}`}>{item.reference}</Link> —{' '}
        {item.subject.firstName} {item.subject.lastName} <StatusBadge status={item.status} />
      </h3>
      <ul>
        {item.rights.map((r) => (
          <li key={r.code}>
            {rightLabel(r.code)}
            {r.decidedInSession && r.decision
              ? ` — ${decisionLabel(r.decision)}${r.validFrom ? `, du ${formatDate(r.validFrom)} au ${formatDate(r.validUntil)}` : ''}`
              : ' — à décider'}
          </li>
        ))}
      </ul>
      <ProblemAlert error={action.error} title="Le dossier n’a pas été retiré" />
      {props.canRemove && !decidedHere && (
        <Button
          priority="tertiary"
          size="small"
          disabled={action.busy}
          onClick={() =>
            void action.run(async () => {
              props.onChanged(await removeFromAgenda(props.sessionId, item.caseId));
            })
          }
        >
          {`Reporter ${item.reference} (retirer de l’ordre du jour)`}
        </Button>
      )}
      {props.canDecide &&
        item.rights.map((r) => (
          <DecisionForm
            key={r.code}
            idPrefix={`${item.caseId}-`}
            caseId={item.caseId}
            right={r.code}
            initial={r.decidedInSession ? r.decision : null}
            reason=""
            validFrom={r.decidedInSession ? (r.validFrom ?? '') : ''}
            validUntil={r.decidedInSession ? (r.validUntil ?? '') : ''}
            onDone={props.reload}
          />
        ))}
    </article>
  );
}

/** Picks a case awaiting the CDAPH, not yet on this agenda, and puts it on it. */
function AddToAgenda(props: { s: SessionDetail; onChanged: (s: SessionDetail) => void }) {
  const ready = useApi(
    () => listCases({ status: 'attente_cdaph', limit: 200 }),
    [props.s.agendaCount],
  );
  const [caseId, setCaseId] = useState('');
  const action = useAction();
  const onAgenda = new Set(props.s.agenda.map((a) => a.caseId));
  const candidates = (ready.data ?? []).filter((c) => !onAgenda.has(c.id));
  return (
    <form
      className={fr.cx('fr-mt-3w')}
      aria-labelledby="add-agenda-title"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          props.onChanged(await addToAgenda(props.s.id, caseId));
          setCaseId('');
          return 'Dossier ajouté à l’ordre du jour.';
        });
      }}
    >
      <h3 id="add-agenda-title" className={fr.cx('fr-h6')}>
        Ajouter un dossier prêt
      </h3>
      <ProblemAlert error={action.error} title="Le dossier n’a pas été ajouté" />
      <Select
        label="Dossier en attente de la CDAPH"
        hint="Un dossier déjà inscrit à une autre séance prévue ou en cours est refusé."
        nativeSelectProps={{ value: caseId, onChange: (e) => setCaseId(e.target.value) }}
      >
        <option value="" disabled>
          Choisir
        </option>
        {candidates.map((c) => (
          <option key={c.id} value={c.id}>
            {`${c.reference} — ${c.subject.firstName} ${c.subject.lastName}`}
          </option>
        ))}
      </Select>
      <div role="status">{action.status && <p>{action.status}</p>}</div>
      <Button type="submit" priority="secondary" disabled={action.busy || caseId === ''}>
        Ajouter à l’ordre du jour
      </Button>
    </form>
  );
}
