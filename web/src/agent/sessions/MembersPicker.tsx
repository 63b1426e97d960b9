import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import type { StaffMember } from '../../api/staff';

/** Who sits: the active CDAPH members of the département, ticked one by one. */
export function MembersPicker(props: {
  staff: StaffMember[];
  value: string[];
  error?: string | undefined;
  onChange: (ids: string[]) => void;
}) {
  const members = props.staff.filter((s) => s.role === 'cdaph' && s.status === 'active');
  const toggle = (id: string, on: boolean) =>
    props.onChange(on ? [...props.value, id] : props.value.filter((v) => v !== id));
  return (
    <Checkbox
      legend="Membres qui siègent"
      hintText={members.length === 0 ? 'Aucun membre CDAPH actif dans ce département.' : undefined}
      state={props.error ? 'error' : 'default'}
      stateRelatedMessage={props.error}
      options={members.map((m) => ({
        label: m.displayName,
        nativeInputProps: {
          name: 'members',
          value: m.id,
          checked: props.value.includes(m.id),
          onChange: (e) => toggle(m.id, e.target.checked),
        },
      }))}
    />
  );
}
