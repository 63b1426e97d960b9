import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { ApiProblem } from '../api/client';
import { orderExportInstruction, type ExportField } from '../api/exports';
import type { DocumentCategory } from '../api/vocabulary';
import { fieldState } from '../ui/field-error';
import { dayFromToday } from '../ui/labels';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { FieldPicker } from './FieldPicker';
import { KIND_LABEL } from './labels';
import { EMPTY_SCOPE, ScopeFieldset, scopeOf, type ScopeDraft } from './ScopeFieldset';

const DOCUMENTS = 'documents.';

/**
 * The field a rule refusal is about, when its detail names it in parentheses as the server's
 * rules do (`(recipient.medical)`): the message then also shows on that field.
 */
function ruleState(error: unknown, name: string) {
  const detail = error instanceof ApiProblem ? error.detail : undefined;
  if (detail?.includes(`(${name})`)) {
    return { state: 'error' as const, stateRelatedMessage: detail };
  }
  return fieldState(error, name.replace('.', '/'));
}

/** End of the chosen day in the browser's time (Paris for the département's staff). */
const endOfDay = (day: string) => new Date(`${day}T23:59:00`).toISOString();

/**
 * Ordering an export or a migration. Nothing runs until the DPO approves; the server checks
 * every rule again (health data only to a medical recipient with a reason, the catalogue, the
 * expiry) and its refusal is shown as it says it, on the field it names.
 */
