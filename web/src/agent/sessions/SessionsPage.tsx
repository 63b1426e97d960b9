import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { createSession, listSessions } from '../../api/cdaph-sessions';
import { CDAPH_FORMATIONS, type CdaphFormation } from '../../api/vocabulary';
import { Page } from '../../app/Page';
import { useMe } from '../../session/session';
import { fieldError, fieldState } from '../../ui/field-error';
import { formatDate } from '../../ui/labels';
import { Loading } from '../../ui/Loading';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { useAction } from '../../ui/useAction';
import { useApi } from '../../ui/useApi';
import { useStaff } from '../useStaff';
import { MembersPicker } from './MembersPicker';
import { FORMATION_LABEL, SESSION_STATUS_LABEL } from './session-labels';

/**
 * The CDAPH sessions: the responsable (the secretariat) plans them and sees them all; a member
 * sees "mes séances", those they sit in.
 */
export function SessionsPage() {
  const me = useMe();
  const secretariat = me.role === 'responsable';
  const sessions = useApi(() => listSessions({ limit: 100 }), []);
  const title = secretariat ? 'Séances CDAPH' : 'Mes séances';
  return (
    <Page title={title} wide>
      {secretariat && <PlanSessionForm />}
      <h2 className={fr.cx('fr-h4', 'fr-mt-4w')}>
        {secretariat ? 'Séances du département' : 'Les séances où je siège'}
      </h2>
      <ProblemAlert error={sessions.error} />
      {sessions.loading && !sessions.data ? (
        <Loading label="Chargement des séances…" />
      ) : (sessions.data ?? []).length === 0 ? (
        <p role="status">Aucune séance.</p>
      ) : (
        <Table
          caption={title}
          bordered
          headers={['Séance', 'Formation', 'Statut', 'Ordre du jour visible dès', 'Dossiers']}
          data={(sessions.data ?? []).map((s) => [
            <Link key="s" to={`/instruction/seances/${s.id}`}>
              {`${formatDate(s.sitsOn)} à ${s.startsAt}`}
            </Link>,
            FORMATION_LABEL[s.formation],
            SESSION_STATUS_LABEL[s.status],
            formatDate(s.agendaOpensOn),
            String(s.agendaCount),
          ])}
        />
      )}
    </Page>
  );
}

/** Plans a session: its day and time, formation and the members who sit. */
function PlanSessionForm() {
  const me = useMe();
  const staff = useStaff(me);
  const navigate = useNavigate();
  const [sitsOn, setSitsOn] = useState('');
  const [startsAt, setStartsAt] = useState('14:00');
  const [formation, setFormation] = useState<CdaphFormation>('pleniere');
  const [memberIds, setMemberIds] = useState<string[]>([]);
  const action = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void action.run(async () => {
      const created = await createSession({ sitsOn, startsAt, formation, memberIds });
      void navigate(`/instruction/seances/${created.id}`);
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="plan-title">
      <h2 id="plan-title" className={fr.cx('fr-h4')}>
        Planifier une séance
      </h2>
      <ProblemAlert error={action.error} title="La séance n’a pas été planifiée" />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <Input
          className={fr.cx('fr-col-12', 'fr-col-md-4')}
          label="Date de la séance"
          {...fieldState(action.error, 'sitsOn')}
          nativeInputProps={{
            type: 'date',
            value: sitsOn,
            onChange: (e) => setSitsOn(e.target.value),
          }}
        />
        <Input
          className={fr.cx('fr-col-12', 'fr-col-md-4')}
          label="Heure de début"
          {...fieldState(action.error, 'startsAt')}
          nativeInputProps={{
            type: 'time',
            value: startsAt,
            onChange: (e) => setStartsAt(e.target.value),
          }}
        />
        <Select
          className={fr.cx('fr-col-12', 'fr-col-md-4')}
          label="Formation"
          {...fieldState(action.error, 'formation')}
          nativeSelectProps={{
            value: formation,
            onChange: (e) => setFormation(e.target.value as CdaphFormation),
          }}
        >
          {CDAPH_FORMATIONS.map((f) => (
            <option key={f} value={f}>
              {FORMATION_LABEL[f]}
            </option>
          ))}
        </Select>
      </div>
      <MembersPicker
        staff={staff}
        value={memberIds}
        error={fieldError(action.error, 'memberIds')}
        onChange={setMemberIds}
      />
      <Button type="submit" disabled={action.busy}>
        Planifier la séance
      </Button>
    </form>
  );
}
