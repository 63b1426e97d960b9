import path from 'node:path';
import Database from 'better-sqlite3';
import { Unsealer } from './unseal.js';

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
    nir: string | null;
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
    /** The account that opened the case (a draft is theirs until submitted). */
    filed_by_account_id: string;
    summary: string | null;
  }>;
  documents: Array<{
    id: string;
    tenant_id: string;
    case_id: string;
    category: string;
    original_name: string;
    sha256: string;
    storage_key: string;
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
  apiTokens: Array<{ id: string; tenant_id: string; created_by: string; secret_hash: string }>;
  /** Export and migration instructions (the demo orders one per département). */
  exportInstructions: Array<{
    id: string;
    tenant_id: string;
    ordered_by: string;
    purpose: string;
    status: string;
  }>;
  /** Role grants and creation requests (the demo's: approved, decided by the seed). */
  roleGrants: Array<{
    id: string;
    tenant_id: string;
    account_id: string | null;
    status: string;
    requested_by: string | null;
  }>;
  /** Requests to disable or re-enable an account, waiting for (or decided by) a second admin. */
  accountRequests: Array<{
    id: string;
    tenant_id: string;
    account_id: string;
    purpose: string;
    status: string;
    requested_by: string;
  }>;
  reviewItems: Array<{
    id: string;
    tenant_id: string;
    account_id: string;
    reviewer_id: string | null;
    status: string;
  }>;
  /** Each tenant's decoy case and person: reachable by id, listed nowhere. */
  decoys: Array<{ tenant_id: string; case_id: string; person_id: string }>;
  cdaphSessions: Array<{
    id: string;
    tenant_id: string;
    status: string;
    sits_on: string;
    agenda_opens_on: string;
  }>;
  cdaphMembers: Array<{ session_id: string; tenant_id: string; account_id: string }>;
  cdaphAgenda: Array<{ session_id: string; tenant_id: string; case_id: string }>;
}

/** Reads the whole demo world from the database file, sealed fields opened with the demo keys. */
export function readWorld(dbFile: string): World {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const all = <T>(sql: string) => db.prepare(sql).all() as T[];
    const unseal = new Unsealer(db, path.dirname(dbFile));
    const personOfCase = new Map(
      all<{ id: string; person_id: string }>('select id, person_id from cases').map((c) => [
        c.id,
        c.person_id,
      ]),
    );
    type Sealed = Buffer | null;
    const persons = all<{
      id: string;
      tenant_id: string;
      account_id: string | null;
      first_name_enc: Sealed;
      last_name_enc: Sealed;
      birth_date_enc: Sealed;
      nir_enc: Sealed;
      address_enc: Sealed;
    }>('select * from persons').map((p) => {
      const f = (column: string, value: Sealed) =>
        unseal.field(p.tenant_id, p.id, 'persons', column, p.id, value);
      return {
        id: p.id,
        tenant_id: p.tenant_id,
        account_id: p.account_id,
        first_name: f('first_name', p.first_name_enc) ?? '',
        last_name: f('last_name', p.last_name_enc) ?? '',
        birth_date: f('birth_date', p.birth_date_enc) ?? '',
        nir: f('nir', p.nir_enc),
        address: f('address', p.address_enc),
      };
    });
    const caseField = (
      tenantId: string,
      caseId: string,
      table: string,
      column: string,
      rowId: string | number,
      value: Sealed,
    ) => unseal.field(tenantId, personOfCase.get(caseId) ?? '', table, column, rowId, value);
    const entries = (table: 'messages' | 'notes') =>
      all<{ id: string; tenant_id: string; case_id: string; body_enc: Buffer }>(
        `select id, tenant_id, case_id, body_enc from ${table}`,
      ).map((e) => ({
        id: e.id,
        tenant_id: e.tenant_id,
        case_id: e.case_id,
        body: caseField(e.tenant_id, e.case_id, table, 'body', e.id, e.body_enc) ?? '',
      }));
    return {
      tenants: all('select id, code from tenants'),
      persons,
      mandates: all(
        'select id, tenant_id, representative_account_id, person_id, starts_on, ends_on, verified_at from mandates',
      ),
      cases: all<World['cases'][number] & { summary_enc: Sealed }>(
        'select id, tenant_id, reference, person_id, status, team, instructeur_id, evaluateur_id, filed_by_account_id, summary_enc from cases',
      ).map(({ summary_enc, ...c }) => ({
        ...c,
        summary: caseField(c.tenant_id, c.id, 'cases', 'summary', c.id, summary_enc),
      })),
      documents: all<
        Omit<World['documents'][number], 'original_name' | 'sha256'> & {
          original_name_enc: Buffer;
          sha256_enc: Buffer;
        }
      >(
        'select id, tenant_id, case_id, category, original_name_enc, sha256_enc, storage_key from documents',
      ).map(({ original_name_enc, sha256_enc, ...d }) => ({
        ...d,
        original_name:
          caseField(
            d.tenant_id,
            d.case_id,
            'documents',
            'original_name',
            d.id,
            original_name_enc,
          ) ?? '',
        sha256: caseField(d.tenant_id, d.case_id, 'documents', 'sha256', d.id, sha256_enc) ?? '',
      })),
      caseRights: all<{
        id: string;
        tenant_id: string;
        case_id: string;
        right_code: string;
        decision_reason_enc: Sealed;
      }>('select id, tenant_id, case_id, right_code, decision_reason_enc from case_rights').map(
        (r) => ({
          id: r.id,
          case_id: r.case_id,
          right_code: r.right_code,
          decision_reason: caseField(
            r.tenant_id,
            r.case_id,
            'case_rights',
            'decision_reason',
            r.id,
            r.decision_reason_enc,
          ),
        }),
      ),
      messages: entries('messages'),
      notes: entries('notes'),
      accounts: all('select id, tenant_id, kind, role, team, email, display_name from accounts'),
      apiTokens: all('select id, tenant_id, created_by, secret_hash from api_tokens'),
      exportInstructions: all(
        'select id, tenant_id, ordered_by, purpose, status from export_instructions',
      ),
      roleGrants: all('select id, tenant_id, account_id, status, requested_by from role_grants'),
      accountRequests: all(
        'select id, tenant_id, account_id, purpose, status, requested_by from account_status_requests',
      ),
      reviewItems: all(
        'select id, tenant_id, account_id, reviewer_id, status from access_review_items',
      ),
      decoys: all('select tenant_id, case_id, person_id from decoys'),
      cdaphSessions: all(
        'select id, tenant_id, status, sits_on, agenda_opens_on from cdaph_sessions',
      ),
      cdaphMembers: all('select session_id, tenant_id, account_id from cdaph_session_members'),
      cdaphAgenda: all('select session_id, tenant_id, case_id from cdaph_agenda_items'),
    };
  } finally {
    db.close();
  }
}

