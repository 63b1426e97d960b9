import type { DbOrTx } from './database.js';

/**
 * Whether a row with this id exists, in any tenant. Unscoped, hence "unsafe": used only to label
 * a refusal event as "denied" rather than "missing" after the scoped query found nothing. Its
 * answer never reaches the client, who sees the same 404 either way.
 */
export async function unsafeRowExists(db: DbOrTx, table: UnsafeExistsTable, id: string) {
  const row = await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** The tables whose ids a client names in a URL. */
export type UnsafeExistsTable =
  | 'accounts'
  | 'account_status_requests'
  | 'alert_channels'
  | 'alerts'
  | 'api_tokens'
  | 'break_glass_grants'
  | 'access_review_items'
  | 'cases'
  | 'cdaph_sessions'
  | 'documents'
  | 'erasure_certificates'
  | 'export_instructions'
  | 'mandates'
  | 'passkeys'
  | 'persons'
  | 'role_grants';
