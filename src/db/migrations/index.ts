import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_encryption_at_rest.js';
import * as m0003 from './0003_erasure_certificates.js';
import * as m0004 from './0004_account_lifecycle.js';
import * as m0005 from './0005_login_throttle.js';
import * as m0006 from './0006_account_tokens.js';
import * as m0007 from './0007_session_assurance.js';
import * as m0009 from './0009_usager_signup.js';

/** Every migration, in order. Names are permanent: never rename or reorder one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_encryption_at_rest': m0002,
  '0003_erasure_certificates': m0003,
  '0004_account_lifecycle': m0004,
  '0005_login_throttle': m0005,
  '0006_account_tokens': m0006,
  '0007_session_assurance': m0007,
  '0009_usager_signup': m0009,
};
