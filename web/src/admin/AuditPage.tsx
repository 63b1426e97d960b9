import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { searchAudit } from '../api/audit';
import { Page } from '../app/Page';
import { fieldState } from '../ui/field-error';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { formatDateTime } from '../ui/labels';
import { useApi } from '../ui/useApi';
import { labelOf, OUTCOME_LABEL } from './labels';
import { VerifyLog } from './VerifyLog';
import { ConsultationSetting } from './ConsultationSetting';
import './admin.css';

const FIELDS = ['action', 'actor', 'objectType', 'objectId', 'outcome', 'from', 'to'] as const;
type Field = (typeof FIELDS)[number];

/** The day fields of the form as instants: from the start of `from` to the end of `to`. */
function instant(day: string | null, end: boolean): string | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  return new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString();
}

/** The DPO searches the département's audit log (filters kept in the address) and verifies it. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState<Record<Field, string>>(
    () => Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Record<Field, string>,
  );
  const key = params.toString();
  const results = useApi(
    () =>
      searchAudit({
        action: params.get('action'),
        actor: params.get('actor'),
        objectType: params.get('objectType'),
        objectId: params.get('objectId'),
        outcome: params.get('outcome'),
        from: instant(params.get('from'), false),
        to: instant(params.get('to'), true),
        before: params.get('before'),
        limit: 50,
      }),
    [key],
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const f of FIELDS) if (form[f].trim()) next.set(f, form[f].trim());
    setParams(next);
  }

  function older(before: number) {
    const next = new URLSearchParams(params);
    next.set('before', String(before));
    setParams(next);
  }

  const input = (name: Field, label: string, hint?: string, type = 'text', wide = false) => (
    <div className={fr.cx('fr-col-12', wide ? 'fr-col-md-4' : 'fr-col-md-3')}>
      <Input
        label={label}
        hintText={hint}
        {...fieldState(results.error, name)}
        nativeInputProps={{
          name,
          type,
          value: form[name],
          onChange: (e) => setForm({ ...form, [name]: e.target.value }),
        }}
      />
    </div>
  );

  return (
    <Page title="Journal d’audit">
      <form onSubmit={submit} noValidate>
        <h2>Rechercher des événements</h2>
        <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
          {input('action', 'Action', 'Par exemple : access.denied')}
          <div className={fr.cx('fr-col-12', 'fr-col-md-3')}>
            <Select
              label="Résultat"
              hint="Autorisé, refusé ou en échec"
              {...fieldState(results.error, 'outcome')}
              nativeSelectProps={{
                name: 'outcome',
                value: form.outcome,
                onChange: (e) => setForm({ ...form, outcome: e.target.value }),
              }}
            >
              <option value="">Tous</option>
              {Object.entries(OUTCOME_LABEL).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          </div>
          {input('from', 'Du', 'Premier jour inclus', 'date')}
          {input('to', 'Au', 'Dernier jour inclus', 'date')}
          {input('actor', 'Identifiant de l’auteur', 'Compte ou jeton', 'text', true)}
          {input('objectType', 'Type d’objet', 'Par exemple : case, account', 'text', true)}
          {input('objectId', 'Identifiant de l’objet', 'Un identifiant', 'text', true)}
        </div>
        <Button type="submit" className={fr.cx('fr-mt-2w')}>
          Rechercher dans le journal
        </Button>
      </form>
      <h2 className={fr.cx('fr-mt-4w')}>Résultats</h2>
      <ProblemAlert error={results.error} />
      {results.loading && <Loading label="Recherche en cours…" />}
      {results.data && results.data.items.length === 0 && (
        <p role="status">Aucun événement ne correspond à ces critères.</p>
      )}
      {results.data && results.data.items.length > 0 && (
        <>
          <Table
            caption={`Événements du journal, du plus récent au plus ancien (${results.data.items.length} affichés)`}
            headers={['N°', 'Date', 'Auteur', 'Action', 'Objet', 'Résultat', 'Finalité']}
            data={results.data.items.map((e) => [
              String(e.seq),
              <span key="d" className="cloison-nowrap">
                {formatDateTime(e.at)}
              </span>,
              <span key="a" className="cloison-admin-code">
                {e.actor ?? e.actorKind}
                {e.role ? ` (${e.role})` : ''}
                {e.address ? ` — ${e.address}` : ''}
              </span>,
              e.action,
              <span key="o" className="cloison-admin-code">
                {e.objectType ? `${e.objectType} ${e.objectId ?? ''}` : '—'}
              </span>,
              labelOf(OUTCOME_LABEL, e.outcome),
              e.purpose ?? '—',
            ])}
          />
          {results.data.nextBefore !== null && (
            <Button priority="secondary" onClick={() => older(results.data!.nextBefore!)}>
              Plus anciens
            </Button>
          )}
        </>
      )}
      <VerifyLog />
      <ConsultationSetting />
    </Page>
  );
}
