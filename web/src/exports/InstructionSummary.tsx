import { fr } from '@codegouvfr/react-dsfr';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import type { ExportField, ExportInstruction, ExportScope } from '../api/exports';
import { formatDate, formatDateTime, rightLabel, statusLabel } from '../ui/labels';
import { KIND_LABEL, counted, documentFieldName } from './labels';

/** The catalogue by field name, to say what each instructed name is. */
export type Catalogue = ReadonlyMap<string, ExportField>;

/** The cases a scope covers, in words. */
export function scopeText(scope: ExportScope): string {
  if ('all' in scope) return 'Tous les dossiers du département';
  if ('caseIds' in scope) {
    const n = scope.caseIds.length;
    return n === 1 ? '1 dossier désigné' : `${n} dossiers désignés`;
  }
  const parts: string[] = [];
  if (scope.statuses?.length) parts.push(`statuts : ${scope.statuses.map(statusLabel).join(', ')}`);
  if (scope.rights?.length) parts.push(`droits : ${scope.rights.map(rightLabel).join(', ')}`);
  if (scope.from) parts.push(`créés à partir du ${formatDate(scope.from)}`);
  if (scope.to) parts.push(`créés jusqu’au ${formatDate(scope.to)}`);
  return `Dossiers filtrés (${parts.join(' ; ')})`;
}

/** One instructed name: its description, and a badge when it is health data. */
function FieldItem({ name, catalogue }: { name: string; catalogue: Catalogue }) {
  const field = catalogue.get(name);
  return (
    <li>
      {field ? field.description : name} <span className={fr.cx('fr-text--xs')}>({name})</span>
      {field?.sensitivity === 'health' && (
        <>
          {' '}
          <Badge severity="warning" small noIcon>
            Données de santé
          </Badge>
        </>
      )}
    </li>
  );
}

/**
 * What an instruction says, as the DPO needs it to decide: what leaves (fields, pieces), why
 * (purpose, legal basis), to whom (the recipient, medical or not), and how many cases and persons.
 */
export function InstructionSummary({
  instruction: i,
  catalogue,
}: {
  instruction: ExportInstruction;
  catalogue: Catalogue;
}) {
  return (
    <dl className="cloison-export-summary">
      <dt>Nature</dt>
      <dd>
        {KIND_LABEL[i.kind]}, demandée le {formatDateTime(i.orderedAt)}, valable jusqu’au{' '}
        {formatDateTime(i.expiresAt)}
      </dd>
      <dt>Quoi : champs</dt>
      <dd>
        {i.fields.length === 0 ? (
          'Aucun champ'
        ) : (
          <ul>
            {i.fields.map((name) => (
              <FieldItem key={name} name={name} catalogue={catalogue} />
            ))}
          </ul>
        )}
      </dd>
      <dt>Quoi : pièces</dt>
      <dd>
        {i.documentCategories.length === 0 ? (
          'Aucune pièce'
        ) : (
          <ul>
            {i.documentCategories.map((c) => (
              <FieldItem key={c} name={documentFieldName(c)} catalogue={catalogue} />
            ))}
          </ul>
        )}
      </dd>
      <dt>Pourquoi</dt>
      <dd>
        {i.purpose}
        <br />
        Base légale : {i.legalBasis}
      </dd>
      <dt>À qui</dt>
      <dd>
        {i.recipient.name} ({i.recipient.contact})
        <br />
        {i.recipient.medical ? (
          <>
            <Badge severity="warning" small noIcon>
              Destinataire médical
            </Badge>{' '}
            Raison : {i.medicalReason ?? '—'}
          </>
        ) : (
          'Destinataire non médical'
        )}
        <br />
        Clé age : <code className="cloison-admin-code">{i.recipient.ageRecipient}</code>
      </dd>
      <dt>Combien</dt>
      <dd>
        {scopeText(i.scope)} : {counted(i.counts.cases, 'dossier')},{' '}
        {counted(i.counts.persons, 'personne')}
      </dd>
    </dl>
  );
}
