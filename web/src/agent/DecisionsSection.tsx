import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { decideRight, type CaseDetail } from '../api/cases';
import type { Decision, RightCode } from '../api/vocabulary';
import { fieldState } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { DECISION_LABEL, rightLabel } from '../ui/labels';

/**
 * The CDAPH's decision on each requested right, recorded one right at a time by the secretariat,
 * in the session in progress that has the case on its agenda (the server refuses it elsewhere).
 */
export function DecisionsSection({
  c,
  onDone,
}: {
  c: CaseDetail;
  onDone: (c: CaseDetail) => void;
}) {
  return (
    <section aria-labelledby="decisions-title" className={fr.cx('fr-mt-4w')}>
      <h2 id="decisions-title" className={fr.cx('fr-h4')}>
        Décisions
      </h2>
      <p className={fr.cx('fr-text--sm')}>
        Enregistrées pendant la séance CDAPH en cours qui a ce dossier à son ordre du jour.
      </p>
      {c.rights.map((r) => (
        <DecisionForm
          key={r.code}
          caseId={c.id}
          right={r.code}
          initial={r.decision}
          reason={r.decisionReason ?? ''}
          validFrom={r.validFrom ?? ''}
          validUntil={r.validUntil ?? ''}
          onDone={onDone}
        />
      ))}
    </section>
  );
}

/** One right's decision: accord (total or partial) with its validity, or rejet; the motive. */
export function DecisionForm(props: {
  caseId: string;
  right: RightCode;
  initial: Decision | null;
  reason: string;
  validFrom: string;
  validUntil: string;
  /** Prefixes the field ids when several cases' forms share a page. */
  idPrefix?: string;
  onDone: (c: CaseDetail) => void;
}) {
  const [decision, setDecision] = useState<Decision | ''>(props.initial ?? '');
  const [reason, setReason] = useState(props.reason);
  const [validFrom, setValidFrom] = useState(props.validFrom);
  const [validUntil, setValidUntil] = useState(props.validUntil);
  const action = useAction();
  const id = `${props.idPrefix ?? ''}decision-${props.right}`;
  const accord = decision !== 'rejet';

  function submit(event: FormEvent) {
    event.preventDefault();
    void action.run(async () => {
      // Not chosen yet is sent as it is: the server's refusal then shows on the field.
      const next = await decideRight(props.caseId, props.right, {
        decision: decision as Decision,
        ...(reason.trim() ? { reason } : {}),
        ...(accord && validFrom ? { validFrom } : {}),
        ...(accord && validUntil ? { validUntil } : {}),
      });
      props.onDone(next);
      return 'Décision enregistrée.';
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby={id} className={fr.cx('fr-mb-3w')}>
      <h3 id={id} className={fr.cx('fr-h6')}>
        {rightLabel(props.right)}
      </h3>
      <ProblemAlert error={action.error} title="La décision n’a pas été enregistrée" />
      <Select
        label={`Décision pour ${props.right}`}
        {...fieldState(action.error, 'decision')}
        nativeSelectProps={{
          value: decision,
          onChange: (e) => setDecision(e.target.value as Decision),
        }}
      >
        <option value="" disabled>
          Choisir
        </option>
        {(Object.keys(DECISION_LABEL) as Decision[]).map((d) => (
          <option key={d} value={d}>
            {DECISION_LABEL[d]}
          </option>
        ))}
      </Select>
      {accord && (
        <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
          <Input
            className={fr.cx('fr-col-12', 'fr-col-md-6')}
            label={`Début de validité pour ${props.right}`}
            {...fieldState(action.error, 'validFrom')}
            nativeInputProps={{
              type: 'date',
              value: validFrom,
              onChange: (e) => setValidFrom(e.target.value),
            }}
          />
          <Input
            className={fr.cx('fr-col-12', 'fr-col-md-6')}
            label={`Fin de validité pour ${props.right}`}
            {...fieldState(action.error, 'validUntil')}
            nativeInputProps={{
              type: 'date',
              value: validUntil,
              onChange: (e) => setValidUntil(e.target.value),
            }}
          />
        </div>
      )}
      <Input
        label={`Motif de la décision pour ${props.right}`}
        hintText="Obligatoire pour un rejet ou un accord partiel."
        {...fieldState(action.error, 'reason')}
        textArea
        nativeTextAreaProps={{
          value: reason,
          rows: 2,
          maxLength: 5000,
          onChange: (e) => setReason(e.target.value),
        }}
      />
      <div role="status">{action.status && <p>{action.status}</p>}</div>
      <Button type="submit" priority="secondary" disabled={action.busy}>
        {`Enregistrer la décision pour ${props.right}`}
      </Button>
    </form>
  );
}
