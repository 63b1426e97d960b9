import type { Insertable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type {
  AccountTable,
  CaseRightTable,
  MandateTable,
  RoleGrantTable,
  TotpCredentialTable,
} from '../db/schema.js';

/**
 * Rows only the demo seed writes as they are: accounts already enrolled, factors already
 * confirmed, rights already decided, grants decided by the seed itself, mandates verified.
 * Rows the application writes the same way go through their modules' repositories.
 */

/** Records an account, every column given. */
export async function insertSeededAccount(
  db: DbOrTx,
  row: Insertable<AccountTable>,
): Promise<void> {
  await db.insertInto('accounts').values(row).execute();
}

/** Records a TOTP factor, confirmed or not. */
export async function insertSeededTotp(db: DbOrTx, row: TotpCredentialTable): Promise<void> {
  await db.insertInto('totp_credentials').values(row).execute();
}

/** Records one right of a case, decided or not. */
export async function insertSeededRight(
  db: DbOrTx,
  row: Insertable<CaseRightTable>,
): Promise<void> {
  await db.insertInto('case_rights').values(row).execute();
}

/** The person a case is about. */
export async function getPersonIdOfCase(db: DbOrTx, caseId: string): Promise<string> {
  const row = await db
    .selectFrom('cases')
    .select('person_id')
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
  return row.person_id;
}

/** Records a role grant in whatever state the seed decided. */
export async function insertSeededGrant(
  db: DbOrTx,
  row: Insertable<RoleGrantTable>,
): Promise<void> {
  await db.insertInto('role_grants').values(row).execute();
}

/** Links a staff account to its grant, its verified address and its manager. */
export async function linkAccountToGrant(
  db: DbOrTx,
  accountId: string,
  link: Pick<AccountTable, 'role_grant_id' | 'email_verified_at' | 'manager_id'>,
): Promise<void> {
  await db.updateTable('accounts').set(link).where('id', '=', accountId).execute();
}

/** Records mandates, in one statement. */
export async function insertSeededMandates(
  db: DbOrTx,
  rows: ReadonlyArray<Insertable<MandateTable>>,
): Promise<void> {
  await db
    .insertInto('mandates')
    .values([...rows])
    .execute();
}

/**
 * Files the decided rights of a seeded case under the session that decided them, on its day:
 * the decisions the seed wrote as they are, moved to where the application would have taken them.
 */
export async function fileSeededDecisions(
  db: DbOrTx,
  c: { tenantId: string; caseId: string },
  s: { sessionId: string; decidedAt: string; validFrom: string; validUntil: string },
): Promise<void> {
  await db
    .updateTable('case_rights')
    .set({ session_id: s.sessionId, decided_at: s.decidedAt })
    .where('tenant_id', '=', c.tenantId)
    .where('case_id', '=', c.caseId)
    .where('decision', 'is not', null)
    .execute();
  await db
    .updateTable('case_rights')
    .set({ valid_from: s.validFrom, valid_until: s.validUntil })
    .where('tenant_id', '=', c.tenantId)
    .where('case_id', '=', c.caseId)
    .where('valid_from', 'is not', null)
    .execute();
}

/** A seeded case's row, to generate what the demo shows of it (its notification letter). */
export function findDemoCase(db: DbOrTx, caseId: string) {
  return db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
}
