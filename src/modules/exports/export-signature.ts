import { createPublicKey, sign, verify } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { signingKey } from '../audit/log-keys.js';

/**
 * Statements an export signs with the département's Ed25519 key (the one its audit checkpoints
 * are signed with, published by GET /api/v1/audit/checkpoint). Each is signed under a context
 * of its own, so a signature made for one kind of statement never passes for another.
 */
export type ExportStatement = 'export-manifest' | 'migration-erasure' | 'erasure-certificate';

/** The context line a statement of this kind is signed after. */
export function statementPrefix(statement: ExportStatement): Buffer {
  return Buffer.from(`cloison ${statement} v1\n`);
}

/** The bytes actually signed: the context line, then the statement's exact bytes. */
export function signedBytes(statement: ExportStatement, text: Buffer | string): Buffer {
  return Buffer.concat([statementPrefix(statement), Buffer.from(text)]);
}

/** Signs the statement with the tenant's key; base64. */
export async function signExportStatement(
  deps: AppDeps,
  tenantId: string,
  statement: ExportStatement,
  text: Buffer | string,
): Promise<string> {
  const key = await signingKey(deps, tenantId);
  return sign(null, signedBytes(statement, text), key.key).toString('base64');
}

/**
 * Signs bytes that already start with their statement's prefix (a large manifest, built so:
 * one copy of it in memory, not two); base64.
 */
export async function signPrefixedStatement(
  deps: AppDeps,
  tenantId: string,
  statement: ExportStatement,
  prefixed: Buffer,
): Promise<string> {
  const prefix = statementPrefix(statement);
  if (!prefixed.subarray(0, prefix.length).equals(prefix))
    throw new Error(`not a ${statement} statement: its context line is missing`);
  const key = await signingKey(deps, tenantId);
  return sign(null, prefixed, key.key).toString('base64');
}

/** Whether `signature` is the raw Ed25519 public key's on the statement; false if unusable. */
export function verifyExportStatement(
  publicKey: Buffer,
  statement: ExportStatement,
  text: Buffer | string,
  signature: Buffer,
): boolean {
  try {
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
      format: 'jwk',
    });
    return verify(null, signedBytes(statement, text), key, signature);
  } catch {
    return false;
  }
}