export function NewInstructionForm({
  catalogue,
  onDone,
}: {
  catalogue: readonly ExportField[];
  onDone: () => void;
}) {
  const [kind, setKind] = useState<'export' | 'migration'>('export');
  const [purpose, setPurpose] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [ageRecipient, setAgeRecipient] = useState('');
  const [medical, setMedical] = useState(false);
  const [medicalReason, setMedicalReason] = useState('');
  const [scope, setScope] = useState<ScopeDraft>(EMPTY_SCOPE);
  const [fields, setFields] = useState<string[]>([]);
  const [pieces, setPieces] = useState<string[]>([]);
  const [expiresDay, setExpiresDay] = useState(dayFromToday(30));
  const { busy, error, status, run } = useAction();

  const dataFields = catalogue.filter((f) => !f.name.startsWith(DOCUMENTS));
  const pieceFields = catalogue.filter((f) => f.name.startsWith(DOCUMENTS));
  const health = catalogue.some(
    (f) => f.sensitivity === 'health' && (fields.includes(f.name) || pieces.includes(f.name)),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await orderExportInstruction({
        kind,
        purpose: purpose.trim(),
        legalBasis: legalBasis.trim(),
        recipient: {
          name: name.trim(),
          contact: contact.trim(),
          ageRecipient: ageRecipient.trim(),
          medical,
        },
        ...(medicalReason.trim() && (medical || health)
          ? { medicalReason: medicalReason.trim() }
          : {}),
        scope: scopeOf(scope),
        fields,
        documentCategories: pieces.map((p) => p.slice(DOCUMENTS.length) as DocumentCategory),
        expiresAt: endOfDay(expiresDay),
      });
      const recipient = name.trim();
      setPurpose('');
      setLegalBasis('');
      setFields([]);
      setPieces([]);
      onDone();
      return `Instruction enregistrée pour ${recipient} : elle attend l’approbation du DPO.`;
    });
  }

  return (
    <form onSubmit={submit} noValidate className={fr.cx('fr-mt-4w')}>
      <h2>Nouvelle instruction</h2>
      <p>
        Le DPO du département approuve chaque instruction avant qu’elle ne s’exécute. Le fichier
        produit ne contient que les champs et les pièces cochés, chiffré pour la clé du
        destinataire.
      </p>
      <RadioButtons
        legend="Nature"
        {...fieldState(error, 'kind')}
        options={(['export', 'migration'] as const).map((k) => ({
          label: KIND_LABEL[k],
          nativeInputProps: {
            name: 'kind',
            value: k,
            checked: kind === k,
            onChange: () => setKind(k),
          },
        }))}
      />
      <Input
        label="Finalité"
        hintText="Pourquoi ces données sortent de Cloison."
        {...fieldState(error, 'purpose')}
        textArea
        nativeTextAreaProps={{
          name: 'purpose',
          rows: 2,
          maxLength: 500,
          value: purpose,
          onChange: (e) => setPurpose(e.target.value),
        }}
      />
      <Input
        label="Base légale"
        hintText="Par exemple : mission d’intérêt public (RGPD art. 6.1.e)."
        {...fieldState(error, 'legalBasis')}
        nativeInputProps={{
          name: 'legalBasis',
          maxLength: 300,
          value: legalBasis,
          onChange: (e) => setLegalBasis(e.target.value),
        }}
      />
      <fieldset className={fr.cx('fr-fieldset')}>
        <legend className={fr.cx('fr-fieldset__legend')}>Destinataire</legend>
        <div className={fr.cx('fr-fieldset__element')}>
          <Input
            label="Nom du destinataire"
            {...fieldState(error, 'recipient/name')}
            nativeInputProps={{
              name: 'recipient-name',
              maxLength: 200,
              value: name,
              onChange: (e) => setName(e.target.value),
            }}
          />
          <Input
            label="Contact du destinataire"
            hintText="Adresse électronique ou téléphone de la personne qui reçoit le fichier."
            {...fieldState(error, 'recipient/contact')}
            nativeInputProps={{
              name: 'recipient-contact',
              maxLength: 200,
              value: contact,
              onChange: (e) => setContact(e.target.value),
            }}
          />
          <Input
            label="Clé publique age du destinataire"
            hintText="Commence par age1. Le fichier ne s’ouvre qu’avec la clé secrète associée."
            {...ruleState(error, 'recipient.ageRecipient')}
            nativeInputProps={{
              name: 'recipient-age',
              autoComplete: 'off',
              spellCheck: false,
              value: ageRecipient,
              onChange: (e) => setAgeRecipient(e.target.value),
            }}
          />
          <Checkbox
            {...ruleState(error, 'recipient.medical')}
            options={[
              {
                label: 'Destinataire médical',
                hintText: 'Un service médical : le seul à qui des données de santé peuvent aller.',
                nativeInputProps: {
                  name: 'recipient-medical',
                  checked: medical,
                  onChange: (e) => setMedical(e.target.checked),
                },
              },
            ]}
          />
          {(medical || health) && (
            <Input
              label="Raison médicale"
              hintText="Pourquoi ces données de santé sont nécessaires au destinataire."
              {...ruleState(error, 'medicalReason')}
              textArea
              nativeTextAreaProps={{
                name: 'medicalReason',
                rows: 2,
                maxLength: 500,
                value: medicalReason,
                onChange: (e) => setMedicalReason(e.target.value),
              }}
            />
          )}
        </div>
      </fieldset>
      <ScopeFieldset value={scope} onChange={setScope} error={error} />
      <FieldPicker
        legend="Champs exportés"
        fields={dataFields}
        chosen={fields}
        onChange={setFields}
        error={fieldState(error, 'fields').stateRelatedMessage}
      />
      <FieldPicker
        legend="Catégories de pièces exportées"
        fields={pieceFields}
        chosen={pieces}
        onChange={setPieces}
        error={fieldState(error, 'documentCategories').stateRelatedMessage}
      />
      <Input
        label="Date d’expiration"
        hintText="Au plus tard dans 90 jours : passé ce jour, l’instruction ne s’exécute plus et le fichier est supprimé."
        {...fieldState(error, 'expiresAt')}
        nativeInputProps={{
          type: 'date',
          name: 'expiresAt',
          min: dayFromToday(1),
          max: dayFromToday(89),
          value: expiresDay,
          onChange: (e) => setExpiresDay(e.target.value),
        }}
      />
      <div role="status">{status && <Alert severity="success" small description={status} />}</div>
      <ProblemAlert error={error} title="L’instruction n’est pas enregistrée" />
      <Button type="submit" disabled={busy}>
        Enregistrer l’instruction
      </Button>
    </form>
  );
}
