import { randomUUID } from 'node:crypto';
import { insertInvitation } from '../modules/invitations/invitation.repository.js';
import {
  newInvitationCode,
  normaliseInvitationCode,
} from '../modules/invitations/invitation-code.js';
import { INVITATION_VALIDITY_DAYS } from '../modules/invitations/invitation.service.js';
import type { DemoContext } from './demo-records.js';

const DAY_MS = 86_400_000;

/**
 * A letter invitation the accueil issued for a person filed on paper, pending, indexed as the
 * application indexes it; the code is returned once, to go to demo-accounts.json as the printed
 * letter would go to the person.
 */
export async function addLetterInvitation(
  ctx: DemoContext,
  tenantId: string,
  personId: string,
  createdBy: string,
): Promise<{ code: string; expiresAt: string }> {
  const code = newInvitationCode();
  const expiresAt = new Date(
    ctx.now.getTime() + INVITATION_VALIDITY_DAYS.letter * DAY_MS,
  ).toISOString();
  await insertInvitation(ctx.db, {
    id: randomUUID(),
    tenant_id: tenantId,
    person_id: personId,
    channel: 'letter',
    code_index: await ctx.vault.blindIndex(
      ctx.db,
      tenantId,
      'invitation',
      normaliseInvitationCode(code)!,
    ),
    status: 'pending',
    created_by: createdBy,
    created_at: ctx.now.toISOString(),
    expires_at: expiresAt,
    ended_at: null,
    claimed_by: null,
  });
  return { code, expiresAt };
}
