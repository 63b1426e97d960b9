import type { DbOrTx } from '../../db/database.js';

/** The person a case of the tenant is about, or undefined. */
export function findCasePerson(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .selectFrom('cases')
    .select(['id', 'person_id'])
    .where('id', '=', caseId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

/** Of these accounts, the active ones of the tenant: a disabled account is told nothing. */
export async function filterActiveAccounts(
  db: DbOrTx,
  tenantId: string,
  accountIds: readonly string[],
): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .selectFrom('accounts')
    .select('id')
    .where('id', 'in', accountIds)
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}

/** Of these accounts, those that switched this notice off. */
export async function accountsWithNoticeOff(
  db: DbOrTx,
  accountIds: readonly string[],
  notice: string,
): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('notification_preferences')
    .select('account_id')
    .where('account_id', 'in', accountIds)
    .where('notice', '=', notice)
    .where('enabled', '=', 0)
    .execute();
  return new Set(rows.map((r) => r.account_id));
}

/** The choices an account made (notices not listed are on). */
export function listPreferencesOf(db: DbOrTx, accountId: string) {
  return db
    .selectFrom('notification_preferences')
    .select(['notice', 'enabled'])
    .where('account_id', '=', accountId)
    .execute();
}

/**
 * Records an account's choice for one notice. On is the default, so switching a notice on
 * removes the row: only notices switched off are stored.
 */
export async function savePreference(
  db: DbOrTx,
  row: { accountId: string; notice: string; enabled: boolean; at: string },
): Promise<void> {
  if (row.enabled) {
    await db
      .deleteFrom('notification_preferences')
      .where('account_id', '=', row.accountId)
      .where('notice', '=', row.notice)
      .execute();
    return;
  }
  await db
    .insertInto('notification_preferences')
    .values({ account_id: row.accountId, notice: row.notice, enabled: 0, updated_at: row.at })
    .onConflict((oc) =>
      oc.columns(['account_id', 'notice']).doUpdateSet({ enabled: 0, updated_at: row.at }),
    )
    .execute();
}
