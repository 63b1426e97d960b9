import type { DbOrTx } from '../../db/database.js';
import type { Insertable } from 'kysely';
import type { MandateTable, PersonTable } from '../../db/schema.js';
import { isNotDecoyPerson } from '../decoys/decoy.repository.js';

/** A person of the tenant with the facts needed to decide who may file for them. */
export async function findPersonForFiling(
  db: DbOrTx,
  tenantId: string,
  personId: string,
  today: string,
) {
  const person = await db
    .selectFrom('persons')
    .select(['id', 'tenant_id', 'account_id'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!person) return undefined;
  const reps = await db
    .selectFrom('mandates')
    .select('representative_account_id')
    .where('tenant_id', '=', tenantId)
    .where('person_id', '=', personId)
    .where('verified_at', 'is not', null)
    .where('starts_on', '<=', today)
    .where('ends_on', '>=', today)
    .execute();
  return {
    type: 'person' as const,
    id: person.id,
    tenantId: person.tenant_id,
    accountId: person.account_id,
    representativeAccountIds: reps.map((r) => r.representative_account_id),
  };
}

/**
 * The usager's own person and the persons they hold an unexpired mandate over: verified ones,
 * and pending ones they declared themselves. An expired mandate shows nothing any more.
 */
export async function listPersonsOfUsager(
  db: DbOrTx,
  tenantId: string,
  accountId: string,
  today: string,
) {
  const own = await db
    .selectFrom('persons')
    .select(['id', 'first_name_enc', 'last_name_enc', 'birth_date_enc'])
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .execute();
  const represented = await db
    .selectFrom('mandates')
    .innerJoin('persons', 'persons.id', 'mandates.person_id')
    .select([
      'persons.id',
      'persons.first_name_enc',
      'persons.last_name_enc',
      'persons.birth_date_enc',
      'mandates.id as mandate_id',
      'mandates.kind',
      'mandates.starts_on',
      'mandates.ends_on',
      'mandates.verified_at',
    ])
    .where('mandates.tenant_id', '=', tenantId)
    .where('persons.tenant_id', '=', tenantId)
    .where('mandates.representative_account_id', '=', accountId)
    .where('mandates.ends_on', '>=', today)
    .orderBy('mandates.created_at')
    .execute();
  return { own, represented };
}

/** Mandates of a tenant for staff review; `pending` restricts to unverified ones. */
export function listMandatesOfTenant(db: DbOrTx, tenantId: string, pending: boolean) {
  let query = db
    .selectFrom('mandates')
    .innerJoin('persons', 'persons.id', 'mandates.person_id')
    .innerJoin('accounts', 'accounts.id', 'mandates.representative_account_id')
    .select([
      'mandates.id',
      'mandates.kind',
      'mandates.starts_on',
      'mandates.ends_on',
      'mandates.verified_at',
      'mandates.verified_proof_id',
      'mandates.ended_at',
      'mandates.person_id',
      'persons.first_name_enc',
      'persons.last_name_enc',
      'accounts.display_name as representative_name',
    ])
    .where('mandates.tenant_id', '=', tenantId)
    .where('persons.tenant_id', '=', tenantId);
  if (pending) query = query.where('mandates.verified_at', 'is', null);
  return query.orderBy('mandates.created_at').execute();
}

/** A mandate of the tenant, if any. */
export function findMandateOfTenant(db: DbOrTx, tenantId: string, mandateId: string) {
  return db
    .selectFrom('mandates')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', mandateId)
    .executeTakeFirst();
}

/** Persons of the tenant whose NIR has this blind index; never the decoy. */
export function findPersonsByNirIndex(db: DbOrTx, tenantId: string, nirIndex: string) {
  return db
    .selectFrom('persons')
    .select(['id', 'first_name_enc', 'last_name_enc', 'birth_date_enc'])
    .where('tenant_id', '=', tenantId)
    .where('nir_index', '=', nirIndex)
    .where(isNotDecoyPerson)
    .limit(20)
    .execute();
}

/** The person the usager's account is, if declared. */
export function findOwnPerson(db: DbOrTx, tenantId: string, accountId: string) {
  return db
    .selectFrom('persons')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

/** Records a person (its fields already sealed, see sealed-person.ts). */
export async function insertPerson(db: DbOrTx, row: Insertable<PersonTable>): Promise<void> {
  await db.insertInto('persons').values(row).execute();
}

/** Records a mandate (unverified until an agent checks its evidence). */
export async function insertMandate(db: DbOrTx, row: Insertable<MandateTable>): Promise<void> {
  await db.insertInto('mandates').values(row).execute();
}

/** Records that an agent checked the evidence of a mandate of the tenant, unless already done. */
export async function markMandateVerified(
  db: DbOrTx,
  tenantId: string,
  mandateId: string,
  verification: { by: string; at: string; proofId: string },
): Promise<void> {
  await db
    .updateTable('mandates')
    .set({
      verified_by: verification.by,
      verified_at: verification.at,
      verified_proof_id: verification.proofId,
    })
    .where('id', '=', mandateId)
    .where('tenant_id', '=', tenantId)
    .where('verified_at', 'is', null)
    .execute();
}

/**
 * A person of the tenant with who holds them: their own account, the accounts with a verified
 * mandate valid today, and every account with a mandate not ended yet, verified or not.
 */
export async function findPersonWithHolders(
  db: DbOrTx,
  tenantId: string,
  personId: string,
  today: string,
) {
  const person = await findPersonForFiling(db, tenantId, personId, today);
  if (!person) return undefined;
  const holders = await db
    .selectFrom('mandates')
    .select('representative_account_id')
    .where('tenant_id', '=', tenantId)
    .where('person_id', '=', personId)
    .where('ends_on', '>=', today)
    .execute();
  return { ...person, mandateHolderAccountIds: holders.map((h) => h.representative_account_id) };
}

/** The sealed birth date of a person of the tenant (a certificate cannot predate it). */
export function findPersonBirthDate(db: DbOrTx, tenantId: string, personId: string) {
  return db
    .selectFrom('persons')
    .select(['id', 'birth_date_enc'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', personId)
    .executeTakeFirst();
}
