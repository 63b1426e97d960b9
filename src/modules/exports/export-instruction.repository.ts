import type { Expression, ExpressionBuilder, Insertable, SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import { unindexed } from '../../db/sqlite-dialect.js';
import type { Database, ExportInstructionRow, ExportInstructionTable } from '../../db/schema.js';

/** What an instruction's scope selects, as the repository filters on it. */
export type ScopeFilter =
  | { all: true }
  | { statuses?: readonly string[]; rights?: readonly string[]; from?: string; to?: string }
  | { caseIds: readonly string[] };

type FilterScope = Exclude<ScopeFilter, { all: true } | { caseIds: readonly string[] }>;

/** The cases a filter scope selects (statuses, rights, filing days), as one condition. */
export function filterCondition(
  eb: ExpressionBuilder<Database, 'cases'>,
  scope: FilterScope,
  options: { scan?: boolean } = {},
): Expression<SqlBool> {
  const parts: Array<Expression<SqlBool>> = [];
  // A scan in id order (a run's pages) must not be turned into an index walk and a sort.
  const status = options.scan ? unindexed('cases.status') : 'cases.status';
  if (scope.statuses?.length) parts.push(eb(status, 'in', [...scope.statuses]));
  if (scope.from !== undefined) parts.push(eb('cases.created_at', '>=', scope.from));
  // Through the whole last day.
  if (scope.to !== undefined) parts.push(eb('cases.created_at', '<', `${scope.to}T99`));
  if (scope.rights?.length) {
    parts.push(
      eb.exists(
        eb
          .selectFrom('case_rights')
          .select('case_rights.id')
          .whereRef('case_rights.case_id', '=', 'cases.id')
          .where('case_rights.right_code', 'in', [...scope.rights]),
      ),
    );
  }
  return eb.and(parts);
}

export async function insertInstruction(
  db: DbOrTx,
  row: Insertable<ExportInstructionTable>,
): Promise<void> {
  await db.insertInto('export_instructions').values(row).execute();
}

/** One instruction, only within the tenant: a foreign one is never loaded. */
export function findInstructionOfTenant(
  db: DbOrTx,
  tenantId: string,
  id: string,
): Promise<ExportInstructionRow | undefined> {
  return db
    .selectFrom('export_instructions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The tenant's instructions, newest first; only the orderer's own when `orderedBy` is set. */
export function listInstructionsOfTenant(
  db: DbOrTx,
  tenantId: string,
  orderedBy: string | null,
): Promise<ExportInstructionRow[]> {
  let query = db.selectFrom('export_instructions').selectAll().where('tenant_id', '=', tenantId);
  if (orderedBy !== null) query = query.where('ordered_by', '=', orderedBy);
  return query.orderBy('ordered_at', 'desc').orderBy('id').execute();
}

/**
 * Records the DPO's decision on a pending instruction; false when it was no longer pending
 * (another decision won the race).
 */
export async function decideInstruction(
  db: DbOrTx,
  id: string,
  decision: { status: 'approved' | 'refused'; by: string; at: string; reason: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('export_instructions')
    .set({
      status: decision.status,
      decided_by: decision.by,
      decided_at: decision.at,
      refusal_reason: decision.reason,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** The listed ids that are cases of the tenant (a foreign or missing id is simply absent). */
export async function casesOfTenantAmong(
  db: DbOrTx,
  tenantId: string,
  caseIds: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  // Chunks: SQLite bounds the number of parameters of one statement.
  for (let i = 0; i < caseIds.length; i += 500) {
    const rows = await db
      .selectFrom('cases')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', caseIds.slice(i, i + 500))
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}

/** How many cases of the tenant the scope selects, and how many distinct persons they are. */
export async function countScope(
  db: DbOrTx,
  tenantId: string,
  scope: ScopeFilter,
): Promise<{ cases: number; persons: number }> {
  if ('caseIds' in scope) {
    let cases = 0;
    const persons = new Set<string>();
    for (let i = 0; i < scope.caseIds.length; i += 500) {
      const rows = await db
        .selectFrom('cases')
        .select('person_id')
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', scope.caseIds.slice(i, i + 500))
        .execute();
      cases += rows.length;
      for (const r of rows) persons.add(r.person_id);
    }
    return { cases, persons: persons.size };
  }
  let query = db.selectFrom('cases').where('cases.tenant_id', '=', tenantId);
  if (!('all' in scope)) query = query.where((eb) => filterCondition(eb, scope));
  const row = await query
    .select((eb) => [
      eb.fn.countAll<number>().as('cases'),
      eb.fn.count<number>('cases.person_id').distinct().as('persons'),
    ])
    .executeTakeFirstOrThrow();
  return { cases: Number(row.cases), persons: Number(row.persons) };
}

/** Every instruction of the platform with its département's code, for the operator's CLI. */
export function unsafeListAllInstructions(db: DbOrTx) {
  // Unsafe: no tenant in its WHERE clause; only the CLI, run by whoever holds the data directory.
  return db
    .selectFrom('export_instructions')
    .innerJoin('tenants', 'tenants.id', 'export_instructions.tenant_id')
    .select([
      'export_instructions.id',
      'tenants.code as tenant',
      'export_instructions.kind',
      'export_instructions.status',
      'export_instructions.purpose',
      'export_instructions.recipient_name',
      'export_instructions.fields',
      'export_instructions.document_categories',
      'export_instructions.ordered_at',
      'export_instructions.decided_at',
      'export_instructions.expires_at',
      'export_instructions.progress',
      'export_instructions.manifest_sha256',
    ])
    .orderBy('export_instructions.ordered_at')
    .execute();
}
