import type { DbOrTx } from '../../db/database.js';

/** Records the acknowledgement of a ready migration; false when it was not ready any more. */
export async function markAcknowledged(
  db: DbOrTx,
  id: string,
  tenantId: string,
  ack: { by: { account: string } | { token: string }; at: string; erasureDueAt: string },
): Promise<boolean> {
  const result = await db
    .updateTable('export_instructions')
    .set({
      status: 'acknowledged',
      acknowledged_by: 'account' in ack.by ? ack.by.account : null,
      acknowledged_by_token: 'token' in ack.by ? ack.by.token : null,
      acknowledged_at: ack.at,
      erasure_due_at: ack.erasureDueAt,
    })
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'migration')
    .where('status', '=', 'ready')
    .where('expires_at', '>', ack.at)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Cancels a pending erasure, only before it is due. */
export async function markErasureCancelled(
  db: DbOrTx,
  tenantId: string,
  id: string,
  by: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('export_instructions')
    .set({ status: 'cancelled', cancelled_by: by, cancelled_at: at })
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'acknowledged')
    .where('erasure_due_at', '>', at)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Acknowledged migrations whose grace period has ended. */
export function findDueErasures(db: DbOrTx, now: string) {
  return db
    .selectFrom('export_instructions')
    .selectAll()
    .where('status', '=', 'acknowledged')
    .where('erasure_due_at', '<=', now)
    .execute();
}

/**
 * The persons a run exported that still exist, each with every case they have today (whether
 * it left with the run) and how many mandates they are in, represented or representing.
 */
export async function exportedPersonsStillHere(
  db: DbOrTx,
  instructionId: string,
  tenantId: string,
) {
  const persons = await db
    .selectFrom('export_persons')
    .innerJoin('persons', (j) =>
      j
        .onRef('persons.id', '=', 'export_persons.person_id')
        .onRef('persons.tenant_id', '=', 'export_persons.tenant_id'),
    )
    .select(['persons.id', 'persons.account_id as accountId'])
    .select((eb) => [
      eb
        .selectFrom('mandates')
        .select((m) => m.fn.countAll<number>().as('n'))
        .where('mandates.tenant_id', '=', tenantId)
        .where((m) =>
          m.or([
            m('mandates.person_id', '=', m.ref('persons.id')),
            m.and([
              m('persons.account_id', 'is not', null),
              m('mandates.representative_account_id', '=', m.ref('persons.account_id')),
            ]),
          ]),
        )
        .as('mandates'),
    ])
    .where('export_persons.instruction_id', '=', instructionId)
    .where('export_persons.tenant_id', '=', tenantId)
    .orderBy('persons.id')
    .execute();
  const cases = await db
    .selectFrom('cases')
    .innerJoin('export_persons', (j) =>
      j
        .onRef('export_persons.person_id', '=', 'cases.person_id')
        .onRef('export_persons.tenant_id', '=', 'cases.tenant_id'),
    )
    .leftJoin('export_cases', (j) =>
      j
        .onRef('export_cases.case_id', '=', 'cases.id')
        .on('export_cases.instruction_id', '=', instructionId),
    )
    .select(['cases.person_id', 'cases.status', 'export_cases.case_id as exported'])
    .where('export_persons.instruction_id', '=', instructionId)
    .where('cases.tenant_id', '=', tenantId)
    .execute();
  return persons.map((p) => ({
    id: p.id,
    accountId: p.accountId,
    mandates: Number(p.mandates ?? 0),
    cases: cases
      .filter((c) => c.person_id === p.id)
      .map((c) => ({ status: c.status, exported: c.exported !== null })),
  }));
}

export async function markSourceErased(
  db: DbOrTx,
  tenantId: string,
  id: string,
  done: { at: string; summary: string; signature: string },
): Promise<void> {
  await db
    .updateTable('export_instructions')
    .set({
      status: 'erased',
      erased_at: done.at,
      erasure_summary: done.summary,
      erasure_signature: done.signature,
    })
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'acknowledged')
    .execute();
}

/** Whether the export's file was downloaded at least once (its security events say so). */
export async function wasDownloaded(db: DbOrTx, tenantId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('security_events')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'export.downloaded')
    .where('object_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
