import type { DbOrTx } from '../../db/database.js';

/** Records the acknowledgement of a ready migration; false when it was not ready any more. */
export async function markAcknowledged(
  db: DbOrTx,
  id: string,
  ack: { by: string; at: string; includeOpenCases: boolean; erasureDueAt: string },
): Promise<boolean> {
  const result = await db
    .updateTable('export_instructions')
    .set({
      status: 'acknowledged',
      acknowledged_by: ack.by,
      acknowledged_at: ack.at,
      include_open_cases: ack.includeOpenCases ? 1 : 0,
      erasure_due_at: ack.erasureDueAt,
    })
    .where('id', '=', id)
    .where('kind', '=', 'migration')
    .where('status', '=', 'ready')
    .where('expires_at', '>', ack.at)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Cancels a pending erasure, only before it is due. */
export async function markErasureCancelled(
  db: DbOrTx,
  id: string,
  by: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('export_instructions')
    .set({ status: 'cancelled', cancelled_by: by, cancelled_at: at })
    .where('id', '=', id)
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

/** The persons a run exported that still exist, with their account and their cases' statuses. */
export async function exportedPersonsStillHere(
  db: DbOrTx,
  instructionId: string,
  tenantId: string,
) {
  const rows = await db
    .selectFrom('export_persons')
    .innerJoin('persons', (j) =>
      j
        .onRef('persons.id', '=', 'export_persons.person_id')
        .onRef('persons.tenant_id', '=', 'export_persons.tenant_id'),
    )
    .leftJoin('cases', (j) =>
      j
        .onRef('cases.person_id', '=', 'persons.id')
        .onRef('cases.tenant_id', '=', 'persons.tenant_id'),
    )
    .select(['persons.id as personId', 'persons.account_id as accountId', 'cases.status'])
    .where('export_persons.instruction_id', '=', instructionId)
    .where('export_persons.tenant_id', '=', tenantId)
    .orderBy('persons.id')
    .execute();
  const byPerson = new Map<string, { id: string; accountId: string | null; statuses: string[] }>();
  for (const r of rows) {
    const p = byPerson.get(r.personId) ?? { id: r.personId, accountId: r.accountId, statuses: [] };
    if (r.status !== null) p.statuses.push(r.status);
    byPerson.set(r.personId, p);
  }
  return [...byPerson.values()];
}

/** How many persons the run exported (erased since or not). */
export async function countExportedPersons(db: DbOrTx, instructionId: string): Promise<number> {
  const row = await db
    .selectFrom('export_persons')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('instruction_id', '=', instructionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markSourceErased(
  db: DbOrTx,
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
    .where('status', '=', 'acknowledged')
    .execute();
}
