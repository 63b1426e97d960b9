import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * Row types of every table. Timestamps are ISO-8601 UTC strings so the same queries run on
 * SQLite and PostgreSQL; booleans are avoided for the same reason.
 */
export interface Database {
  tenants: TenantTable;
  backup_runs: BackupRunTable;
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
  trusted_devices: TrustedDeviceTable;
  audit_events: AuditEventTable;
  alert_channels: AlertChannelTable;
  alerts: AlertTable;
  audit_log_keys: AuditLogKeyTable;
  audit_checkpoints: AuditCheckpointTable;
  break_glass_grants: BreakGlassGrantTable;
  audit_retention: AuditRetentionTable;
  audit_witness_cursor: AuditWitnessCursorTable;
  account_tokens: AccountTokenTable;
  totp_credentials: TotpCredentialTable;
  passkeys: PasskeyTable;
  recovery_codes: RecoveryCodeTable;
  api_tokens: ApiTokenTable;
  role_grants: RoleGrantTable;
  account_status_requests: AccountStatusRequestTable;
  support_actions: SupportActionTable;
  access_reviews: AccessReviewTable;
  access_review_items: AccessReviewItemTable;
  account_identities: AccountIdentityTable;
  oidc_flows: OidcFlowTable;
  mail_throttle: MailThrottleTable;
  alert_cursors: AlertCursorTable;
  alert_rule_settings: AlertRuleSettingTable;
  alert_working_hours: AlertWorkingHoursTable;
  decoys: DecoyTable;
  person_invitations: PersonInvitationTable;
  outbox: OutboxTable;
  outbox_keys: OutboxKeyTable;
  notification_preferences: NotificationPreferenceTable;
  mandate_proofs: MandateProofTable;
  cdaph_sessions: CdaphSessionTable;
  cdaph_session_members: CdaphSessionMemberTable;
  cdaph_agenda_items: CdaphAgendaItemTable;
  export_instructions: ExportInstructionTable;
  export_persons: ExportPersonTable;
  export_cases: ExportCaseTable;
  retention_rules: RetentionRuleTable;
}

/** Failed logins per e-mail typed (hashed). */
/** One audit event: a link of its tenant's hash chain (src/modules/audit). */
export interface AuditEventTable {
  /** The tenant id, or '-' for what belongs to no tenant. */
  chain: string;
  seq: number;
  at: string;
  /** Canonical JSON of the event: never a sensitive value. */
  entry: string;
  /** RFC 6962 leaf hash: SHA-256(0x00 || entry), hex. */
  leaf_hash: string;
  /** SHA-256(previous chain hash || leaf hash), hex; the first link starts from 64 zeros. */
  chain_hash: string;
}

/** The Ed25519 key that signs a chain's checkpoints; the private half sealed. */
export interface AuditLogKeyTable {
  chain: string;
  key_name: string;
  /** Raw 32-byte Ed25519 public key. */
  public_key: Buffer;
  private_key_enc: Buffer;
  created_at: string;
  /**
   * Null for a tenant chain (sealed under the tenant's credential secret); for the platform
   * chain, the version of the key manager's platform key that wraps the Ed25519 seed.
   */
  kek_version: number | null;
}

