import type { Insertable, Selectable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { OutboxKeyTable, OutboxTable } from '../../db/schema.js';

export type OutboxRow = Selectable<OutboxTable>;
export type OutboxKeyRow = Selectable<OutboxKeyTable>;

/** Where a row's sealed payload is bound: it cannot be moved to another row. */
export const outboxPayloadRef = (id: string) => ({
  table: 'outbox',
  column: 'payload_enc',
  rowId: id,
});

export async function insertOutboxRow(db: DbOrTx, row: Insertable<OutboxTable>): Promise<void> {
  await db.insertInto('outbox').values(row).execute();
}

/**
 * Takes up to `limit` rows that are due (pending and past their time, or sending under a lease
 * that ran out: the process that held it died mid-send) for `owner` until `leaseUntil`, counting
 * the attempt. One UPDATE: two workers never take the same row.
 */
export function claimDueRows(
  db: DbOrTx,
  options: { now: string; owner: string; leaseUntil: string; limit: number },
): Promise<OutboxRow[]> {
  const { now, owner, leaseUntil, limit } = options;
  return db
    .updateTable('outbox')
    .set((eb) => ({
      status: 'sending',
      lease_owner: owner,
      lease_until: leaseUntil,
      attempts: eb('attempts', '+', 1),
      updated_at: now,
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox')
        .select('id')
        .where((w) =>
          w.or([
            w.and([w('status', '=', 'pending'), w('next_attempt_at', '<=', now)]),
            w.and([w('status', '=', 'sending'), w('lease_until', '<=', now)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .limit(limit),
    )
    .returningAll()
    .execute();
}

/** Sent: the row is deleted (its content, a one-time link perhaps, must not outlive its use). */
export async function deleteSentRow(db: DbOrTx, id: string, owner: string): Promise<void> {
  await db.deleteFrom('outbox').where('id', '=', id).where('lease_owner', '=', owner).execute();
}

/** Failed for now: back to pending until `nextAttemptAt`, with the error's code. */
export async function scheduleRetry(
  db: DbOrTx,
  id: string,
  owner: string,
  fields: { nextAttemptAt: string; code: string; now: string },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: 'pending',
      next_attempt_at: fields.nextAttemptAt,
      last_error: fields.code,
      lease_owner: null,
      lease_until: null,
      updated_at: fields.now,
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

/**
 * Given up (bounced, dead, nothing to send): the trace stays for the operator, the content and
 * the lease go.
 */
export async function closeRow(
  db: DbOrTx,
  id: string,
  owner: string,
  fields: { status: 'bounced' | 'dead'; code: string; now: string },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: fields.status,
      last_error: fields.code,
      payload_enc: null,
      lease_owner: null,
      lease_until: null,
      updated_at: fields.now,
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

/** Traces of given-up rows older than `before`: forgotten. */
export async function deleteClosedRowsBefore(db: DbOrTx, before: string): Promise<number> {
  const res = await db
    .deleteFrom('outbox')
    .where('status', 'in', ['bounced', 'dead'])
    .where('updated_at', '<', before)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Rows not done yet, by kind: the queue depths. */
export async function countWaitingByKind(db: DbOrTx): Promise<{ mail: number; alert: number }> {
  const rows = await db
    .selectFrom('outbox')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['pending', 'sending'])
    .groupBy('kind')
    .execute();
  const n = (kind: string) => Number(rows.find((r) => r.kind === kind)?.n ?? 0);
  return { mail: n('mail'), alert: n('alert') };
}

/** The address an account has now and whether it may be mailed: read when sending. */
export function findRecipientAccount(db: DbOrTx, accountId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'email', 'status', 'disabled_reason'])
    .where('id', '=', accountId)
    .executeTakeFirst();
}

export function findOutboxKey(db: DbOrTx, scope: string): Promise<OutboxKeyRow | undefined> {
  return db.selectFrom('outbox_keys').selectAll().where('scope', '=', scope).executeTakeFirst();
}

/** Inserts the key unless another process did first; returns the one that is stored. */
export async function insertOutboxKeyIfAbsent(
  db: DbOrTx,
  row: Insertable<OutboxKeyTable>,
): Promise<OutboxKeyRow> {
  await db
    .insertInto('outbox_keys')
    .values(row)
    .onConflict((oc) => oc.column('scope').doNothing())
    .execute();
  return (await findOutboxKey(db, row.scope as string))!;
}
