import type { Insertable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { ApiTokenRow, ApiTokenTable } from '../../db/schema.js';

/** Stores a new token (its hash only). */
export async function insertToken(db: DbOrTx, row: Insertable<ApiTokenTable>): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

/** Every token of a tenant, newest first. */
export function listTokensOfTenant(db: DbOrTx, tenantId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** One token, only within the tenant: a foreign token is never loaded. */
export function findTokenOfTenant(
  db: DbOrTx,
  tenantId: string,
  tokenId: string,
): Promise<ApiTokenRow | undefined> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', tokenId)
    .executeTakeFirst();
}

/**
 * The token presented by a request, whatever its tenant: the tenant is what the token says,
 * after its secret has been checked. Unsafe by name, since it has no tenant in its WHERE clause.
 */
export function unsafeFindTokenForBearer(
  db: DbOrTx,
  tokenId: string,
): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', tokenId).executeTakeFirst();
}

/** Records a second admin's approval, unless someone approved or revoked it meanwhile. */
export async function markApproved(
  db: DbOrTx,
  tokenId: string,
  by: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ approved_by: by, approved_at: at })
    .where('id', '=', tokenId)
    .where('approved_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Revokes one token; a token already revoked keeps its first revocation. */
export async function markRevoked(db: DbOrTx, tokenId: string, by: string, at: string) {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at, revoked_by: by, revoked_reason: 'revoked' })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Revokes every live token the accounts created: a token never outlives its creator's
 * credentials (offboarding, dormancy, erasure, password change, sessions ended).
 */
export async function revokeTokensCreatedBy(
  db: DbOrTx,
  accountIds: readonly string[],
  at: string,
): Promise<void> {
  if (accountIds.length === 0) return;
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at, revoked_by: null, revoked_reason: 'creator-credentials-ended' })
    .where('created_by', 'in', [...accountIds])
    .where('revoked_at', 'is', null)
    .execute();
}

/** Records use, for the admins' list ("unused for months: revoke it"). */
export async function touchLastUsed(db: DbOrTx, tokenId: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();
}

/**
 * Revokes the live token bound to an export instruction, if any (a new one replaces it); the
 * ids revoked, for the security events.
 */
export async function revokeTokensOfInstruction(
  db: DbOrTx,
  tenantId: string,
  instructionId: string,
  by: string,
  at: string,
): Promise<string[]> {
  const live = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('export_instruction_id', '=', instructionId)
    .where('revoked_at', 'is', null)
    .execute();
  if (live.length === 0) return [];
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at, revoked_by: by, revoked_reason: 'replaced' })
    .where(
      'id',
      'in',
      live.map((t) => t.id),
    )
    .where('revoked_at', 'is', null)
    .execute();
  return live.map((t) => t.id);
}
