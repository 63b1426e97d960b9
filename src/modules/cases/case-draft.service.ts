import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import { problems } from '../../errors.js';
import { accountOf, type Actor } from '../../policy/actor.js';
import { requireAllowed } from '../authorization/require-authorized.js';
import { requireCase } from './case-access.js';
import { updateDraft } from './case.repository.js';
import { getCase } from './case.service.js';
import type { CaseDetail, DraftBody } from './case.schemas.js';

const notADraft = () =>
  problems.conflict(
    'not-a-draft',
    'Cette demande a déjà été déposée : elle ne se modifie plus comme un brouillon.',
  );

/**
 * Saves a draft request as its author goes through the steps: the requested rights and the
 * situation in their own words, sealed under the person's key (T2). Only a draft, only by the
 * account that opened it (the case policy's `case.editDraft`).
 */
export async function editDraft(
  deps: AppDeps,
  actor: Actor,
  caseId: string,
  body: Static<typeof DraftBody>,
): Promise<Static<typeof CaseDetail>> {
  // Read first, so that the author of a request already submitted learns why (409); anyone
  // else is refused exactly as for a missing case.
  const { row, facts } = await requireCase(deps, actor, 'case.read', caseId);
  if (row.status !== 'brouillon' && facts.filedByAccountId === accountOf(actor)) {
    throw notADraft();
  }
  requireAllowed(actor, 'case.editDraft', { type: 'case', id: row.id, case: facts });
  const cipher = await deps.vault.forPerson(deps.db, row.tenant_id, row.person_id);
  const situation = body.situation.trim();
  const summaryEnc = cipher.sealOptional(
    sealedField.caseSummary(row.id),
    situation === '' ? null : situation,
  );
  const at = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    const changed = await updateDraft(trx, row.tenant_id, row.id, {
      summaryEnc,
      rights: body.rights,
      at,
    });
    if (!changed) throw notADraft();
  });
  return getCase(deps, actor, caseId);
}
