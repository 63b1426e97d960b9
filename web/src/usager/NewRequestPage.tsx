import { useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Stepper } from '@codegouvfr/react-dsfr/Stepper';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { createCase, getCase, saveCaseDraft, transitionCase, type CaseDetail } from '../api/cases';
import { listDocuments, type DocumentView } from '../api/documents';
import { listPersons, type PersonView } from '../api/persons';
import { Page } from '../app/Page';
import { fieldError } from '../ui/field-error';
import { formatDateTime } from '../ui/labels';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { useApi } from '../ui/useApi';
import {
  DocumentsStep,
  RightsStep,
  SituationStep,
  STEP_TITLES,
  SummaryStep,
  WhoStep,
} from './RequestSteps';
import { mayFileFor } from './person-format';
import { todayIso } from '../ui/labels';
import type { RightCode } from '../api/vocabulary';

interface Loaded {
  persons: PersonView[];
  detail: CaseDetail | null;
  documents: DocumentView[];
}

async function load(caseId: string | undefined): Promise<Loaded> {
  const persons = await listPersons();
  if (!caseId) return { persons, detail: null, documents: [] };
  const detail = await getCase(caseId);
  const documents = await listDocuments(caseId);
  return { persons, detail, documents };
}

/** `/mon-espace/nouvelle-demande` and `/mon-espace/dossiers/:caseId/modifier` (resume a draft). */
export function NewRequestPage() {
  const { caseId } = useParams();
  const loaded = useApi(() => load(caseId), [caseId]);
  const title = caseId ? 'Reprendre ma demande' : 'Nouvelle demande';
  const crumbs = [{ label: 'Mes demandes', to: '/mon-espace' }];
  if (loaded.error) {
    return (
      <Page title={title} crumbs={crumbs}>
        <ProblemAlert error={loaded.error} />
      </Page>
    );
  }
  if (!loaded.data) return <Loading />;
  return (
    <Page title={title} crumbs={crumbs}>
      <Wizard initial={loaded.data} />
    </Page>
  );
}

function resumeStep(detail: CaseDetail | null): number {
  if (!detail) return 1;
  return detail.summary ? 4 : 3;
}

function Wizard({ initial }: { initial: Loaded }) {
  const navigate = useNavigate();
  const persons = initial.persons.filter((p) => mayFileFor(p, todayIso()));
  const [step, setStep] = useState(resumeStep(initial.detail));
  const [detail, setDetail] = useState<CaseDetail | null>(initial.detail);
  const [documents, setDocuments] = useState(initial.documents);
  const [personId, setPersonId] = useState(
    initial.detail?.personId ?? (persons.length === 1 ? persons[0]!.id : ''),
  );
  const [rights, setRights] = useState<RightCode[]>(
    initial.detail?.rights.map((r) => r.code) ?? [],
  );
  const [situation, setSituation] = useState(initial.detail?.summary ?? '');
  // What the page's own checks found missing; the API's refusal of a field shows the same way.
  const [checkError, setCheckError] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const errorOf = (field: string) => checkError ?? fieldError(error, field) ?? null;
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const stepper = useRef<HTMLDivElement>(null);
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // A new step: move focus to its title, so a screen reader announces where the person is.
    const heading = stepper.current?.querySelector('h2');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus();
  }, [step]);

  /** Creates the draft on first save, then saves rights and situation. */
  async function save(): Promise<CaseDetail> {
    let current = detail;
    if (!current) {
      current = await createCase({ personId, rights });
    }
    const saved = await saveCaseDraft(current.id, { rights, situation });
    setDetail(saved);
    setSavedAt(new Date().toISOString());
    return saved;
  }

  function check(): string | null {
    if (step === 1 && !personId) return 'Choisissez la personne concernée par la demande.';
    if (step === 2 && rights.length === 0) return 'Cochez au moins un droit.';
    if (step === 3 && situation.trim() === '')
      return 'Décrivez votre situation en quelques mots au moins.';
    return null;
  }

  const next = () =>
    run(async () => {
      const problem = check();
      setCheckError(problem);
      if (problem) return;
      if (step >= 2 && step <= 3) await save();
      setStep(step + 1);
    });

  const saveDraft = () =>
    run(async () => {
      if (rights.length === 0) {
        setCheckError('Cochez au moins un droit avant d’enregistrer le brouillon.');
        return;
      }
      setCheckError(null);
      await save();
    });

  const submit = () =>
    run(async () => {
      const saved = await save();
      await transitionCase(saved.id, { to: 'depose' });
      navigate('/mon-espace', { state: { deposited: saved.reference } });
    });

  const reloadDocuments = async () => {
    if (!detail) return;
    const [d, docs] = await Promise.all([getCase(detail.id), listDocuments(detail.id)]);
    setDetail(d);
    setDocuments(docs);
  };

  if (persons.length === 0) {
    return <p>Aucune personne pour qui vous pouvez faire une demande aujourd’hui.</p>;
  }

  return (
    <div>
      <div ref={stepper}>
        <Stepper
          currentStep={step}
          stepCount={STEP_TITLES.length}
          title={STEP_TITLES[step - 1]}
          nextTitle={STEP_TITLES[step]}
        />
      </div>
      <ProblemAlert error={error} />
      <div role="status" aria-live="polite">
        {savedAt && detail && (
          <p className={fr.cx('fr-text--sm')}>
            Brouillon {detail.reference} enregistré le {formatDateTime(savedAt)}.
          </p>
        )}
      </div>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void (step === STEP_TITLES.length ? submit() : next());
        }}
      >
        {step === 1 && (
          <WhoStep
            persons={persons}
            personId={personId}
            locked={detail !== null}
            error={errorOf('personId')}
            onChange={setPersonId}
          />
        )}
        {step === 2 && (
          <RightsStep rights={rights} error={errorOf('rights')} onChange={setRights} />
        )}
        {step === 3 && (
          <SituationStep
            situation={situation}
            error={errorOf('situation')}
            onChange={setSituation}
          />
        )}
        {step === 4 && detail && (
          <DocumentsStep detail={detail} documents={documents} onUploaded={reloadDocuments} />
        )}
        {step === 5 && detail && (
          <SummaryStep
            person={persons.find((p) => p.id === personId)}
            rights={rights}
            situation={situation}
            detail={detail}
            documents={documents}
          />
        )}
        <div className={`cloison-usager-actions ${fr.cx('fr-mt-4w')}`}>
          {step > 1 && (
            <Button type="button" priority="tertiary" onClick={() => setStep(step - 1)}>
              Étape précédente
            </Button>
          )}
          {(step >= 2 || detail !== null) && (
            <Button type="button" priority="secondary" disabled={busy} onClick={saveDraft}>
              Enregistrer le brouillon
            </Button>
          )}
          <Button type="submit" disabled={busy}>
            {step === STEP_TITLES.length ? 'Déposer la demande' : 'Étape suivante'}
          </Button>
        </div>
      </form>
    </div>
  );
}
