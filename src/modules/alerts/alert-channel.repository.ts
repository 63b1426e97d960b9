import type { Insertable, Selectable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { AlertChannelTable } from '../../db/schema.js';

export type AlertChannelRow = Selectable<AlertChannelTable>;

/** Where each sealed column of a channel is bound: a sealed value cannot move to another row. */
export const channelSecretRef = (channelId: string) => ({
  table: 'alert_channels',
  column: 'secret_enc',
  rowId: channelId,
});
export const channelUrlRef = (channelId: string) => ({
  table: 'alert_channels',
  column: 'url_enc',
  rowId: channelId,
});
export const channelAddressRef = (channelId: string) => ({
  table: 'alert_channels',
  column: 'address_enc',
  rowId: channelId,
});

export async function insertChannel(db: DbOrTx, row: Insertable<AlertChannelTable>) {
  await db.insertInto('alert_channels').values(row).execute();
}

/** Every channel of the tenant, oldest first. */
export function channelsOfTenant(db: DbOrTx, tenantId: string): Promise<AlertChannelRow[]> {
  return db
    .selectFrom('alert_channels')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function countChannels(db: DbOrTx, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('alert_channels')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A channel of this tenant only: another tenant's is not found here. */
export function findChannelOfTenant(
  db: DbOrTx,
  tenantId: string,
  channelId: string,
): Promise<AlertChannelRow | undefined> {
  return db
    .selectFrom('alert_channels')
    .selectAll()
    .where('id', '=', channelId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export async function deleteChannel(db: DbOrTx, tenantId: string, channelId: string) {
  const res = await db
    .deleteFrom('alert_channels')
    .where('id', '=', channelId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}
