import type { ExpressionBuilder } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

/**
 * Keeps decoy cases out of a listing of cases. Listings only: a decoy stays reachable by its id
 * for whoever may read it, since that read is exactly what raises the alert.
 */
export function isNotDecoyCase(eb: ExpressionBuilder<Database, 'cases'>) {
  return eb('cases.id', 'not in', eb.selectFrom('decoys').select('decoys.case_id'));
}

/** Keeps decoy persons out of a listing or search of persons. */
export function isNotDecoyPerson(eb: ExpressionBuilder<Database, 'persons'>) {
  return eb('persons.id', 'not in', eb.selectFrom('decoys').select('decoys.person_id'));
}

/** The decoy of a tenant whose case still exists (an erased one no longer serves). */
export function findLiveDecoyOfTenant(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('decoys')
    .innerJoin('cases', 'cases.id', 'decoys.case_id')
    .select(['decoys.case_id', 'decoys.person_id'])
    .where('decoys.tenant_id', '=', tenantId)
    .executeTakeFirst();
}

/**
 * Every id an audit event may name that belongs to a decoy, past or present: the cases, their
 * persons, and the documents, messages and notes of those cases (an upload or a message adds
 * some).
 */
export async function findDecoyObjectIds(db: DbOrTx): Promise<Set<string>> {
  const decoys = await db.selectFrom('decoys').select(['case_id', 'person_id']).execute();
  const ids = new Set(decoys.flatMap((d) => [d.case_id, d.person_id]));
  if (decoys.length === 0) return ids;
  const caseIds = decoys.map((d) => d.case_id);
  for (const table of ['documents', 'messages', 'notes'] as const) {
    const rows = await db.selectFrom(table).select('id').where('case_id', 'in', caseIds).execute();
    for (const r of rows) ids.add(r.id);
  }
  return ids;
}

/** Who files the tenant's decoy case: its first accueil agent, or else its first staff account. */
export function findDecoyFiler(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'role'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'staff')
    .orderBy((eb) => eb.case().when('role', '=', 'accueil').then(0).else(1).end())
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
}

/** Marks a tenant's decoy (no foreign keys: the marker outlives an erasure of the decoy). */
export async function recordDecoy(
  db: DbOrTx,
  decoy: { tenantId: string; caseId: string; personId: string; at: string },
): Promise<void> {
  await db
    .insertInto('decoys')
    .values({
      tenant_id: decoy.tenantId,
      case_id: decoy.caseId,
      person_id: decoy.personId,
      created_at: decoy.at,
    })
    .execute();
}