export interface BreakGlassGrantTable {
  id: string;
  tenant_id: string;
  case_id: string;
  person_id: string;
  account_id: string;
  reason_enc: Buffer;
  opened_at: string;
  expires_at: string;
  verdict: 'justified' | 'unjustified' | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

/** A signed checkpoint (C2SP signed note) of the first `size` events of a chain. */
export interface AuditCheckpointTable {
  chain: string;
  size: number;
  /** RFC 6962 root over the first `size` leaves, hex. */
  root_hash: string;
  note: string;
  created_at: string;
}

/**
 * Where retention purged a chain through: every event up to `through_seq` is gone; what the
 * chain and the Merkle tree still need of them is here (src/modules/audit/retention.ts).
 */
export interface AuditRetentionTable {
  chain: string;
  through_seq: number;
  /** Chain hash of event `through_seq`, and of the one before it. */
  chain_hash: string;
  prev_chain_hash: string;
  /** Canonical JSON of event `through_seq`: binds the marker to the tree and dates the purge. */
  last_entry: string;
  /** JSON array of hex hashes: the RFC 6962 compact range of events 1 to through_seq - 1. */
  tree_range: string;
  purged_at: string;
}

/** The last checkpoint of each chain the HTTP witness accepted; later ones are (re)sent. */
export interface AuditWitnessCursorTable {
  chain: string;
  size: number;
  delivered_at: string;
}

/**
 * Where a tenant's alerts go: a webhook (URL, HMAC secret sealed), an e-mail address (sealed) or
 * a syslog receiver (URL, facility). The migration's CHECK says which columns each kind fills.
 */
export interface AlertChannelTable {
  id: string;
  tenant_id: string;
  kind: 'webhook' | 'email' | 'syslog';
  /** What can be shown of a webhook (origin, then "/…"), or syslog+udp|tcp|tls://host:port. */
  url: string | null;
  address_enc: Buffer | null;
  /** A webhook's full URL, sealed (null for rows made before 0022: their `url` is whole). */
  url_enc: Buffer | null;
  secret_enc: Buffer | null;
  facility: string | null;
  created_by: string;
  created_at: string;
}

/** An alert: one per rule and subject while open, counting the events that repeat it. */
export interface AlertTable {
  id: string;
  tenant_id: string | null;
  rule: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  subject: string;
  status: 'open' | 'acknowledged' | 'resolved';
  first_at: string;
  last_at: string;
  count: number;
  evidence: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
}

/** Where the detector stopped in a chain of the audit log. */
export interface AlertCursorTable {
  chain: string;
  seq: number;
  updated_at: string;
}

/** A tenant's own setting of one detection rule (absent: the deployment's default). */
export interface AlertRuleSettingTable {
  tenant_id: string;
  rule: string;
  enabled: number;
  threshold: number;
  window_seconds: number;
  updated_by: string;
  updated_at: string;
}

/** A tenant's working hours, outside which staff access to personal data raises an alert. */
export interface AlertWorkingHoursTable {
  tenant_id: string;
  /** IANA time zone, e.g. Europe/Paris. */
  time_zone: string;
  /** JSON array of ISO week days (1 = Monday). */
  days: string;
  /** HH:MM, local time. */
  starts_at: string;
  ends_at: string;
  updated_by: string;
  updated_at: string;
}

/** A tenant's decoy case: listed nowhere, so whoever opens it was looking for it. */
export interface DecoyTable {
  case_id: string;
  tenant_id: string;
  person_id: string;
  created_at: string;
}

export interface LoginThrottleTable {
  subject: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
  /** Locks in a row without a success in between; each lasts twice the one before. */
  lock_count: number;
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
  /** The certificate as signed (canonical JSON), once the copies were dealt with. */
  statement: string | null;
  /** Ed25519 by the département's key over the statement, base64. */
  signature: string | null;
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

/** A scheduled backup the server took, or failed to take. */
export interface BackupRunTable {
  id: string;
  started_at: string;
  finished_at: string;
  status: 'succeeded' | 'failed';
  /** The file's name in CLOISON_BACKUP_DIR (no directory). */
  file: string | null;
  size_bytes: number | null;
  sha256: string | null;
  failure: string | null;
}

export interface TenantTable {
  id: string;
  code: string;
  name: string;
  created_at: string;
  /** 1 when "who consulted my file" names the agents (the département's choice). */
  consultations_show_names: Generated<number>;
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
  /** dormant | offboarded | awaiting-approval | awaiting-activation */
  disabled_reason: string | null;
  /** When two admins last re-enabled it: its dormancy clock starts again from there. */
  reenabled_at: string | null;
  /** Set while the account has a usable second factor (TOTP confirmed or a passkey). */
  mfa_enrolled_at: string | null;
  /** A new address waiting for its confirmation link to be opened. */
  pending_email: string | null;
  /** When the holder proved they read this mailbox (activation link, sign-up link). */
  email_verified_at: string | null;
  /** The responsable who reviews this agent's role in access reviews. */
  manager_id: string | null;
  /** The approved grant behind `role`; null when no role or a role older than grants. */
  role_grant_id: string | null;
  /** When `role` stops working: the grant's expiry or an open review's deadline, if sooner. */
  role_expires_at: string | null;
}

export type RoleGrantStatus =
  'pending' | 'approved' | 'refused' | 'superseded' | 'revoked' | 'expired' | 'lapsed';

/** A role asked for by one admin and decided by another (creation or change of a role). */
export interface RoleGrantTable {
  id: string;
  tenant_id: string;
  account_id: string | null;
  purpose: 'create' | 'change';
  role: string;
  team: string | null;
  expires_at: string | null;
  status: RoleGrantStatus;
  requested_by: string | null;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  ended_at: string | null;
  /** How it was decided or why it ended (demo-seed, review-revoked, …); never free text. */
  reason: string | null;
}

export type AccountStatusRequestStatus = 'pending' | 'approved' | 'refused' | 'cancelled';

/**
 * Disabling an account that holds admin or DPO, or re-enabling a staff account: asked by one
 * admin, decided by another (never the requester, never the account's holder).
 */
export interface AccountStatusRequestTable {
  id: string;
  tenant_id: string;
  account_id: string;
  purpose: 'disable' | 'enable';
  status: AccountStatusRequestStatus;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  /** Why it closed without a decision (account-disabled); never free text. */
  reason: string | null;
}

/** A support action on a usager's account: its category in clear, the admin's reason sealed. */
export interface SupportActionTable {
  id: string;
  tenant_id: string;
  account_id: string;
  action: 'end-sessions';
  category: string;
  /** Sealed under the tenant's credential secret, bound to this row. */
  reason_enc: Buffer;
  acted_by: string;
  acted_at: string;
}

/** An access review campaign of one tenant; open while closed_at is null. */
export interface AccessReviewTable {
  id: string;
  tenant_id: string;
  opened_by: string;
  opened_at: string;
  deadline: string;
  closed_at: string | null;
}

export type ReviewItemStatus = 'pending' | 'confirmed' | 'revoked' | 'lapsed' | 'superseded';

/** One staff member's role under review, assigned to a reviewer who is not that person. */
export interface AccessReviewItemTable {
  id: string;
  review_id: string;
  tenant_id: string;
  account_id: string;
  grant_id: string | null;
  role: string;
  team: string | null;
  reviewer_id: string | null;
  status: ReviewItemStatus;
  decided_by: string | null;
  decided_at: string | null;
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

/**
 * Integration tokens of a tenant. The token itself is shown once at creation; only its SHA-256
 * is kept. Lists are JSON arrays: actions held, and CIDR ranges (null: any address).
 */
export interface ApiTokenTable {
  id: string;
  tenant_id: string;
  /** A label for the admins ("SI PCH du département"), not personal data. */
  name: string;
  secret_hash: string;
  permissions: string;
  allowed_ranges: string | null;
  created_by: string;
  created_at: string;
  expires_at: string;
  /** A second admin of the tenant vouches for the token before it works. */
  approved_by: string | null;
  approved_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  /** revoked (by an admin) | creator-credentials-ended (its creator disabled, signed out...) */
  revoked_reason: string | null;
  last_used_at: string | null;
  /**
   * Set on a token minted by an export's orderer for its recipient's system: it downloads that
   * export (and acknowledges it, a migration) and nothing else. Null for an ordinary token.
   */
  export_instruction_id: string | null;
}

/**
 * An instruction to export or migrate (never changed once written: a trigger refuses it). Lists
 * and the scope are JSON; the texts are the département's, no person's data.
 */
export interface ExportInstructionTable {
  id: string;
  tenant_id: string;
  kind: 'export' | 'migration';
  purpose: string;
  legal_basis: string;
  recipient_name: string;
  recipient_contact: string;
  /** 1 when the recipient is a medical service: the only one health data may go to. */
  recipient_medical: number;
  medical_reason: string | null;
  /** The age public key the output is encrypted to (X25519 or hybrid post-quantum). */
  age_recipient: string;
  scope: string;
  fields: string;
  document_categories: string;
  expires_at: string;
  status: string;
  ordered_by: string;
  ordered_at: string;
  /** The DPO who approved or refused it, never the orderer (a CHECK says so). */
  decided_by: string | null;
  decided_at: string | null;
  refusal_reason: string | null;
  /** The run's progress, JSON {cases, persons, documents, bytes}. */
  progress: string | null;
  run_started_at: string | null;
  run_finished_at: string | null;
  run_attempts: number | null;
  /** Why the last run failed, in a few words (never data). */
  failure: string | null;
  /** SHA-256 and size of the encrypted file; SHA-256 of its manifest (what a recipient acknowledges). */
  output_sha256: string | null;
  output_bytes: number | null;
  manifest_sha256: string | null;
  /** When the file was deleted (after its expiry). */
  file_deleted_at: string | null;
  /** 1 when the migration, as ordered and approved, erases persons whose case is still open. */
  erase_open_cases: number | null;
  /** SHA-256 of the receipt code inside the encrypted manifest (the code itself is never kept). */
  receipt_hash: string | null;
  /** A migration's acknowledgement (by the DPO, for the recipient) and the grace period. */
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  /** The recipient's token that posted the acknowledgement, when no DPO recorded it. */
  acknowledged_by_token: string | null;
  erasure_due_at: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  erased_at: string | null;
  /** JSON: the persons erased (with their certificates) and kept; and its Ed25519 signature. */
  erasure_summary: string | null;
  erasure_signature: string | null;
}

/** The cases an export run wrote. */
export interface ExportCaseTable {
  instruction_id: string;
  tenant_id: string;
  case_id: string;
}

/** The persons an export run wrote: a migration erases these, never a scope recomputed. */
export interface ExportPersonTable {
  instruction_id: string;
  tenant_id: string;
  person_id: string;
}

/** An account's identity at an OpenID Connect provider (FranceConnect, ProConnect). */
export interface AccountIdentityTable {
  account_id: string;
  /** franceconnect | proconnect */
  provider: string;
  /** SHA-256 of the issuer and the provider's `sub`: the subject itself is not kept. */
  subject_hash: string;
  linked_at: string;
  last_used_at: string | null;
}

/** A federated sign-in or link flow, from its start to the provider's callback (single use). */
export interface OidcFlowTable {
  /** SHA-256 of the `state` sent to the provider. */
  state_hash: string;
  /** SHA-256 of the browser-binding cookie; the PKCE verifier is derived from that cookie. */
  binding_hash: string;
  provider: string;
  /** login | signup | link */
  intent: string;
  /** The signed-in account a link flow was started from. */
  account_id: string | null;
  /** The département a sign-up flow creates the account in. */
  tenant_id: string | null;
  nonce: string;
  created_at: string;
  expires_at: string;
}

/** A browser that signed in to the account before (its device cookie's token, hashed). */
export interface TrustedDeviceTable {
  token_hash: string;
  account_id: string;
  created_at: string;
  /** The last sign-in completed from it; its trust lasts a while after that. */
  last_used_at: string;
  expires_at: string;
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
  /** The pending WebAuthn challenge of this session, its ceremony and expiry. */
  challenge: string | null;
  challenge_purpose: string | null;
  challenge_expires_at: string | null;
}

/** A TOTP secret, sealed under the tenant's credential secret. */
export interface TotpCredentialTable {
  account_id: string;
  secret_enc: Buffer;
  created_at: string;
  /** Null until a first code proves the authenticator app has it. */
  confirmed_at: string | null;
  last_step: number;
}

/** A WebAuthn credential (passkey): public key only. */
export interface PasskeyTable {
  /** Credential id, base64url. */
  id: string;
  account_id: string;
  name: string;
  /** COSE public key. */
  public_key: Buffer;
  sign_count: number;
  /** JSON array of transports the authenticator reported. */
  transports: string;
  created_at: string;
  last_used_at: string | null;
}

/** One-time recovery codes, SHA-256 only. */
export interface RecoveryCodeTable {
  code_hash: string;
  account_id: string;
  created_at: string;
  used_at: string | null;
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

/** An invitation to take over online a file registered on paper (its code only as an index). */
export interface PersonInvitationTable {
  id: string;
  tenant_id: string;
  person_id: string;
  channel: 'email' | 'letter';
  /** Keyed blind index of the code (Vault.blindIndex 'invitation'), never the code. */
  code_index: string;
  status: 'pending' | 'claimed' | 'revoked' | 'expired';
  failed_attempts: Generated<number>;
  created_by: string;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
  claimed_by: string | null;
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
  /** The proof that was in view when the mandate was verified. */
  verified_proof_id: Generated<string | null>;
  /** When and by whom the mandate was ended early (ends_on then holds its last day). */
  ended_at: Generated<string | null>;
  ended_by: Generated<string | null>;
  /** Sealed under the represented person's key. */
  end_reason_enc: Generated<Buffer | null>;
}

/** A proof of a mandate (jugement de tutelle, livret de famille, attestation), a sealed blob. */
export interface MandateProofTable {
  id: string;
  tenant_id: string;
  mandate_id: string;
  /** The represented person, whose key seals the bytes and the name. */
  person_id: string;
  kind: string;
  original_name_enc: Buffer;
  media_type: string;
  size_bytes: number;
  sha256_enc: Buffer;
  storage_key: string;
  uploaded_by: string;
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
  /** The day the request was found complete (recevable): the CDAPH's 4 months run from it. */
  complete_on: string | null;
  /** The last day of those 4 months (policy/case-deadlines.ts), for queues to filter on. */
  instruction_due_on: string | null;
  /** The day its decision was notified: the appeal window runs from it. */
  notified_on: string | null;
  /** The day the usager was reminded of the missing-pieces deadline (once per deadline). */
  pieces_reminded_on: string | null;
  /** The case whose granted rights this request asks to renew, if it is a renewal. */
  renews_case_id: string | null;
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
  /** Validity of an accord (YYYY-MM-DD), null for a rejection or an undecided right. */
  valid_from: string | null;
  valid_until: string | null;
  /** The CDAPH session the decision was taken in. */
  session_id: string | null;
  /** The day the usager was reminded to renew this granted right (once). */
  renewal_reminded_on: string | null;
}

export interface CaseTransitionTable {
  id: Generated<number>;
  tenant_id: string;
  case_id: string;
  from_status: string;
  to_status: string;
  /** Null when the server moved the case itself; `by_job` then names what did. */
  actor_account_id: string | null;
  comment_enc: Buffer | null;
  at: string;
  by_job: string | null;
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
  /** 'pending' until an agent accepts or rejects it. */
  review_status: Generated<string>;
  /** Why it was rejected, sealed under the person's key. */
  review_reason_enc: Generated<Buffer | null>;
  reviewed_by: Generated<string | null>;
  reviewed_at: Generated<string | null>;
  /** A medical certificate's date (YYYY-MM-DD), sealed under the person's key. */
  issued_on_enc: Generated<Buffer | null>;
  /** The upload that replaced this one, and when: it stays on file, no longer counting. */
  superseded_by: Generated<string | null>;
  superseded_at: Generated<string | null>;
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
  /** The integration token a request acted with (no account behind it). */
  token_id: Generated<string | null>;
}

/** A mail or alert delivery waiting to leave, or its trace once it left or was given up. */
export interface OutboxTable {
  id: string;
  tenant_id: string | null;
  kind: 'mail' | 'alert';
  topic: string;
  account_id: string | null;
  to_inactive: Generated<number>;
  channel_id: string | null;
  alert_id: string | null;
  payload_enc: Buffer | null;
  status: 'pending' | 'sending' | 'sent' | 'bounced' | 'dead';
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** The key sealing the platform's own mails (no tenant), wrapped by the key manager. */
export interface OutboxKeyTable {
  scope: string;
  kek_version: number;
  wrapped_key: Buffer;
  created_at: string;
}

/** An account's choice for one optional notice; no row means the default (on). */
export interface NotificationPreferenceTable {
  account_id: string;
  notice: string;
  enabled: number;
  updated_at: string;
}

/** A CDAPH sitting: planned, then in progress on its day, then closed with its minutes. */
export interface CdaphSessionTable {
  id: string;
  tenant_id: string;
  /** The day it sits (YYYY-MM-DD) and its starting time (HH:MM, the département's time). */
  sits_on: string;
  starts_at: string;
  formation: string;
  status: 'planned' | 'in_progress' | 'closed';
  /** From this day (YYYY-MM-DD) the members read the cases on its agenda, until it closes. */
  agenda_opens_on: string;
  /** The minutes, sealed under the tenant's secret (a session is no single person's). */
  minutes_enc: Buffer | null;
  created_by: string;
  created_at: string;
  opened_at: string | null;
  closed_at: string | null;
  closed_by: string | null;
}

export interface CdaphSessionMemberTable {
  session_id: string;
  tenant_id: string;
  account_id: string;
}

export interface CdaphAgendaItemTable {
  session_id: string;
  tenant_id: string;
  case_id: string;
  /** 1 while the session is not closed: a case is on one such agenda at most. */
  pending: Generated<number>;
  added_by: string;
  added_at: string;
}

export type CdaphSessionRow = Selectable<CdaphSessionTable>;
export type ExportInstructionRow = Selectable<ExportInstructionTable>;

export type AccountRow = Selectable<AccountTable>;
export type CaseRow = Selectable<CaseTable>;
export type DocumentRow = Selectable<DocumentTable>;
export type MandateProofRow = Selectable<MandateProofTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type NewSecurityEvent = Insertable<SecurityEventTable>;

/** A département's own retention durations (the DPO's), one row per kind they changed. */
export interface RetentionRuleTable {
  tenant_id: string;
  kind: string;
  active_days: number;
  archive_days: number;
  reason: string;
  changed_by: string;
  changed_at: string;
}
