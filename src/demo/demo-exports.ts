import { randomUUID } from 'node:crypto';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { insertInstruction } from '../modules/exports/export-instruction.repository.js';
import type { DemoContext } from './demo-records.js';

const DAY_MS = 86_400_000;

/**
 * The age key pair of the demo's export recipient (the département's own information system):
 * the public half goes into the instructions, the secret half into demo-accounts.json, so that
 * whoever tries the demo can open what it exports with `age -d`.
 */
export async function demoExportRecipient(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

/**
 * An export the responsable ordered for the département's statistics service, waiting for the
 * DPO's approval: decisions and statuses of the notified cases, no identity, no document.
 */
export async function addPendingExportInstruction(
  ctx: DemoContext,
  tenant: { id: string; code: string },
  responsableId: string,
  recipient: string,
): Promise<void> {
  await insertInstruction(ctx.db, {
    id: randomUUID(),
    tenant_id: tenant.id,
    kind: 'export',
    purpose: `Statistiques annuelles des décisions de la MDPH ${tenant.code} (rapport d’activité)`,
    legal_basis: 'Mission d’intérêt public (RGPD art. 6.1.e), art. L. 146-3 du CASF',
    recipient_name: `Observatoire départemental ${tenant.code}`,
    recipient_contact: `observatoire.${tenant.code}@demo.cloison.test`,
    recipient_medical: 0,
    medical_reason: null,
    age_recipient: recipient,
    scope: JSON.stringify({ statuses: ['notifie', 'cloture'] }),
    fields: JSON.stringify(['case.reference', 'case.status', 'case.dates', 'case.decisions']),
    document_categories: JSON.stringify([]),
    expires_at: new Date(ctx.now.getTime() + 30 * DAY_MS).toISOString(),
    status: 'pending',
    ordered_by: responsableId,
    ordered_at: ctx.now.toISOString(),
  });
}
