import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { CASE_STATUSES, type CaseStatus } from '../api/vocabulary';
import { fieldState } from '../ui/field-error';
import { STATUS_LABEL } from '../ui/labels';

/** The queue's filters as the URL keeps them (shareable, the back button restores them). */
export interface QueueFilter {
  status: CaseStatus | '';
  assignee: '' | 'me' | 'none';
  team: string;
  overdue: boolean;
  sort: 'updated' | 'deadline';
}

export function filterFromSearch(search: URLSearchParams): QueueFilter {
  const assignee = search.get('assignee');
  const status = search.get('statut') ?? '';
  return {
    status: CASE_STATUSES.find((s) => s === status) ?? '',
    assignee: assignee === 'me' || assignee === 'none' ? assignee : '',
    team: search.get('equipe') ?? '',
    overdue: search.get('echeance') === 'depassee',
    sort: search.get('tri') === 'echeance' ? 'deadline' : 'updated',
  };
}

export function filterToSearch(f: QueueFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.status) out.statut = f.status;
  if (f.assignee) out.assignee = f.assignee;
  if (f.team.trim()) out.equipe = f.team.trim();
  if (f.overdue) out.echeance = 'depassee';
  if (f.sort === 'deadline') out.tri = 'echeance';
  return out;
}

/** The filter form above the queue; it applies on submit (Entrée or the button). */
export function QueueFilters({
  value,
  error,
  onApply,
}: {
  value: QueueFilter;
  /** The queue's refusal: what it says of a filter shows on that filter. */
  error: unknown;
  onApply: (f: QueueFilter) => void;
}) {
  const [draft, setDraft] = useState(value);
  const [lastValue, setLastValue] = useState(value);
  if (lastValue !== value) {
    // The URL changed (back button, link): the form shows what the list shows.
    setLastValue(value);
    setDraft(value);
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(draft);
  }
  return (
    <form onSubmit={submit} aria-label="Filtrer les dossiers" className={fr.cx('fr-mb-3w')}>
      <div className="cloison-queue-filters">
        <Select
          label="Statut"
          {...fieldState(error, 'status')}
          nativeSelectProps={{
            name: 'statut',
            value: draft.status,
            onChange: (e) => setDraft({ ...draft, status: e.target.value as CaseStatus | '' }),
          }}
        >
          <option value="">Tous les statuts</option>
          {CASE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </Select>
        <Select
          label="Affectation"
          {...fieldState(error, 'assignee')}
          nativeSelectProps={{
            name: 'assignee',
            value: draft.assignee,
            onChange: (e) =>
              setDraft({ ...draft, assignee: e.target.value as QueueFilter['assignee'] }),
          }}
        >
          <option value="">Tous</option>
          <option value="me">Les miens</option>
          <option value="none">Non assignés</option>
        </Select>
        <Input
          label="Équipe"
          hintText="Par exemple equipe-nord"
          {...fieldState(error, 'team')}
          nativeInputProps={{
            name: 'equipe',
            value: draft.team,
            maxLength: 40,
            onChange: (e) => setDraft({ ...draft, team: e.target.value }),
          }}
        />
        <Select
          label="Trier par"
          {...fieldState(error, 'sort')}
          nativeSelectProps={{
            name: 'tri',
            value: draft.sort,
            onChange: (e) => setDraft({ ...draft, sort: e.target.value as QueueFilter['sort'] }),
          }}
        >
          <option value="updated">Dernière modification</option>
          <option value="deadline">Échéance des pièces</option>
        </Select>
      </div>
      <Checkbox
        options={[
          {
            label: 'Échéance des pièces dépassée',
            nativeInputProps: {
              name: 'echeance',
              checked: draft.overdue,
              onChange: (e) => setDraft({ ...draft, overdue: e.target.checked }),
            },
          },
        ]}
      />
      <Button type="submit" iconId="fr-icon-filter-line">
        Filtrer les dossiers
      </Button>
    </form>
  );
}
