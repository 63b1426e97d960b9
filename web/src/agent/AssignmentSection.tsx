import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import type { Me } from '../api/auth';
import { assignCase, type CaseDetail } from '../api/cases';
import { fieldState } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { useStaff } from './useStaff';

/** The responsable names the instructeur, the évaluateur médical and the team of a case. */
export function AssignmentSection({
  c,
  me,
  onDone,
}: {
  c: CaseDetail;
  me: Me;
  onDone: (c: CaseDetail) => void;
}) {
  const staff = useStaff(me);
  const [instructeurId, setInstructeur] = useState(c.instructeurId ?? '');
  const [evaluateurId, setEvaluateur] = useState(c.evaluateurId ?? '');
  const [team, setTeam] = useState(c.team ?? '');
  const { busy, error, status, run } = useAction();
  const of = (role: string) => staff.filter((s) => s.role === role);

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const next = await assignCase(c.id, {
        instructeurId: instructeurId || null,
        evaluateurId: evaluateurId || null,
        team: team.trim() || null,
      });
      onDone(next);
      return 'L’affectation a été enregistrée.';
    });
  }

  return (
    <section aria-labelledby="assignment-title" className={fr.cx('fr-mt-4w')}>
      <h2 id="assignment-title" className={fr.cx('fr-h4')}>
        Affectation
      </h2>
      <form onSubmit={submit} noValidate>
        <ProblemAlert error={error} title="L’affectation n’a pas été enregistrée" />
        <Select
          label="Instructeur"
          {...fieldState(error, 'instructeurId')}
          nativeSelectProps={{
            name: 'instructeur',
            value: instructeurId,
            onChange: (e) => setInstructeur(e.target.value),
          }}
        >
          <option value="">Aucun</option>
          {of('instructeur').map((s) => (
            <option key={s.id} value={s.id}>
              {s.displayName}
              {s.team ? ` (${s.team})` : ''}
            </option>
          ))}
        </Select>
        <Select
          label="Évaluateur médical"
          {...fieldState(error, 'evaluateurId')}
          nativeSelectProps={{
            name: 'evaluateur',
            value: evaluateurId,
            onChange: (e) => setEvaluateur(e.target.value),
          }}
        >
          <option value="">Aucun</option>
          {of('evaluateur').map((s) => (
            <option key={s.id} value={s.id}>
              {s.displayName}
            </option>
          ))}
        </Select>
        <Input
          label="Équipe"
          {...fieldState(error, 'team')}
          nativeInputProps={{
            name: 'team',
            value: team,
            maxLength: 80,
            onChange: (e) => setTeam(e.target.value),
          }}
        />
        <div role="status">{status && <p>{status}</p>}</div>
        <Button type="submit" disabled={busy}>
          Enregistrer l’affectation
        </Button>
      </form>
    </section>
  );
}
