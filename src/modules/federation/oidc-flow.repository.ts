import type { Insertable } from 'kysely';
import type { OidcProviderName } from '../../config.js';
import type { DbOrTx } from '../../db/database.js';
import type { OidcFlowTable } from '../../db/schema.js';

/** Deletes every flow, anyone's, expired at `now`. */
export async function deleteExpiredFlows(db: DbOrTx, now: string): Promise<void> {
  await db.deleteFrom('oidc_flows').where('expires_at', '<=', now).execute();
}

/** Deletes the flows started from the accounts (the caller skips an empty list). */
export async function deleteFlowsOf(db: DbOrTx, accountIds: readonly string[]): Promise<void> {
  await db
    .deleteFrom('oidc_flows')
    .where('account_id', 'in', [...accountIds])
    .execute();
}

/** Records a new flow. */
export async function insertFlow(db: DbOrTx, flow: Insertable<OidcFlowTable>): Promise<void> {
  await db.insertInto('oidc_flows').values(flow).execute();
}

/**
 * Deletes the provider's flow with this state and binding and returns it, in one statement: a
 * replayed callback finds nothing.
 */
export function takeBoundFlow(
  db: DbOrTx,
  flow: { stateHash: string; bindingHash: string; provider: OidcProviderName },
) {
  return db
    .deleteFrom('oidc_flows')
    .where('state_hash', '=', flow.stateHash)
    .where('binding_hash', '=', flow.bindingHash)
    .where('provider', '=', flow.provider)
    .returningAll()
    .executeTakeFirst();
}

/** True when the provider has a flow with this state, whatever browser it is bound to. */
export async function hasFlowWithState(
  db: DbOrTx,
  stateHash: string,
  provider: OidcProviderName,
): Promise<boolean> {
  const pending = await db
    .selectFrom('oidc_flows')
    .select('binding_hash')
    .where('state_hash', '=', stateHash)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return pending !== undefined;
}
