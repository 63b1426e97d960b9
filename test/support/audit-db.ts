import { createHash, createPublicKey, verify } from 'node:crypto';
import Database from 'better-sqlite3';
import { runCli } from '../harness/server.js';
import { queryDb } from '../harness/world.js';

/** Reading and attacking a server's audit log file directly, as the integrity tests do. */

export interface AuditRow {
  chain: string;
  seq: number;
  at: string;
  entry: string;
  leaf_hash: string;
  chain_hash: string;
}

/** A chain's rows in order, optionally narrowed by an extra condition. */
export function chainRows(
  dbFile: string,
  chain: string,
  where = '1 = 1',
  ...params: unknown[]
): AuditRow[] {
  return queryDb<AuditRow>(
    dbFile,
    `select * from audit_events where chain = ? and (${where}) order by seq`,
    chain,
    ...params,
  );
}

/** The rows of a chain whose entry has this action. */
export function actionRows(dbFile: string, chain: string, action: string): AuditRow[] {
  return chainRows(dbFile, chain, "json_extract(entry, '$.action') = ?", action);
}

export function lastSeq(dbFile: string, chain: string): number {
  return (
    queryDb<{ n: number | null }>(
      dbFile,
      'select max(seq) as n from audit_events where chain = ?',
      chain,
    )[0]!.n ?? 0
  );
}

export function lastCheckpoint(dbFile: string, chain: string) {
  return queryDb<{ size: number; root_hash: string; created_at: string }>(
    dbFile,
    'select size, root_hash, created_at from audit_checkpoints where chain = ? order by size desc limit 1',
    chain,
  )[0];
}

/**
 * A write the database triggers would refuse, done the way an intruder with the file would:
 * the trigger guarding that kind of write dropped first. Several statements (no parameters)
 * run in one transaction, so a running server never sees them half done.
 */
export function tamper(dbFile: string, sqlText: string, ...params: unknown[]): void {
  const db = new Database(dbFile, { fileMustExist: true, timeout: 5_000 });
  try {
    const kind = /^\s*(update|delete)/i.exec(sqlText)?.[1]?.toLowerCase() ?? 'update';
    db.exec(`drop trigger if exists audit_events_no_${kind}`);
    if (params.length === 0) db.transaction(() => db.exec(sqlText))();
    else db.prepare(sqlText).run(...params);
  } finally {
    db.close();
  }
}

/** `cloison audit verify` on a data directory, the verifier's clock shifted if asked. */
export function verifyLog(dataDir: string, clockOffset?: string, extra: string[] = []) {
  return runCli(['audit', 'verify', ...extra], {
    CLOISON_DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    ...(clockOffset ? { CLOISON_CLOCK_OFFSET: clockOffset } : {}),
  });
}

/**
 * Checks a C2SP signed note the way an outside witness would, with nothing of Cloison's code:
 * the signature line's key id and Ed25519 signature over the body; returns the size and root.
 */
export function checkSignedNote(
  note: string,
  keyName: string,
  publicKey: Buffer,
): { origin: string; size: number; root: string } | null {
  const cut = note.indexOf('\n\n');
  if (cut < 0) return null;
  const body = Buffer.from(note.slice(0, cut + 1));
  const keyId = createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${keyName}\n`), Buffer.from([1]), publicKey]))
    .digest()
    .subarray(0, 4);
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
    format: 'jwk',
  });
  const signed = note
    .slice(cut + 2)
    .split('\n')
    .some((line) => {
      const [dash, name, sig] = line.split(' ');
      if (dash !== '—' || name !== keyName || !sig) return false;
      const raw = Buffer.from(sig, 'base64');
      return raw.subarray(0, 4).equals(keyId) && verify(null, body, key, raw.subarray(4));
    });
  if (!signed) return null;
  const [origin, size, root] = note.slice(0, cut).split('\n');
  return {
    origin: origin!,
    size: Number(size),
    root: Buffer.from(root!, 'base64').toString('hex'),
  };
}