/** The workflow steps of a case, comments opened with the demo keys. */
export function readTransitions(
  dbFile: string,
  caseId: string,
): Array<{
  from_status: string;
  to_status: string;
  actor_account_id: string;
  comment: string | null;
}> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const unseal = new Unsealer(db, path.dirname(dbFile));
    const c = db.prepare('select tenant_id, person_id from cases where id = ?').get(caseId) as
      { tenant_id: string; person_id: string } | undefined;
    const rows = db
      .prepare(
        'select id, from_status, to_status, actor_account_id, comment_enc from case_transitions where case_id = ? order by id',
      )
      .all(caseId) as Array<{
      id: number;
      from_status: string;
      to_status: string;
      actor_account_id: string;
      comment_enc: Buffer | null;
    }>;
    return rows.map(({ id, comment_enc, ...r }) => ({
      ...r,
      comment: c
        ? unseal.field(c.tenant_id, c.person_id, 'case_transitions', 'comment', id, comment_enc)
        : null,
    }));
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
      accounts:
        'select id, tenant_id, kind, role, team, email, status, disabled_reason, reenabled_at, role_grant_id, role_expires_at from accounts order by id',
      role_grants: 'select * from role_grants order by id',
      account_status_requests: 'select * from account_status_requests order by id',
      support_actions: 'select * from support_actions order by id',
      access_reviews: 'select * from access_reviews order by id',
      access_review_items: 'select * from access_review_items order by id',
      persons: 'select * from persons order by id',
      mandates: 'select * from mandates order by id',
      cases: 'select * from cases order by id',
      case_rights: 'select * from case_rights order by id',
      case_transitions: 'select * from case_transitions order by id',
      documents: 'select * from documents order by id',
      messages: 'select * from messages order by id',
      notes: 'select * from notes order by id',
      totp_credentials: 'select account_id, confirmed_at from totp_credentials order by account_id',
      // Integration tokens, less the use stamp that every bearer request may move.
      api_tokens:
        'select id, tenant_id, name, secret_hash, permissions, allowed_ranges, created_by, created_at, expires_at, approved_by, approved_at, revoked_at, revoked_by, revoked_reason from api_tokens order by id',
      alert_channels:
        'select id, tenant_id, kind, url, facility, created_by, created_at from alert_channels order by id',
      account_identities:
        'select account_id, provider, subject_hash from account_identities order by account_id, provider',
      notification_preferences:
        'select account_id, notice, enabled from notification_preferences order by account_id, notice',
      cdaph_sessions: 'select * from cdaph_sessions order by id',
      cdaph_session_members: 'select * from cdaph_session_members order by session_id, account_id',
      cdaph_agenda_items: 'select * from cdaph_agenda_items order by session_id, case_id',
      export_instructions: 'select * from export_instructions order by id',
      retention_rules: 'select * from retention_rules order by tenant_id, kind',
    };
    return JSON.stringify(
      Object.fromEntries(Object.entries(tables).map(([t, q]) => [t, db.prepare(q).all()])),
    );
  } finally {
    db.close();
  }
}
