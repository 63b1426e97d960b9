import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { statusLabel, statusSeverity } from './labels';

/** A status as text in a badge: the colour only repeats what the words say. */
export function StatusBadge({ status, small = true }: { status: string; small?: boolean }) {
  return (
    <Badge severity={statusSeverity(status)} noIcon small={small}>
      {statusLabel(status)}
    </Badge>
  );
}
