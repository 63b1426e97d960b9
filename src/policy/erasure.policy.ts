import type { Actor } from './actor.js';
import type { Action } from './actions.js';

/** What the rules see of an erasure certificate. */
export interface ErasureCertificateFacts {
  readonly tenantId: string;
}

/** A certificate is read again by the DPO of its département, and by nobody else. */
export function canOnErasureCertificate(
  actor: Actor,
  action: Action,
  certificate: ErasureCertificateFacts,
): boolean {
  return (
    action === 'erasure.readCertificates' &&
    actor.kind === 'staff' &&
    actor.role === 'dpo' &&
    actor.tenantId === certificate.tenantId
  );
}
