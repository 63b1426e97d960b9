import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import type { Action } from '../../policy/actions.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { requireInstruction } from '../exports/export-instruction.service.js';
import type { RequestContext } from '../request-context.js';
import {
  findTokenOfTenant,
  insertToken,
  revokeTokensOfInstruction,
} from './integration-token.repository.js';
import type { CreatedToken, RecipientTokenBody } from './integration-token.schemas.js';
import { checkedRanges, toView } from './integration-token.service.js';
import { mintIntegrationToken } from './token-secret.js';

/** An instruction the DPO approved, not yet past its expiry: its file is or will be there. */
const MINTABLE = ['approved', 'running', 'ready'];

/**
 * The orderer of an approved export hands its recipient's system a token for it: that token
 * downloads this export's file and, for a migration, posts its acknowledgement; nothing else.
 * It works at once, with no second admin: the four eyes were the DPO's approval of the
 * instruction, which names the recipient, and the file is ciphertext to the recipient's key. It
 * expires with the instruction. A new one replaces the live one (revoked), so a recipient who
 * lost the token shown once gets another from the orderer, and there is never more than one.
 */
export async function mintRecipientToken(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  instructionId: string,
  body: Static<typeof RecipientTokenBody>,
): Promise<Static<typeof CreatedToken>> {
  const row = await requireInstruction(deps, actor, 'export.mintRecipientToken', instructionId);
  const orderer = requireStaff(actor);
  const now = deps.clock.now();
  const at = now.toISOString();
  if (!MINTABLE.includes(row.status) || row.expires_at <= at) {
    const state = row.expires_at <= at ? 'expired' : row.status;
    throw problems.conflict(
      'instruction-not-approved',
      `Un jeton du destinataire ne se crée que pour une instruction approuvée et pas expirée (${state}).`,
    );
  }
  const ranges = checkedRanges(body.allowedRanges);
  const permissions: Action[] =
    row.kind === 'migration' ? ['export.download', 'export.acknowledge'] : ['export.download'];
  const minted = mintIntegrationToken();
  const replaced = await deps.db.transaction().execute(async (trx) => {
    const revoked = await revokeTokensOfInstruction(
      trx,
      row.tenant_id,
      row.id,
      orderer.accountId,
      at,
    );
    await insertToken(trx, {
      id: minted.id,
      tenant_id: row.tenant_id,
      name: `Destinataire : ${row.recipient_name}`.slice(0, 80),
      secret_hash: minted.hash,
      permissions: JSON.stringify(permissions),
      allowed_ranges: ranges === null ? null : JSON.stringify(ranges),
      created_by: orderer.accountId,
      created_at: at,
      expires_at: row.expires_at,
      // The DPO's approval of the instruction is the token's.
      approved_by: row.decided_by,
      approved_at: row.decided_at,
      revoked_at: null,
      revoked_by: null,
      revoked_reason: null,
      last_used_at: null,
      export_instruction_id: row.id,
    });
    return revoked;
  });
  for (const tokenId of replaced) {
    await recordSecurityEvent(deps, origin, {
      kind: 'token.revoked',
      actor,
      objectType: 'integration-token',
      objectId: tokenId,
      detail: { reason: 'replaced', exportInstructionId: row.id },
    });
  }
  await recordSecurityEvent(deps, origin, {
    kind: 'token.minted-for-export',
    actor,
    objectType: 'integration-token',
    objectId: minted.id,
    detail: {
      exportInstructionId: row.id,
      expiresAt: row.expires_at,
      addressBound: ranges !== null,
      replaced: replaced.length,
    },
  });
  const created = await findTokenOfTenant(deps.db, row.tenant_id, minted.id);
  return { ...toView(created!, now), token: minted.token };
}
