import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Alert channels of three kinds: webhook, e-mail, syslog. The url and secret columns become
 * optional and an e-mail address (sealed like the webhook secret) and a syslog facility are added.
 * SQLite cannot drop NOT NULL in place: the table is rebuilt and its rows copied, in one
 * transaction. The CHECK keeps each kind's columns consistent whatever the code does.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('alert_channels_0020')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('address_enc', 'blob')
      .addColumn('secret_enc', 'blob')
      .addColumn('facility', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addCheckConstraint(
        'alert_channels_kind_columns',
        sql`(kind = 'webhook' and url is not null and secret_enc is not null and address_enc is null and facility is null)
          or (kind = 'email' and address_enc is not null and url is null and secret_enc is null and facility is null)
          or (kind = 'syslog' and url is not null and facility is not null and address_enc is null and secret_enc is null)`,
      )
      .execute();
    await sql`insert into alert_channels_0020 (id, tenant_id, kind, url, secret_enc, created_by, created_at)
      select id, tenant_id, kind, url, secret_enc, created_by, created_at from alert_channels`.execute(
      trx,
    );
    await trx.schema.dropTable('alert_channels').execute();
    await trx.schema.alterTable('alert_channels_0020').renameTo('alert_channels').execute();
    await trx.schema
      .createIndex('alert_channels_tenant')
      .on('alert_channels')
      .column('tenant_id')
      .execute();
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('alert_channels_0016')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('secret_enc', 'blob', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // Only webhooks existed before: the other kinds cannot go back and are dropped.
    await sql`insert into alert_channels_0016 select id, tenant_id, kind, url, secret_enc, created_by, created_at
      from alert_channels where kind = 'webhook'`.execute(trx);
    await trx.schema.dropTable('alert_channels').execute();
    await trx.schema.alterTable('alert_channels_0016').renameTo('alert_channels').execute();
  });
}
