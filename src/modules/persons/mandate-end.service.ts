import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { isoDay } from '../../clock.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import { problems } from '../../errors.js';
import { accountOf, type Actor } from '../../policy/actor.js';
import { requireMandate } from './mandate-access.js';
import { endMandateRow } from './mandate-proof.repository.js';
import type { EndMandateBody } from './mandate.schemas.js';

/** The day before a YYYY-MM-DD day. */
function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/**
 * Ends a mandate early or revokes it (its representative, or an agent of its département). From
 * `endsOn` on it gives no access: the scope and the case facts read the mandate's last day on
 * every request, so ending it today closes the represented person's cases to the
 * representative at once. The reason is sealed under the represented person's key.
 */
export async function endMandate(
  deps: AppDeps,
  actor: Actor,
  mandateId: string,
  body: Static<typeof EndMandateBody>,
): Promise<void> {
  const mandate = await requireMandate(deps, actor, 'mandate.end', mandateId);
  const now = deps.clock.now();
  const today = isoDay(now);
  if (mandate.ended_at !== null || mandate.ends_on < today) {
    throw problems.conflict('mandate-ended', 'Ce mandat a déjà pris fin.');
  }
  const onField = (message: string) =>
    problems.validation(message, [{ path: 'body/endsOn', message }]);
  if (body.endsOn < today) throw onField('Un mandat ne prend pas fin dans le passé.');
  const lastDay = dayBefore(body.endsOn);
  if (lastDay > mandate.ends_on) {
    throw onField('Mettre fin à un mandat ne le prolonge pas au-delà de sa date de fin.');
  }
  const cipher = await deps.vault.forPerson(deps.db, mandate.tenant_id, mandate.person_id);
  const ended = await endMandateRow(
    deps.db,
    { tenantId: mandate.tenant_id, mandateId: mandate.id, today },
    {
      lastDay,
      by: accountOf(actor) ?? '',
      at: now.toISOString(),
      reasonEnc: cipher.seal(sealedField.mandateEndReason(mandate.id), body.reason),
    },
  );
  if (!ended) throw problems.conflict('mandate-ended', 'Ce mandat a déjà pris fin.');
}
