import { Badge } from '@codegouvfr/react-dsfr/Badge';
import type { CaseStatus } from '../api/types';
import { STATUS_LABEL, STATUS_SEVERITY } from '../ui/labels';

/** A status as text in a badge: the colour only repeats what the words say. */
export function StatusBadge({ status }: { status: CaseStatus }) {
  return (
    <Badge severity={STATUS_SEVERITY[status]} noIcon small>
      {STATUS_LABEL[status]}
    </Badge>
  );
}
