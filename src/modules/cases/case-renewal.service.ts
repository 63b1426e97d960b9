import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import { problems } from '../../errors.js';
import { accountOf, type Actor } from '../../policy/actor.js';
import { GRANTING_DECISIONS, RENEWABLE_FROM } from '../../policy/case-workflow.js';
import type { RightCode } from '../../policy/vocabulary.js';
import { noteAuditedObject } from '../audit/request-audit.js';
import { findTenantCode } from '../tenants/tenant.repository.js';
import { requireCase } from './case-access.js';
import {
  findOpenRenewalOf,
  insertCase,
  insertRequestedRights,
  listRights,
  nextReference,
} from './case.repository.js';
import { getCase } from './case.service.js';

/**
 * A renewal request: a new draft for the same person, asking again for the rights the decided
 * case granted, with the situation as it was written (the author updates it before filing).
 * One open renewal per case; a withdrawn or lapsed one can be started again.
 */
export async function renewCase(deps: AppDeps, actor: Actor, caseId: string) {
  const { row } = await requireCase(deps, actor, 'case.renew', caseId);
  if (!RENEWABLE_FROM.includes(row.status as (typeof RENEWABLE_FROM)[number])) {
    throw problems.conflict(
      'not-renewable',
      'Seul un dossier dont la décision a été notifiée peut être renouvelé.',
    );
  }
  const granted = (await listRights(deps.db, row.tenant_id, row.id))
    .filter((r) => r.decision !== null && GRANTING_DECISIONS.includes(r.decision))
    .map((r) => r.right_code as RightCode);
  if (granted.length === 0) {
    throw problems.conflict(
      'not-renewable',
      'Aucun droit n’a été accordé dans ce dossier : déposez une nouvelle demande.',
    );
  }
  const now = deps.clock.now();
  const cipher = await deps.vault.forPerson(deps.db, row.tenant_id, row.person_id);
  const situation = cipher.openOptional(sealedField.caseSummary(row.id), row.summary_enc);
  const id = randomUUID();
  noteAuditedObject('case', id);
  await deps.db.transaction().execute(async (trx) => {
    if (await findOpenRenewalOf(trx, row.tenant_id, row.id)) {
      throw problems.conflict(
        'renewal-exists',
        'Un renouvellement de ce dossier est déjà en cours : reprenez-le.',
      );
    }
    const tenant = await findTenantCode(trx, row.tenant_id);
    await insertCase(trx, {
      id,
      tenant_id: row.tenant_id,
      reference: await nextReference(trx, row.tenant_id, tenant.code, now.getUTCFullYear()),
      person_id: row.person_id,
      filed_by_account_id: accountOf(actor)!,
      status: 'brouillon',
      // Sealed again, bound to the new case: the old ciphertext would not open under its id.
      summary_enc: cipher.sealOptional(sealedField.caseSummary(id), situation),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      renews_case_id: row.id,
    });
    await insertRequestedRights(trx, row.tenant_id, id, granted);
  });
  return getCase(deps, actor, id);
}
