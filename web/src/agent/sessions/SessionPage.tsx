import { useState } from 'react';
import { useParams } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import {
  closeSession,
  getSession,
  openSession,
  setSessionMembers,
  type SessionDetail,
} from '../../api/cdaph-sessions';
import { Page } from '../../app/Page';
import { useMe } from '../../session/session';
import { fieldError, fieldState } from '../../ui/field-error';
import { formatDate } from '../../ui/labels';
import { Loading } from '../../ui/Loading';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { useAction } from '../../ui/useAction';
import { useApi } from '../../ui/useApi';
import { useStaff } from '../useStaff';
import { AgendaSection } from './AgendaSection';
import { MembersPicker } from './MembersPicker';
import { FORMATION_LABEL, SESSION_STATUS_LABEL } from './session-labels';

/** One CDAPH session: members, agenda, opening, decisions, closing (what the API allows). */
export function SessionPage() {
  const { sessionId = '' } = useParams();
  const found = useApi(() => getSession(sessionId), [sessionId]);
  const s = found.data;
  const crumbs = [{ label: 'Séances CDAPH', to: '/instruction/seances' }];
  if (!s) {
    return (
      <Page title="Séance CDAPH" crumbs={crumbs}>
        {found.loading ? (
          <Loading label="Chargement de la séance…" />
        ) : (
          <ProblemAlert error={found.error} />
        )}
      </Page>
    );
  }
  const can = (a: string) => s.abilities.includes(a);
  return (
    <Page title={`Séance CDAPH du ${formatDate(s.sitsOn)}`} crumbs={crumbs}>
      <p>
        {`${FORMATION_LABEL[s.formation]} · ${s.startsAt} · ${SESSION_STATUS_LABEL[s.status]}`}
        {` · ordre du jour ouvert aux membres dès le ${formatDate(s.agendaOpensOn)}`}
      </p>
      <h2 className={fr.cx('fr-h4')}>Membres</h2>
      <ul>
        {s.members.map((m) => (
          <li key={m.accountId}>{m.displayName}</li>
        ))}
      </ul>
      {can('members') && <MembersForm s={s} onDone={found.setData} />}
      {can('open') && <OpenButton s={s} onDone={found.setData} />}
      <AgendaSection s={s} onChanged={found.setData} reload={found.reload} />
      {can('close') && <CloseForm s={s} onDone={found.setData} />}
      {s.minutes !== null && (
        <section aria-labelledby="minutes-title" className={fr.cx('fr-mt-4w')}>
          <h2 id="minutes-title" className={fr.cx('fr-h4')}>
            Procès-verbal
          </h2>
          <p className="cloison-pre">{s.minutes}</p>
        </section>
      )}
    </Page>
  );
}

function MembersForm({ s, onDone }: { s: SessionDetail; onDone: (s: SessionDetail) => void }) {
  const me = useMe();
  const staff = useStaff(me);
  const [ids, setIds] = useState(s.members.map((m) => m.accountId));
  const action = useAction();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          onDone(await setSessionMembers(s.id, ids));
          return 'Membres enregistrés.';
        });
      }}
    >
      <ProblemAlert error={action.error} title="Les membres n’ont pas été enregistrés" />
      <MembersPicker
        staff={staff}
        value={ids}
        error={fieldError(action.error, 'memberIds')}
        onChange={setIds}
      />
      <div role="status">{action.status && <p>{action.status}</p>}</div>
      <Button type="submit" priority="secondary" disabled={action.busy}>
        Enregistrer les membres
      </Button>
    </form>
  );
}

function OpenButton({ s, onDone }: { s: SessionDetail; onDone: (s: SessionDetail) => void }) {
  const action = useAction();
  return (
    <div className={fr.cx('fr-my-3w')}>
      <ProblemAlert error={action.error} title="La séance n’a pas été ouverte" />
      <Button
        disabled={action.busy}
        onClick={() => void action.run(async () => onDone(await openSession(s.id)))}
      >
        Ouvrir la séance
      </Button>
    </div>
  );
}

/** Closing: every case decided or postponed; the minutes are sealed by the server. */
function CloseForm({ s, onDone }: { s: SessionDetail; onDone: (s: SessionDetail) => void }) {
  const [minutes, setMinutes] = useState('');
  const action = useAction();
  return (
    <form
      className={fr.cx('fr-mt-4w')}
      aria-labelledby="close-title"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => onDone(await closeSession(s.id, { minutes })));
      }}
    >
      <h2 id="close-title" className={fr.cx('fr-h4')}>
        Clore la séance
      </h2>
      <ProblemAlert error={action.error} title="La séance n’a pas été close" />
      <Input
        label="Procès-verbal"
        hintText="Présences, quorum, déroulé. Ce qui concerne une personne va dans le motif de sa décision."
        {...fieldState(action.error, 'minutes')}
        textArea
        nativeTextAreaProps={{
          value: minutes,
          rows: 6,
          maxLength: 20000,
          onChange: (e) => setMinutes(e.target.value),
        }}
      />
      <Button type="submit" disabled={action.busy}>
        Clore la séance
      </Button>
    </form>
  );
}
