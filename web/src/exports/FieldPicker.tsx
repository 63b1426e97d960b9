import { fr } from '@codegouvfr/react-dsfr';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import type { ExportField } from '../api/exports';
import { SENSITIVITY_LABEL, wordOf } from './labels';

const HEALTH_HINT =
  'Données de santé : seulement vers un destinataire médical, avec la raison qui les rend nécessaires.';

/** A field's label: its description, its sensitivity, and a warning for health data. */
function optionOf(field: ExportField, checked: boolean, onToggle: (on: boolean) => void) {
  const health = field.sensitivity === 'health';
  return {
    label: health ? `${field.description} — données de santé` : field.description,
    hintText: health
      ? HEALTH_HINT
      : `${wordOf(SENSITIVITY_LABEL, field.sensitivity)} (${field.name})`,
    nativeInputProps: {
      value: field.name,
      checked,
      onChange: (e: { target: { checked: boolean } }) => onToggle(e.target.checked),
    },
  };
}

/**
 * The catalogue, one group per sensitivity, so that the orderer sees what kind of data each
 * box sends; health fields say so in their label, not only by a colour.
 */
export function FieldPicker({
  legend,
  fields,
  chosen,
  onChange,
  error,
}: {
  legend: string;
  fields: readonly ExportField[];
  chosen: readonly string[];
  onChange: (names: string[]) => void;
  error?: string;
}) {
  const groups = new Map<string, ExportField[]>();
  for (const field of fields) {
    groups.set(field.sensitivity, [...(groups.get(field.sensitivity) ?? []), field]);
  }
  const toggle = (name: string, on: boolean) =>
    onChange(on ? [...chosen, name] : chosen.filter((n) => n !== name));
  return (
    <fieldset className={fr.cx('fr-fieldset')}>
      <legend className={fr.cx('fr-fieldset__legend')}>{legend}</legend>
      {error && (
        <p className={fr.cx('fr-error-text', 'fr-mb-2w')} role="alert">
          {error}
        </p>
      )}
      {[...groups].map(([sensitivity, list]) => (
        <div key={sensitivity} className={fr.cx('fr-fieldset__element')}>
          <Checkbox
            small
            legend={wordOf(SENSITIVITY_LABEL, sensitivity)}
            options={list.map((f) =>
              optionOf(f, chosen.includes(f.name), (on) => toggle(f.name, on)),
            )}
          />
        </div>
      ))}
    </fieldset>
  );
}
