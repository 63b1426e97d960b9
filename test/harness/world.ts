import Database from 'better-sqlite3';

/** The demo data as the tests see it, read straight from the database file (read-only). */
export interface World {
  tenants: Array<{ id: string; code: string }>;
  persons: Array<{
    id: string;
    tenant_id: string;
    account_id: string | null;
    first_name: string;
    last_name: string;
    birth_date: string;
    address: string | null;
  }>;
  mandates: Array<{
    id: string;
    tenant_id: string;
    representative_account_id: string;
    person_id: string;
    starts_on: string;
    ends_on: string;
    verified_at: string | null;
  }>;
  cases: Array<{
    id: string;
    tenant_id: string;
    reference: string;
    person_id: string;
    status: string;
    team: string | null;
    instructeur_id: string | null;
    evaluateur_id: string | null;
    summary: string | null;
  }>;
  documents: Array<{
    id: string;
    tenant_id: string;
    case_id: string;
    category: string;
    original_name: string;
    sha256: string;
  }>;
  caseRights: Array<{
    id: string;
    case_id: string;
    right_code: string;
    decision_reason: string | null;
  }>;
  messages: Array<{ id: string; tenant_id: string; case_id: string; body: string }>;
  notes: Array<{ id: string; tenant_id: string; case_id: string; body: string }>;
  accounts: Array<{
    id: string;
    tenant_id: string | null;
    kind: string;
    role: string | null;
    team: string | null;
    email: string;
    display_name: string;
  }>;
}

/** Reads the whole demo world from the database file. */
export function readWorld(dbFile: string): World {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const all = <T>(sql: string) => db.prepare(sql).all() as T[];
    return {
      tenants: all('select id, code from tenants'),
      persons: all(
        'select id, tenant_id, account_id, first_name, last_name, birth_date, address from persons',
      ),
      mandates: all(
        'select id, tenant_id, representative_account_id, person_id, starts_on, ends_on, verified_at from mandates',
      ),
      cases: all(
        'select id, tenant_id, reference, person_id, status, team, instructeur_id, evaluateur_id, summary from cases',
      ),
      documents: all(
        'select id, tenant_id, case_id, category, original_name, sha256 from documents',
      ),
      caseRights: all('select id, case_id, right_code, decision_reason from case_rights'),
      messages: all('select id, tenant_id, case_id, body from messages'),
      notes: all('select id, tenant_id, case_id, body from notes'),
      accounts: all('select id, tenant_id, kind, role, team, email, display_name from accounts'),
    };
  } finally {
    db.close();
  }
}

/** Runs one read-only query against the server's database file. */
export function queryDb<T>(dbFile: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/**
 * A fingerprint of every domain table (not sessions, not security events, not login times):
 * equal before and after a batch of refused writes means the refusals changed nothing.
 */
export function domainFingerprint(dbFile: string): string {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const tables: Record<string, string> = {
      tenants: 'select * from tenants order by id',
      accounts: 'select id, tenant_id, kind, role, team, email, status from accounts order by id',
      persons: 'select * from persons order by id',
      mandates: 'select * from mandates order by id',
      cases: 'select * from cases order by id',
      case_rights: 'select * from case_rights order by id',
      case_transitions: 'select * from case_transitions order by id',
      documents: 'select * from documents order by id',
      messages: 'select * from messages order by id',
      notes: 'select * from notes order by id',
    };
    return JSON.stringify(
      Object.fromEntries(Object.entries(tables).map(([t, q]) => [t, db.prepare(q).all()])),
    );
  } finally {
    db.close();
  }
}
