import { randomBytes } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import type { DbOrTx } from '../../db/database.js';
import { aad, open, seal } from '../../crypto/aead.js';
import { PLATFORM_KEY_ID, type KeyManager } from '../../crypto/key-manager.js';
import { findOutboxKey, insertOutboxKeyIfAbsent, outboxPayloadRef } from './outbox.repository.js';

/** What a mail row holds sealed: the address only when it is not an account's. */
export interface MailPayload {
  readonly to?: string;
  readonly subject: string;
  readonly text: string;
}

const PLATFORM_SCOPE = 'platform';
const platformKeys = new WeakMap<KeyManager, Buffer>();

/**
 * The key of the platform's own mails (an operator's, a département's first admins' before the
 * département has keys of its own): random, wrapped by the key manager's platform key, kept
 * unwrapped in this process once used.
 */
async function platformKey(deps: Pick<AppDeps, 'keys'>, db: DbOrTx): Promise<Buffer> {
  const kept = platformKeys.get(deps.keys);
  if (kept) return kept;
  const ad = aad('outbox-key', PLATFORM_SCOPE);
  let row = await findOutboxKey(db, PLATFORM_SCOPE);
  if (!row) {
    const version = await deps.keys.ensureTenantKey(PLATFORM_KEY_ID);
    const wrapped = await deps.keys.wrap(PLATFORM_KEY_ID, version, randomBytes(32), ad);
    row = await insertOutboxKeyIfAbsent(db, {
      scope: PLATFORM_SCOPE,
      kek_version: version,
      wrapped_key: wrapped,
      created_at: new Date().toISOString(),
    });
  }
  const key = await deps.keys.unwrap(PLATFORM_KEY_ID, row.kek_version, row.wrapped_key, ad);
  platformKeys.set(deps.keys, key);
  return key;
}

/**
 * Makes the sealing keys exist on disk before any request seals with them: the platform's outbox
 * key and each tenant's credential secret. Both are created on first use and kept in memory; made
 * first inside a request's transaction that then rolls back, the kept key would outlive its row,
 * and what it sealed afterwards would be unreadable after a restart. Run outside any unit of work,
 * at start (a tenant created later gets its secret in its creation's transaction, whose rollback
 * takes the tenant with it).
 */
export async function prepareOutboxKeys(
  deps: Pick<AppDeps, 'keys' | 'vault'>,
  db: DbOrTx,
  tenantIds: readonly string[],
): Promise<void> {
  await platformKey(deps, db);
  for (const tenantId of tenantIds) {
    await deps.vault.sealCredential(db, tenantId, outboxPayloadRef('key-check'), Buffer.alloc(0));
  }
}

/**
 * Seals a row's content (a mail, an alert's snapshot) bound to the row: under the tenant's credential secret (re-wrapped with
 * the tenant's key like the alert channels' URLs), or the platform's outbox key.
 */
export async function sealPayload(
  deps: Pick<AppDeps, 'keys' | 'vault'>,
  db: DbOrTx,
  tenantId: string | null,
  rowId: string,
  payload: MailPayload | object,
): Promise<Buffer> {
  const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
  const ref = outboxPayloadRef(rowId);
  if (tenantId !== null) return deps.vault.sealCredential(db, tenantId, ref, bytes);
  return seal(await platformKey(deps, db), 0, bytes, aad('outbox', ref.column, rowId));
}

/** Opens what sealPayload sealed; TamperedError if it was changed or moved. */
export async function openPayload<T = MailPayload>(
  deps: Pick<AppDeps, 'keys' | 'vault'>,
  db: DbOrTx,
  tenantId: string | null,
  rowId: string,
  sealed: Buffer,
): Promise<T> {
  const ref = outboxPayloadRef(rowId);
  const bytes =
    tenantId !== null
      ? await deps.vault.openCredential(db, tenantId, ref, sealed)
      : open(await platformKey(deps, db), sealed, aad('outbox', ref.column, rowId), 'outbox');
  return JSON.parse(bytes.toString('utf8')) as T;
}
