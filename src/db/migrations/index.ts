import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_encryption_at_rest.js';
import * as m0003 from './0003_erasure_certificates.js';
import * as m0004 from './0004_account_lifecycle.js';
import * as m0005 from './0005_login_throttle.js';
import * as m0006 from './0006_account_tokens.js';
import * as m0007 from './0007_session_assurance.js';
import * as m0008 from './0008_staff_lifecycle.js';
import * as m0009 from './0009_usager_signup.js';
import * as m0010 from './0010_integration_tokens.js';
import * as m0011 from './0011_federated_identities.js';
import * as m0012 from './0012_second_factors.js';
import * as m0013 from './0013_email_change.js';
import * as m0014 from './0014_throttle_escalation.js';
import * as m0015 from './0015_audit_log.js';
import * as m0016 from './0016_alerts.js';
import * as m0017 from './0017_audit_checkpoints.js';
import * as m0018 from './0018_break_glass.js';
import * as m0019 from './0019_detection.js';
import * as m0020 from './0020_alert_channels.js';
import * as m0021 from './0021_audit_retention.js';
import * as m0022 from './0022_sealed_webhook_urls.js';
import * as m0023 from './0023_trusted_devices.js';
import * as m0024 from './0024_account_status_requests.js';
import * as m0025 from './0025_backup_runs.js';
import * as m0026 from './0026_case_queue_indexes.js';
import * as m0027 from './0027_outbox.js';
import * as m0028 from './0028_piece_review.js';
import * as m0029 from './0029_cdaph_sessions.js';
import * as m0030 from './0030_person_invitations.js';
import * as m0031 from './0031_case_deadlines.js';
import * as m0032 from './0032_export_instructions.js';
import * as m0033 from './0033_export_runs.js';
import * as m0034 from './0034_export_migrations.js';
import * as m0035 from './0035_export_tokens.js';
import * as m0036 from './0036_retention_rules.js';
import * as m0037 from './0037_erasure_evidence.js';

/** Every migration, in order. Names are permanent: never rename or reorder one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_encryption_at_rest': m0002,
  '0003_erasure_certificates': m0003,
  '0004_account_lifecycle': m0004,
  '0005_login_throttle': m0005,
  '0006_account_tokens': m0006,
  '0007_session_assurance': m0007,
  '0008_staff_lifecycle': m0008,
  '0009_usager_signup': m0009,
  '0010_integration_tokens': m0010,
  '0011_federated_identities': m0011,
  '0012_second_factors': m0012,
  '0013_email_change': m0013,
  '0014_throttle_escalation': m0014,
  '0015_audit_log': m0015,
  '0016_alerts': m0016,
  '0017_audit_checkpoints': m0017,
  '0018_break_glass': m0018,
  '0019_detection': m0019,
  '0020_alert_channels': m0020,
  '0021_audit_retention': m0021,
  '0022_sealed_webhook_urls': m0022,
  '0023_trusted_devices': m0023,
  '0024_account_status_requests': m0024,
  '0025_backup_runs': m0025,
  '0026_case_queue_indexes': m0026,
  '0027_outbox': m0027,
  '0028_piece_review': m0028,
  '0029_cdaph_sessions': m0029,
  '0030_person_invitations': m0030,
  '0031_case_deadlines': m0031,
  '0032_export_instructions': m0032,
  '0033_export_runs': m0033,
  '0034_export_migrations': m0034,
  '0035_export_tokens': m0035,
  '0036_retention_rules': m0036,
  '0037_erasure_evidence': m0037,
};
