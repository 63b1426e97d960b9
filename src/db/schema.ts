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
  person_keys: PersonKeyTable;
  tenant_secrets: TenantSecretTable;
  erasure_certificates: ErasureCertificateTable;
  login_throttle: LoginThrottleTable;
  account_tokens: AccountTokenTable;
  mail_throttle: MailThrottleTable;
}

/** Failed logins per e-mail typed (hashed). */
export interface LoginThrottleTable {
  subject: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

/** Mails anyone can trigger (reset, sign-up notice) per e-mail typed (hashed), per window. */
export interface MailThrottleTable {
  subject: string;
  window_started_at: string;
  requests: number;
}

/** What an erasure destroyed, for the DPO and the person. */
export interface ErasureCertificateTable {
  id: string;
  tenant_id: string;
  person_id: string;
  reason: string;
  requested_by: string;
  erased_at: string;
  data_key_id: string;
  tenant_key_retired: number | null;
  master_key_id: string | null;
  /** 1 when copies taken before the erasure can no longer be decrypted either. */
  copies_unreadable: number;
  detail: string;
}

/** A person's data key, wrapped by the tenant key; deleting the row erases the person. */
export interface PersonKeyTable {
  person_id: string;
  tenant_id: string;
  version: number;
  kek_version: number;
  wrapped_key: Buffer;
  created_at: string;
}

/** Tenant-wide secrets (blind-index keys), wrapped by the tenant key. */
export interface TenantSecretTable {
  tenant_id: string;
  purpose: string;
  kek_version: number;
  wrapped_key: Buffer;
  created_at: string;
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
  disabled_at: string | null;
  /** dormant | offboarded */
  disabled_reason: string | null;
  /** When the account proved it receives mail at `email`; a usager cannot log in before. */
  email_verified_at: string | null;
}

/** One-time e-mailed tokens, stored as SHA-256 only. */
export interface AccountTokenTable {
  token_hash: string;
  account_id: string;
  /** verify-email | reset-password | activate */
  purpose: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionTable {
  id_hash: string;
  account_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  /** password | oidc | activation: how the account proved itself first. */
  first_factor: string;
  /** When a second factor was verified in this session; null until then. */
  mfa_at: string | null;
  /** SHA-256 of user agent and address, to notice concurrent use from two devices. */
  device_hash: string | null;
}

export interface PersonTable {
  id: string;
  tenant_id: string;
  /** The usager account this person is, when the person has an account of their own. */
  account_id: string | null;
  /** Sealed values (src/crypto/vault.ts), never clear text. */
  first_name_enc: Buffer;
  last_name_enc: Buffer;
  birth_date_enc: Buffer;
  nir_enc: Buffer | null;
  /** HMAC of the NIR under the tenant's index key: equality search without the value. */
  nir_index: string | null;
  address_enc: Buffer | null;
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
  summary_enc: Buffer | null;
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
  decision_reason_enc: Buffer | null;
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
  comment_enc: Buffer | null;
  at: string;
}

export interface DocumentTable {
  id: string;
  tenant_id: string;
  case_id: string;
  category: string;
  piece: string | null;
  original_name_enc: Buffer;
  media_type: string;
  size_bytes: number;
  /** SHA-256 of the clear bytes, sealed: in clear it would confirm a guessed document. */
  sha256_enc: Buffer;
  storage_key: string;
  uploaded_by: string;
  created_at: string;
}

export interface MessageTable {
  id: string;
  tenant_id: string;
  case_id: string;
  author_account_id: string;
  body_enc: Buffer;
  created_at: string;
}

export interface NoteTable {
  id: string;
  tenant_id: string;
  case_id: string;
  author_account_id: string;
  body_enc: Buffer;
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
