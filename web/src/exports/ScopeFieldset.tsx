import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import type { ExportScope } from '../api/exports';
import { CASE_STATUSES, RIGHT_CODES, type CaseStatus, type RightCode } from '../api/vocabulary';
import { fieldState } from '../ui/field-error';
import { RIGHT_LABEL, STATUS_LABEL } from '../ui/labels';

export type ScopeMode = 'all' | 'filter' | 'cases';

/** What the scope part of the form holds, before it becomes the API's scope. */
export interface ScopeDraft {
  mode: ScopeMode;
  statuses: CaseStatus[];
  rights: RightCode[];
  from: string;
  to: string;
  caseIds: string;
}

export const EMPTY_SCOPE: ScopeDraft = {
  mode: 'all',
  statuses: [],
  rights: [],
  from: '',
  to: '',
  caseIds: '',
};

/** The API's scope: everything, a filter of the values given, or the listed case ids. */
export function scopeOf(draft: ScopeDraft): ExportScope {
  if (draft.mode === 'all') return { all: true };
  if (draft.mode === 'cases') {
    return { caseIds: draft.caseIds.split(/\s+/).filter((id) => id.length > 0) };
  }
  return {
    ...(draft.statuses.length ? { statuses: draft.statuses } : {}),
    ...(draft.rights.length ? { rights: draft.rights } : {}),
    ...(draft.from ? { from: draft.from } : {}),
    ...(draft.to ? { to: draft.to } : {}),
  };
}

const toggled = <T,>(list: T[], value: T, on: boolean) =>
  on ? [...list, value] : list.filter((v) => v !== value);

/** Which cases the instruction covers: all, those matching a filter, or a list of ids. */
export function ScopeFieldset({
  value,
  onChange,
  error,
}: {
  value: ScopeDraft;
  onChange: (draft: ScopeDraft) => void;
  error: unknown;
}) {
  const set = (patch: Partial<ScopeDraft>) => onChange({ ...value, ...patch });
  const modes: Array<{ mode: ScopeMode; label: string; hint: string }> = [
    { mode: 'all', label: 'Tous les dossiers du département', hint: 'Une migration complète.' },
    {
      mode: 'filter',
      label: 'Les dossiers qui répondent à un filtre',
      hint: 'Par statut, par droit demandé, par date de création.',
    },
    { mode: 'cases', label: 'Une liste de dossiers', hint: 'Leurs identifiants, un par ligne.' },
  ];
  return (
    <>
      <RadioButtons
        legend="Dossiers concernés"
        {...fieldState(error, 'scope')}
        options={modes.map((m) => ({
          label: m.label,
          hintText: m.hint,
          nativeInputProps: {
            name: 'scope-mode',
            value: m.mode,
            checked: value.mode === m.mode,
            onChange: () => set({ mode: m.mode }),
          },
        }))}
      />
      {value.mode === 'filter' && (
        <>
          <Checkbox
            legend="Statuts des dossiers (facultatif)"
            options={CASE_STATUSES.map((s) => ({
              label: STATUS_LABEL[s],
              nativeInputProps: {
                name: 'scope-statuses',
                value: s,
                checked: value.statuses.includes(s),
                onChange: (e) => set({ statuses: toggled(value.statuses, s, e.target.checked) }),
              },
            }))}
          />
          <Checkbox
            legend="Droits demandés (facultatif)"
            options={RIGHT_CODES.map((r) => ({
              label: RIGHT_LABEL[r],
              nativeInputProps: {
                name: 'scope-rights',
                value: r,
                checked: value.rights.includes(r),
                onChange: (e) => set({ rights: toggled(value.rights, r, e.target.checked) }),
              },
            }))}
          />
          <Input
            label="Dossiers créés à partir du (facultatif)"
            {...fieldState(error, 'scope/from')}
            nativeInputProps={{
              type: 'date',
              name: 'scope-from',
              value: value.from,
              onChange: (e) => set({ from: e.target.value }),
            }}
          />
          <Input
            label="Dossiers créés jusqu’au (facultatif)"
            {...fieldState(error, 'scope/to')}
            nativeInputProps={{
              type: 'date',
              name: 'scope-to',
              value: value.to,
              onChange: (e) => set({ to: e.target.value }),
            }}
          />
        </>
      )}
      {value.mode === 'cases' && (
        <Input
          label="Identifiants des dossiers"
          hintText="Un identifiant par ligne, tel qu’il figure dans l’adresse de la page du dossier."
          {...fieldState(error, 'scope/caseIds')}
          textArea
          nativeTextAreaProps={{
            name: 'scope-case-ids',
            rows: 5,
            value: value.caseIds,
            onChange: (e) => set({ caseIds: e.target.value }),
          }}
        />
      )}
    </>
  );
}
