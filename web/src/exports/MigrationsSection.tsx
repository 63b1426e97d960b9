import { useEffect, useRef, useState } from 'react';
import { Table } from '@codegouvfr/react-dsfr/Table';
import type { ExportInstruction } from '../api/exports';
import { formatDateTime } from '../ui/labels';
import { AcknowledgementForm } from './AcknowledgementForm';
import { PendingErasure } from './PendingErasure';

const persons = (n: number | null, done: string) =>
  `${n ?? 0} personne${(n ?? 0) > 1 ? 's' : ''} ${done}${(n ?? 0) > 1 ? 's' : ''}`;

/** How a closed migration ended: its source erased (who went, who stayed), or the cancelling. */
function outcomeOf(i: ExportInstruction): string {
  const m = i.migration!;
  if (m.cancelledAt) {
    return `Effacement annulé le ${formatDateTime(m.cancelledAt)} : la source est gardée.`;
  }
  return `Source effacée le ${formatDateTime(m.erasedAt)} : ${persons(m.erased, 'effacée')}, ${persons(m.kept, 'gardée')}.`;
}

/**
 * The end of the département's migrations, for the DPO: those whose file is ready, waiting for
 * the recipient's acknowledgement; those acknowledged, whose source waits its grace period
 * before erasure (and may still be kept); those closed, erased or cancelled. All derive from
 * the list the page already holds.
 */
export function MigrationsSection({
  instructions,
  onChanged,
}: {
  instructions: readonly ExportInstruction[];
  /** Told the outcome in words; the page reloads the list, which moves the migration on. */
  onChanged: (message: string) => Promise<void>;
}) {
  const migrations = instructions.filter((i) => i.kind === 'migration');
  const ready = migrations.filter((i) => i.status === 'ready');
  const waiting = migrations.filter((i) => i.status === 'acknowledged' && i.migration);
  const closed = migrations.filter(
    (i) => (i.status === 'erased' || i.status === 'cancelled') && i.migration,
  );
  const [acknowledged, setAcknowledged] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const closedHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!cancelled || closed.length === 0) return;
    closedHeading.current?.focus();
    setCancelled(false);
  }, [cancelled, closed.length]);

  return (
    <section aria-labelledby="migrations-end">
      <h2 id="migrations-end">Migrations : accusés de réception et effacements</h2>
      <p>
        Après une migration, la source est effacée : confirmez la réception seulement quand le
        destinataire vous a transmis l’empreinte du manifeste et le code de réception lus dans
        l’archive qu’il a déchiffrée. L’effacement a lieu à la fin du délai de garde ; vous pouvez
        l’annuler jusque-là.
      </p>
      <h3>Réceptions à confirmer</h3>
      {ready.length === 0 && <p>Aucune migration prête n’attend de confirmation.</p>}
      {ready.map((i) => (
        <AcknowledgementForm
          key={i.id}
          instruction={i}
          onDone={async (message) => {
            setAcknowledged(i.id);
            await onChanged(message);
          }}
        />
      ))}
      <h3>Effacements prévus</h3>
      {waiting.length === 0 && <p>Aucun effacement prévu.</p>}
      {waiting.map((i) => (
        <PendingErasure
          key={i.id}
          instruction={i}
          focus={acknowledged === i.id}
          onCancelled={async (message) => {
            await onChanged(message);
            setCancelled(true);
          }}
        />
      ))}
      <h3 ref={closedHeading} tabIndex={-1}>
        Migrations closes
      </h3>
      {closed.length === 0 && <p>Aucune migration close.</p>}
      {closed.length > 0 && (
        <Table
          caption="Migrations dont la source a été effacée ou gardée"
          headers={['Migration', 'Réception confirmée le', 'Issue']}
          data={closed.map((i) => [
            `${i.recipient.name} — ${i.purpose}`,
            formatDateTime(i.migration!.acknowledgedAt),
            outcomeOf(i),
          ])}
        />
      )}
    </section>
  );
}
