import { Badge } from '@codegouvfr/react-dsfr/Badge';
import type { CaseStatus } from '../api/types';
import { STATUS_LABEL, STATUS_SEVERITY } from './labels';

/** A status as text in a badge: the colour only repeats what the words say. */
export function StatusBadge({ status, small = true }: { status: CaseStatus; small?: boolean }) {
  return (
    <Badge severity={STATUS_SEVERITY[status]} noIcon small={small}>
      {STATUS_LABEL[status]}
    </Badge>
  );
}
