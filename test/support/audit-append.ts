import Database from 'better-sqlite3';
import {
  PLATFORM_CHAIN,
  canonicalEntry,
  chainHash,
  leafHash,
  type AuditEntry,
} from '../../src/modules/audit/audit-log.js';

/**
 * Appends an event to a live server's audit log from another process, linked exactly as
 * appendAudit links it: what a job or a route of another module will append. An immediate
 * transaction, so the server's own appends wait for it rather than race it for the next link.
 */
export function appendAuditEntry(dbFile: string, entry: AuditEntry): number {
  const db = new Database(dbFile, { fileMustExist: true, timeout: 5_000 });
  try {
    const chain = entry.tenant ?? PLATFORM_CHAIN;
    return db
      .transaction(() => {
        const last = db
          .prepare(
            'select seq, chain_hash from audit_events where chain = ? order by seq desc limit 1',
          )
          .get(chain) as { seq: number; chain_hash: string } | undefined;
        const text = canonicalEntry(entry);
        const leaf = leafHash(text);
        const seq = (last?.seq ?? 0) + 1;
        db.prepare(
          'insert into audit_events (chain, seq, at, entry, leaf_hash, chain_hash) values (?, ?, ?, ?, ?, ?)',
        ).run(
          chain,
          seq,
          entry.at,
          text,
          leaf,
          chainHash(last?.chain_hash ?? '0'.repeat(64), leaf),
        );
        return seq;
      })
      .immediate();
  } finally {
    db.close();
  }
}
