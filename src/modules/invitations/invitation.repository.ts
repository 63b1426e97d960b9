import type { Insertable } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import type { PersonInvitationTable } from '../../db/schema.js';

/**
 * The pending invitation of the tenant with this code index (and the agent who issued it), with
 * its person's sealed birth date.
 */
export function findPendingInvitationByCode(db: DbOrTx, tenantId: string, codeIndex: string) {
  return db
    .selectFrom('person_invitations')
    .innerJoin('persons', 'persons.id', 'person_invitations.person_id')
    .select([
      'person_invitations.id',
      'person_invitations.person_id',
      'person_invitations.expires_at',
      'person_invitations.failed_attempts',
      'person_invitations.created_by',
      'persons.account_id',
      'persons.birth_date_enc',
      'persons.first_name_enc',
      'persons.last_name_enc',
    ])
    .where('person_invitations.tenant_id', '=', tenantId)
    .where('persons.tenant_id', '=', tenantId)
    .where('person_invitations.code_index', '=', codeIndex)
    .where('person_invitations.status', '=', 'pending')
    .executeTakeFirst();
}

/** Ends the person's pending invitation, if any (a new one replaces it). */
export async function revokePendingInvitations(
  db: DbOrTx,
  tenantId: string,
  personId: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('person_invitations')
    .set({ status: 'revoked', ended_at: at })
    .where('tenant_id', '=', tenantId)
    .where('person_id', '=', personId)
    .where('status', '=', 'pending')
    .execute();
}

/** Records an invitation. */
export async function insertInvitation(
  db: DbOrTx,
  row: Insertable<PersonInvitationTable>,
): Promise<void> {
  await db.insertInto('person_invitations').values(row).execute();
}

/**
 * Counts a wrong birth date against a pending invitation; at `limit` the invitation is revoked,
 * so a code that leaked cannot be tried against every birth date.
 */
export async function countFailedClaim(
  db: DbOrTx,
  invitationId: string,
  limit: number,
  at: string,
): Promise<void> {
  const row = await db
    .updateTable('person_invitations')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', invitationId)
    .where('status', '=', 'pending')
    .returning('failed_attempts')
    .executeTakeFirst();
  if (row && row.failed_attempts >= limit) {
    await db
      .updateTable('person_invitations')
      .set({ status: 'revoked', ended_at: at })
      .where('id', '=', invitationId)
      .where('status', '=', 'pending')
      .execute();
  }
}

/**
 * Hands the person to the claiming account and closes the invitation, both or neither (the
 * caller's transaction); false when either was taken in between.
 */
export async function claimInvitation(
  db: DbOrTx,
  claim: {
    invitationId: string;
    tenantId: string;
    personId: string;
    accountId: string;
    at: string;
  },
): Promise<boolean> {
  const closed = await db
    .updateTable('person_invitations')
    .set({ status: 'claimed', ended_at: claim.at, claimed_by: claim.accountId })
    .where('id', '=', claim.invitationId)
    .where('tenant_id', '=', claim.tenantId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(closed.numUpdatedRows) !== 1) return false;
  const taken = await db
    .updateTable('persons')
    .set({ account_id: claim.accountId })
    .where('id', '=', claim.personId)
    .where('tenant_id', '=', claim.tenantId)
    .where('account_id', 'is', null)
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

/** Invitations of a person, newest first, for the agent's view of the file. */
export function listInvitationsOfPerson(db: DbOrTx, tenantId: string, personId: string) {
  return db
    .selectFrom('person_invitations')
    .select(['id', 'channel', 'status', 'created_at', 'expires_at', 'ended_at'])
    .where('tenant_id', '=', tenantId)
    .where('person_id', '=', personId)
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
}
