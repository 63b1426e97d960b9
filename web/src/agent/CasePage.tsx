import { useParams } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { getCase, type CaseDetail } from '../api/cases';
import { REQUIRED_PIECES } from '../api/vocabulary';
import { Page } from '../app/Page';
import { useMe } from '../session/session';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useApi } from '../ui/useApi';
import { PIECE_LABEL, decisionLabel, formatDate, pieceCheckLabel, rightLabel } from '../ui/labels';
import { deadlineText, instructionDeadlineText } from './format';
import { DocumentsSection } from './DocumentsSection';
import { MissingPiecesSection } from './MissingPiecesSection';
import { ActionsSection } from './ActionsSection';
import { DecisionsSection } from './DecisionsSection';
import { AssignmentSection } from './AssignmentSection';
import { EntriesSection } from './EntriesSection';
import './agent.css';
import { StatusBadge } from '../ui/StatusBadge';

/** One case as an agent works on it; every section shows only what the API allows. */
export function CasePage() {
  const { caseId = '' } = useParams();
  const me = useMe();
  const found = useApi(() => getCase(caseId), [caseId]);
  const c = found.data;
  const crumbs = [{ label: 'Dossiers', to: '/instruction' }];
  if (!c) {
    return (
      <Page title="Dossier" crumbs={crumbs}>
        {found.loading ? (
          <Loading label="Chargement du dossier…" />
        ) : (
          <ProblemAlert error={found.error} />
        )}
      </Page>
    );
  }
  const update = (next: CaseDetail) => found.setData(next);
  const can = (a: string) => c.abilities.includes(a);
  return (
    <Page title={`Dossier ${c.reference}`} crumbs={crumbs}>
      <div className={fr.cx('fr-mb-3w')}>
        <p className={fr.cx('fr-mb-1w')}>
          <strong>
            {c.subject.firstName} {c.subject.lastName}
          </strong>{' '}
          — statut : <StatusBadge status={c.status} small={false} />
        </p>
        <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>
          Déposé le {formatDate(c.submittedAt)} · délai légal de décision :{' '}
          {instructionDeadlineText(c)}
          {c.status === 'attente_pieces' &&
            c.piecesDeadline &&
            ` · pièces attendues avant le ${deadlineText(c.piecesDeadline, c.deadlines.piecesOverdue)}`}
          {c.deadlines.appealDeadline &&
            ` · recours possible jusqu’au ${deadlineText(c.deadlines.appealDeadline, !c.deadlines.appealOpen)}`}
        </p>
        <ul>
          {c.rights.map((r) => (
            <li key={r.code}>
              {rightLabel(r.code)}
              {r.decision &&
                ` — décision : ${decisionLabel(r.decision)}${r.decisionReason ? ` (${r.decisionReason})` : ''}`}
              {r.validFrom &&
                ` · valable du ${formatDate(r.validFrom)} au ${formatDate(r.validUntil)}`}
              {r.sessionSitsOn && ` · séance CDAPH du ${formatDate(r.sessionSitsOn)}`}
            </li>
          ))}
        </ul>
        {c.summary && <p className="cloison-pre">{c.summary}</p>}
      </div>

      <h2 className={fr.cx('fr-h4')}>Complétude</h2>
      <ul className="cloison-checklist" aria-label="Pièces obligatoires">
        {REQUIRED_PIECES.map((p) => (
          <li key={p}>
            <span aria-hidden="true">{c.completeness[p].complete ? '✓ ' : '✗ '}</span>
            {PIECE_LABEL[p]} : {pieceCheckLabel(c.completeness[p])}
          </li>
        ))}
      </ul>

      {can('document.list') && <DocumentsSection c={c} me={me} onChanged={found.reload} />}
      {c.nextStatuses.includes('attente_pieces') && (
        <MissingPiecesSection key={JSON.stringify(c.completeness)} c={c} onDone={update} />
      )}
      {can('case.transition') && <ActionsSection c={c} onDone={update} />}
      {can('case.decide') && c.status === 'attente_cdaph' && (
        <DecisionsSection c={c} onDone={update} />
      )}
      {can('case.assign') && <AssignmentSection c={c} me={me} onDone={update} />}
      {can('note.list') && (
        <EntriesSection
          caseId={c.id}
          kind="notes"
          title="Notes internes"
          lead="Jamais visibles par l’usager."
          canWrite={can('note.create')}
        />
      )}
      {can('message.list') && (
        <EntriesSection
          caseId={c.id}
          key={`messages-${c.updatedAt}`}
          kind="messages"
          title="Messages avec l’usager"
          lead="L’usager lit ces messages dans son espace."
          canWrite={can('message.create')}
        />
      )}
    </Page>
  );
}
