import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A webhook's URL may carry the receiver's own credential in its path or query (many SIEM and
 * chat receivers work that way): it is now sealed under the tenant's credential secret like the
 * HMAC secret, and `url` keeps only what can be shown (the origin, then "/…"). Rows made before
 * keep their clear URL until the channel is replaced (there is no key here to seal them with).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('alert_channels').addColumn('url_enc', 'blob').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('alert_channels').dropColumn('url_enc').execute();
}
