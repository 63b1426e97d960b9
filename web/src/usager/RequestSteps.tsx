import { fr } from '@codegouvfr/react-dsfr';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Input } from '@codegouvfr/react-dsfr/Input';
import type { CaseDetail } from '../api/cases';
import type { DocumentView } from '../api/documents';
import type { PersonView } from '../api/persons';
import { PIECE_CATEGORY, REQUIRED_PIECES, RIGHT_CODES, type RightCode } from '../api/vocabulary';
import { CATEGORY_LABEL, formatDate, PIECE_LABEL, RIGHT_LABEL, rightLabel } from '../ui/labels';
import { PieceUpload } from './PieceUpload';
import { fullName, MANDATE_LABEL } from './person-format';

export const STEP_TITLES = [
  'Pour qui est la demande',
  'Les droits demandés',
  'Votre situation',
  'Les pièces justificatives',
  'Récapitulatif',
] as const;

const SITUATION_MAX = 10_000;

/** Step 1: myself, or a person I represent under a verified mandate valid today. */
export function WhoStep(props: {
  persons: PersonView[];
  personId: string;
  locked: boolean;
  error: string | null;
  onChange: (id: string) => void;
}) {
  return (
    <RadioButtons
      legend="Pour qui faites-vous cette demande ?"
      hintText={props.locked ? 'Le brouillon est déjà ouvert pour cette personne.' : undefined}
      disabled={props.locked}
      state={props.error ? 'error' : 'default'}
      stateRelatedMessage={props.error}
      options={props.persons.map((p) => ({
        label:
          p.relation === 'self'
            ? `Pour moi-même (${fullName(p)})`
            : `Pour ${fullName(p)} (${p.mandate ? MANDATE_LABEL[p.mandate.kind] : 'représenté'})`,
        hintText: `Né(e) le ${formatDate(p.birthDate)}`,
        nativeInputProps: {
          value: p.id,
          checked: props.personId === p.id,
          onChange: () => props.onChange(p.id),
        },
      }))}
    />
  );
}

/** Step 2: which rights, with their full names. */
export function RightsStep(props: {
  rights: RightCode[];
  error: string | null;
  onChange: (rights: RightCode[]) => void;
}) {
  const toggle = (code: RightCode, on: boolean) =>
    props.onChange(on ? [...props.rights, code] : props.rights.filter((r) => r !== code));
  return (
    <Checkbox
      legend="Quels droits demandez-vous ?"
      hintText="Cochez un droit au moins. La MDPH étudie chacun séparément."
      state={props.error ? 'error' : 'default'}
      stateRelatedMessage={props.error}
      options={RIGHT_CODES.map((code) => ({
        label: RIGHT_LABEL[code],
        nativeInputProps: {
          name: 'rights',
          value: code,
          checked: props.rights.includes(code),
          onChange: (e) => toggle(code, e.target.checked),
        },
      }))}
    />
  );
}

/** Step 3: the situation in the usager's own words (stored sealed). */
export function SituationStep(props: {
  situation: string;
  error: string | null;
  onChange: (text: string) => void;
}) {
  return (
    <Input
      textArea
      label="Décrivez votre situation et vos besoins"
      hintText={`Votre quotidien, ce qui vous est difficile, l’aide que vous attendez. ${props.situation.length} caractères sur ${SITUATION_MAX.toLocaleString('fr-FR')} au plus.`}
      state={props.error ? 'error' : 'default'}
      stateRelatedMessage={props.error}
      nativeTextAreaProps={{
        name: 'situation',
        rows: 10,
        maxLength: SITUATION_MAX,
        value: props.situation,
        onChange: (e) => props.onChange(e.target.value),
      }}
    />
  );
}

/** The current (not replaced) document of a piece: a new upload of that piece replaces it. */
export function currentPiece(documents: DocumentView[], piece: string): string | undefined {
  return documents.find((d) => d.piece === piece && d.supersededBy === null)?.id;
}

/** Step 4: one upload per piece of the completeness checklist, then any other piece. */
export function DocumentsStep(props: {
  detail: CaseDetail;
  documents: DocumentView[];
  onUploaded: () => void;
}) {
  return (
    <>
      <p>
        Envoyez une pièce par ligne. Elles sont chiffrées dès leur arrivée ; le certificat médical
        n’est lu que par l’équipe médicale.
      </p>
      {REQUIRED_PIECES.map((piece) => (
        <PieceUpload
          key={piece}
          caseId={props.detail.id}
          category={PIECE_CATEGORY[piece]}
          piece={piece}
          label={PIECE_LABEL[piece]}
          done={props.detail.completeness[piece].supplied}
          replaces={currentPiece(props.documents, piece)}
          onUploaded={props.onUploaded}
        />
      ))}
      <PieceUpload
        caseId={props.detail.id}
        category="other"
        label="Autre pièce (facultatif)"
        onUploaded={props.onUploaded}
      />
      <DocumentList documents={props.documents} />
    </>
  );
}

function DocumentList({ documents }: { documents: DocumentView[] }) {
  if (documents.length === 0) return <p>Aucune pièce envoyée pour l’instant.</p>;
  return (
    <>
      <h3 className={fr.cx('fr-h6')}>Pièces envoyées</h3>
      <ul>
        {documents.map((d) => (
          <li key={d.id}>
            {d.originalName} ({CATEGORY_LABEL[d.category]}){d.supersededBy && ' — remplacée'}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Step 5: what will be filed. */
export function SummaryStep(props: {
  person: PersonView | undefined;
  rights: RightCode[];
  situation: string;
  detail: CaseDetail;
  documents: DocumentView[];
}) {
  const missing = REQUIRED_PIECES.filter((p) => !props.detail.completeness[p].supplied);
  return (
    <dl>
      <dt className={fr.cx('fr-text--bold')}>Pour</dt>
      <dd>{props.person ? fullName(props.person) : '—'}</dd>
      <dt className={fr.cx('fr-text--bold')}>Droits demandés</dt>
      <dd>{props.rights.map(rightLabel).join(', ')}</dd>
      <dt className={fr.cx('fr-text--bold')}>Votre situation</dt>
      <dd className="cloison-pre">{props.situation || 'Non décrite'}</dd>
      <dt className={fr.cx('fr-text--bold')}>Pièces envoyées</dt>
      <dd>{props.documents.map((d) => d.originalName).join(', ') || 'Aucune'}</dd>
      {missing.length > 0 && (
        <>
          <dt className={fr.cx('fr-text--bold')}>Pièces manquantes</dt>
          <dd>
            {missing.map((p) => PIECE_LABEL[p]).join(', ')}. Vous pouvez déposer la demande
            maintenant et les envoyer ensuite.
          </dd>
        </>
      )}
    </dl>
  );
}
