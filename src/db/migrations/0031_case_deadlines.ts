import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The dates the server's deadlines start from, recorded when they happen rather than searched
 * for in the history: the day a request was found complete (the CDAPH's 4 months run from it),
 * with the last day of those 4 months (computed by the policy's calendar, so that queues filter
 * and sort on it in SQL), the day its decision was notified (the 2-month appeal window), and the
 * day the usager was
 * reminded of their missing pieces (so the reminder goes once per deadline).
 *
 * A case now also moves without anyone behind it (the lapse when its pieces deadline passes):
 * case_transitions.actor_account_id becomes nullable, which SQLite allows only by rebuilding the
 * table; the rows, their ids and the sequence are copied as they are, in one transaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // One transaction: SQLite's DDL is transactional, and a crash halfway must leave the
  // database as it was before, never a table dropped and not yet replaced.
  await db.transaction().execute((trx) => migrate(trx));
}

async function migrate(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('complete_on', 'text').execute();
  await db.schema.alterTable('cases').addColumn('instruction_due_on', 'text').execute();
  await db.schema.alterTable('cases').addColumn('notified_on', 'text').execute();
  await db.schema.alterTable('cases').addColumn('pieces_reminded_on', 'text').execute();
  // A granted right's renewal reminder goes once.
  await db.schema.alterTable('case_rights').addColumn('renewal_reminded_on', 'text').execute();
  // A renewal request names the case whose granted rights it asks to renew.
  await db.schema
    .alterTable('cases')
    .addColumn('renews_case_id', 'text', (c) => c.references('cases.id'))
    .execute();
  await sql`update cases set complete_on = (
      select substr(min(t.at), 1, 10) from case_transitions t
      where t.case_id = cases.id and t.to_status = 'recevable')`.execute(db);
  // The calendar as it is today, copied so that this migration never changes with the policy.
  const fourMonthsAfter = (day: string): string => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const last = new Date(Date.UTC(y, m - 1 + 5, 0)).getUTCDate();
    return new Date(Date.UTC(y, m - 1 + 4, Math.min(d, last))).toISOString().slice(0, 10);
  };
  const complete = await db
    .selectFrom('cases')
    .select(['id', 'complete_on'])
    .where('complete_on', 'is not', null)
    .execute();
  for (const c of complete as { id: string; complete_on: string }[]) {
    await db
      .updateTable('cases')
      .set({ instruction_due_on: fourMonthsAfter(c.complete_on) })
      .where('id', '=', c.id)
      .execute();
  }
  await sql`update cases set notified_on = (
      select substr(max(t.at), 1, 10) from case_transitions t
      where t.case_id = cases.id and t.to_status = 'notifie')`.execute(db);

  await db.schema
    .createTable('case_transitions_next')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    // Null: the server moved the case itself (a deadline passed), named by `by_job`.
    .addColumn('actor_account_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('comment_enc', 'blob')
    .addColumn('by_job', 'text')
    .addCheckConstraint(
      'case_transitions_someone',
      sql`(actor_account_id is null) <> (by_job is null)`,
    )
    .execute();
  await sql`insert into case_transitions_next
      (id, tenant_id, case_id, from_status, to_status, actor_account_id, at, comment_enc)
    select id, tenant_id, case_id, from_status, to_status, actor_account_id, at, comment_enc
    from case_transitions`.execute(db);
  // The sequence too, not only max(id): ids of transitions erased with their person stay unused.
  const sequence = await sql<{ seq: number }>`
    select seq from sqlite_sequence where name = 'case_transitions'`.execute(db);
  await db.schema.dropTable('case_transitions').execute();
  await db.schema.alterTable('case_transitions_next').renameTo('case_transitions').execute();
  const seq = sequence.rows[0]?.seq;
  if (seq !== undefined) {
    await sql`update sqlite_sequence set seq = max(seq, ${seq})
      where name = 'case_transitions'`.execute(db);
  }
  await db.schema
    .createIndex('case_transitions_case')
    .on('case_transitions')
    .column('case_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').dropColumn('renews_case_id').execute();
  await db.schema.alterTable('cases').dropColumn('pieces_reminded_on').execute();
  await db.schema.alterTable('cases').dropColumn('notified_on').execute();
  await db.schema.alterTable('cases').dropColumn('instruction_due_on').execute();
  await db.schema.alterTable('cases').dropColumn('complete_on').execute();
}
