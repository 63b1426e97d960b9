import type { Selectable } from 'kysely';
import type { ErasureCertificateTable } from '../../db/schema.js';
import type { AppDeps } from '../../deps.js';
import { signingKey } from '../audit/log-keys.js';
import { signExportStatement, verifyExportStatement } from '../exports/export-signature.js';
import { findTenantCode } from '../tenants/tenant.repository.js';
import {
  getErasureCertificate,
  listUnsignedCertificateIds,
  saveCertificateStatement,
} from './erasure.repository.js';

export const CERTIFICATE_FORMAT = 'cloison-erasure-certificate-1';

/** What a signed certificate states: who was erased (pseudonymous id), why, which key, when. */
export interface CertificateStatement {
  format: typeof CERTIFICATE_FORMAT;
  id: string;
  tenant: string;
  personId: string;
  reason: string;
  requestedBy: string;
  erasedAt: string;
  dataKeyId: string;
  tenantKeyRetired: number | null;
  masterKeyId: string | null;
  copiesUnreadable: boolean;
  detail: Record<string, unknown>;
  signedBy: { name: string; publicKey: string };
}

/**
 * Signs a certificate once its copies were dealt with: the statement, as JSON, with the
 * département's Ed25519 key, under a context of its own (no other signed statement passes for
 * one). Stored with the certificate, so that the DPO reads it again and anyone verifies it.
 */
export async function signCertificate(deps: AppDeps, certificateId: string): Promise<void> {
  const row = await getErasureCertificate(deps.db, certificateId);
  const key = await signingKey(deps, row.tenant_id);
  const tenant = await findTenantCode(deps.db, row.tenant_id);
  const statement: CertificateStatement = {
    format: CERTIFICATE_FORMAT,
    tenant: tenant.code,
    ...certificateFields(row),
    signedBy: { name: key.name, publicKey: key.publicKey.toString('base64') },
  };
  const text = `${JSON.stringify(statement, null, 1)}\n`;
  const signature = await signExportStatement(deps, row.tenant_id, 'erasure-certificate', text);
  await saveCertificateStatement(deps.db, row.id, { statement: text, signature });
}

/**
 * Signs what is still unsigned; returns how many. A certificate whose copies were never dealt
 * with (a crash in between) says so in its detail and is signed as it stands.
 */
export async function signPendingCertificates(deps: AppDeps): Promise<number> {
  let signed = 0;
  for (const id of await listUnsignedCertificateIds(deps.db)) {
    await signCertificate(deps, id);
    signed += 1;
  }
  return signed;
}

/** Why a certificate file does not verify. */
export class CertificateError extends Error {
  override readonly name = 'CertificateError';
}

/**
 * Verifies a certificate as GET /api/v1/erasure-certificates/:id gives it (`statement` and
 * `signature`), by the key the statement names when `trusted` accepts that key for its
 * département. Returns the statement.
 */
export async function verifyCertificate(
  file: unknown,
  trusted: (publicKey: Buffer, tenant: string) => Promise<boolean>,
): Promise<CertificateStatement> {
  const given = file as { statement?: unknown; signature?: unknown } | null;
  if (typeof given?.statement !== 'string' || typeof given.signature !== 'string') {
    throw new CertificateError('not an erasure certificate (statement and signature expected)');
  }
  let statement: CertificateStatement;
  try {
    statement = JSON.parse(given.statement) as CertificateStatement;
  } catch {
    throw new CertificateError('the statement is not JSON');
  }
  if (statement.format !== CERTIFICATE_FORMAT || typeof statement.signedBy?.publicKey !== 'string')
    throw new CertificateError(`not a ${CERTIFICATE_FORMAT} statement`);
  const key = Buffer.from(statement.signedBy.publicKey, 'base64');
  if (!(await trusted(key, statement.tenant)))
    throw new CertificateError(`signed by a key that is not the département ${statement.tenant}'s`);
  const signature = Buffer.from(given.signature, 'base64');
  if (!verifyExportStatement(key, 'erasure-certificate', given.statement, signature))
    throw new CertificateError('the signature does not match the statement');
  return statement;
}

/** What a certificate says: the statement signs exactly this, and the DPO reads it again. */
function certificateFields(row: Selectable<ErasureCertificateTable>) {
  return {
    id: row.id,
    personId: row.person_id,
    reason: row.reason as 'right-to-erasure' | 'retention-expired' | 'after-migration',
    requestedBy: row.requested_by,
    erasedAt: row.erased_at,
    dataKeyId: row.data_key_id,
    tenantKeyRetired: row.tenant_key_retired,
    masterKeyId: row.master_key_id,
    copiesUnreadable: row.copies_unreadable === 1,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}

/** The certificate as the DPO reads it again, with what it was signed as. */
export function certificateView(row: Selectable<ErasureCertificateTable>) {
  return { ...certificateFields(row), statement: row.statement, signature: row.signature };
}
