import type { Insertable } from 'kysely';
import { forgetCredentials } from '../accounts/account-credentials.js';
import type { DbOrTx } from '../../db/database.js';
import type { ErasureCertificateTable } from '../../db/schema.js';

/** The person of the tenant an erasure is about, with the facts the policy needs. */
export function findPersonToErase(db: DbOrTx, tenantId: string, personId: string) {
  return db
    .selectFrom('persons')
    .select(['id', 'tenant_id', 'account_id'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', personId)
    .executeTakeFirst();
}

/**
 * Deletes the person's data key first, then every row about them. Their account, if any, is
 * closed and stripped of its identifiers; its sessions end.
 */
export async function deletePersonData(
  trx: DbOrTx,
  tenantId: string,
  personId: string,
  accountId: string | null,
  at: string,
) {
  await trx.deleteFrom('person_keys').where('person_id', '=', personId).execute();
  const cases = (
    await trx
      .selectFrom('cases')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('person_id', '=', personId)
      .execute()
  ).map((c) => c.id);
  let storageKeys: string[] = [];
  let messages = 0;
  let notes = 0;
  if (cases.length > 0) {
    storageKeys = (
      await trx
        .selectFrom('documents')
        .select('storage_key')
        .where('case_id', 'in', cases)
        .execute()
    ).map((d) => d.storage_key);
    await trx.deleteFrom('documents').where('case_id', 'in', cases).execute();
    messages = Number(
      (await trx.deleteFrom('messages').where('case_id', 'in', cases).executeTakeFirst())
        .numDeletedRows,
    );
    notes = Number(
      (await trx.deleteFrom('notes').where('case_id', 'in', cases).executeTakeFirst())
        .numDeletedRows,
    );
    await trx.deleteFrom('case_rights').where('case_id', 'in', cases).execute();
    await trx.deleteFrom('case_transitions').where('case_id', 'in', cases).execute();
    // Their reasons were sealed under the destroyed key; the audit log keeps that they happened.
    await trx.deleteFrom('break_glass_grants').where('case_id', 'in', cases).execute();
    // Off every CDAPH agenda: a session keeps its minutes, never the erased person's case.
    await trx.deleteFrom('cdaph_agenda_items').where('case_id', 'in', cases).execute();
    await trx.deleteFrom('cases').where('id', 'in', cases).execute();
  }
  // The proofs of mandates over the person are theirs too, sealed under the same key.
  const proofStorageKeys = (
    await trx
      .selectFrom('mandate_proofs')
      .select('storage_key')
      .where('tenant_id', '=', tenantId)
      .where('person_id', '=', personId)
      .execute()
  ).map((p) => p.storage_key);
  await trx.deleteFrom('mandate_proofs').where('person_id', '=', personId).execute();
  await trx.deleteFrom('mandates').where('person_id', '=', personId).execute();
  // Only keyed indexes of codes and dates: nothing of them outlives the person.
  await trx.deleteFrom('person_invitations').where('person_id', '=', personId).execute();
  await trx.deleteFrom('persons').where('id', '=', personId).execute();
  let accountClosed = false;
  if (accountId) {
    await forgetCredentials(trx, accountId, at);
    // Support reasons are sealed under the département's secret, not the person's key: they go.
    await trx.deleteFrom('support_actions').where('account_id', '=', accountId).execute();
    await trx
      .updateTable('accounts')
      .set({
        status: 'disabled',
        email: `erased-${accountId}@invalid`,
        display_name: 'Compte effacé',
        password_hash: '!',
      })
      .where('id', '=', accountId)
      .execute();
    accountClosed = true;
  }
  return { cases: cases.length, storageKeys, proofStorageKeys, messages, notes, accountClosed };
}

/** Records the certificate of an erasure. */
export async function insertErasureCertificate(
  db: DbOrTx,
  row: Insertable<ErasureCertificateTable>,
): Promise<void> {
  await db.insertInto('erasure_certificates').values(row).execute();
}

/** Adds to a certificate what happened to the copies taken before the erasure. */
export async function recordErasureOfCopies(
  db: DbOrTx,
  certificateId: string,
  copies: Pick<
    ErasureCertificateTable,
    'tenant_key_retired' | 'master_key_id' | 'copies_unreadable' | 'detail'
  >,
): Promise<void> {
  await db
    .updateTable('erasure_certificates')
    .set(copies)
    .where('id', '=', certificateId)
    .execute();
}

/** A certificate that must exist (one just written). */
export function getErasureCertificate(db: DbOrTx, certificateId: string) {
  return db
    .selectFrom('erasure_certificates')
    .selectAll()
    .where('id', '=', certificateId)
    .executeTakeFirstOrThrow();
}

/** Adds the signed statement to a certificate whose copies were dealt with. */
export async function saveCertificateStatement(
  db: DbOrTx,
  certificateId: string,
  signed: { statement: string; signature: string },
): Promise<void> {
  await db
    .updateTable('erasure_certificates')
    .set(signed)
    .where('id', '=', certificateId)
    .execute();
}

/** Certificates complete but not signed yet (a failure at the time, or older than signing). */
export async function listUnsignedCertificateIds(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .selectFrom('erasure_certificates')
    .select('id')
    .where('signature', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

/** The tenant's 500 newest certificates, each with its signed statement. */
export function listErasureCertificates(db: DbOrTx, tenantId: string) {
  return db
    .selectFrom('erasure_certificates')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('erased_at', 'desc')
    .orderBy('id')
    .limit(500)
    .execute();
}

/** One certificate, only within the tenant: a foreign one is never loaded. */
export function findErasureCertificate(db: DbOrTx, tenantId: string, certificateId: string) {
  return db
    .selectFrom('erasure_certificates')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', certificateId)
    .executeTakeFirst();
}
