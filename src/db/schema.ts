import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * Row types of every table. Timestamps are ISO-8601 UTC strings so the same queries run on
 * SQLite and PostgreSQL; booleans are avoided for the same reason.
 */
export interface Database {
  tenants: TenantTable;
  accounts: AccountTable;
  sessions: SessionTable;
  persons: PersonTable;
  mandates: MandateTable;
  cases: CaseTable;
  case_rights: CaseRightTable;
  case_transitions: CaseTransitionTable;
  documents: DocumentTable;
  messages: MessageTable;
  notes: NoteTable;
  security_events: SecurityEventTable;
}

export interface TenantTable {
  id: string;
  code: string;
  name: string;
  created_at: string;
}

export interface AccountTable {
  id: string;
  tenant_id: string | null;
  kind: 'usager' | 'staff' | 'operateur';
  role: string | null;
  team: string | null;
  email: string;
  display_name: string;
  password_hash: string;
  status: 'active' | 'disabled';
  created_at: string;
  last_login_at: string | null;
}

export interface SessionTable {
  id_hash: string;
  account_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface PersonTable {
  id: string;
  tenant_id: string;
  /** The usager account this person is, when the person has an account of their own. */
  account_id: string | null;
  first_name: string;
  last_name: string;
  birth_date: string;
  nir: string | null;
  address: string | null;
  created_at: string;
}

export interface MandateTable {
  id: string;
  tenant_id: string;
  representative_account_id: string;
  person_id: string;
  kind: 'parent' | 'tuteur' | 'aidant';
  starts_on: string;
  ends_on: string;
  verified_by: string | null;
  verified_at: string | null;
  created_at: string;
}

export interface CaseTable {
  id: string;
  tenant_id: string;
  reference: string;
  person_id: string;
  filed_by_account_id: string;
  status: string;
  team: string | null;
  instructeur_id: string | null;
  evaluateur_id: string | null;
  summary: string | null;
  pieces_deadline: string | null;
  submitted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CaseRightTable {
  id: string;
  tenant_id: string;
  case_id: string;
  right_code: string;
  decision: string | null;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
}

export interface CaseTransitionTable {
  id: Generated<number>;
  tenant_id: string;
  case_id: string;
  from_status: string;
  to_status: string;
  actor_account_id: string;
  comment: string | null;
  at: string;
}

export interface DocumentTable {
  id: string;
  tenant_id: string;
  case_id: string;
  category: string;
  piece: string | null;
  original_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string;
  created_at: string;
}

export interface MessageTable {
  id: string;
  tenant_id: string;
  case_id: string;
  author_account_id: string;
  body: string;
  created_at: string;
}

export interface NoteTable {
  id: string;
  tenant_id: string;
  case_id: string;
  author_account_id: string;
  body: string;
  created_at: string;
}

export interface SecurityEventTable {
  id: Generated<number>;
  at: string;
  tenant_id: string | null;
  account_id: string | null;
  kind: string;
  action: string | null;
  object_type: string | null;
  object_id: string | null;
  route: string | null;
  ip: string | null;
  detail: string | null;
}

export type AccountRow = Selectable<AccountTable>;
export type CaseRow = Selectable<CaseTable>;
export type DocumentRow = Selectable<DocumentTable>;
export type PersonRow = Selectable<PersonTable>;
export type MandateRow = Selectable<MandateTable>;
export type NewSecurityEvent = Insertable<SecurityEventTable>;
