import type { AppDeps } from '../../deps.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import { certificateView } from './erasure-certificate.js';
import { findErasureCertificate, listErasureCertificates } from './erasure.repository.js';

/** The département's erasure certificates, as signed; the DPO's. */
export async function listCertificates(deps: AppDeps, actor: Actor) {
  const rows = await listErasureCertificates(deps.db, requireStaff(actor).tenantId);
  return { items: rows.map(certificateView) };
}

/** One certificate, to read again or download and verify offline. */
export async function readCertificate(deps: AppDeps, actor: Actor, certificateId: string) {
  const row = await requireAuthorized(deps.db, actor, 'erasure.readCertificates', {
    type: 'erasure-certificate',
    id: certificateId,
    table: 'erasure_certificates',
    find: async () =>
      actor.kind === 'staff'
        ? findErasureCertificate(deps.db, actor.tenantId, certificateId)
        : undefined,
    facts: (r) => ({ type: 'erasure-certificate', id: r.id, tenantId: r.tenant_id }),
  });
  return certificateView(row);
}
