import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { purgeWriteAheadLog } from '../../db/database.js';
import type { Static } from '@sinclair/typebox';
import { outsideGroupCommit } from '../../db/durability.js';
import type { AppDeps } from '../../deps.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { LocalKeyManager } from '../../crypto/local-key-manager.js';
import type { ErasureBody, ErasureCertificateView } from './erasure.schemas.js';
import {
  deletePersonData,
  findPersonToErase,
  getErasureCertificate,
  insertErasureCertificate,
  recordErasureOfCopies,
} from './erasure.repository.js';
import { findPersonKey } from '../../crypto/wrapped-key.repository.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import { certificateView, signCertificate } from './erasure-certificate.js';

type Certificate = Static<typeof ErasureCertificateView>;

/**
 * Erases a person (THREATS.md T4). In one transaction: their data key is destroyed, then every
 * row about them goes, and a certificate is written. Then copies are dealt with: the tenant key
 * is rotated, every other person's key re-wrapped, and the old tenant key version retired, so a
 * copy of the database taken before the erasure holds a wrapped key nothing can unwrap.
 */
export function erasePerson(
  deps: AppDeps,
  actor: Actor,
  personId: string,
  body: Static<typeof ErasureBody>,
): Promise<Certificate> {
  // Blobs deleted and tenant key versions retired cannot be rolled back: each must follow a
  // commit already on disk. Inside a request's unit a transaction returns before its group is
  // committed and synced, so the erasure runs outside it, every commit durable on return.
  return outsideGroupCommit(() => erase(deps, actor, personId, body));
}

async function erase(
  deps: AppDeps,
  actor: Actor,
  personId: string,
  body: Static<typeof ErasureBody>,
): Promise<Certificate> {
  const tenantId = actor.kind === 'staff' ? actor.tenantId : null;
  const resource = await requireAuthorized(deps.db, actor, 'person.erase', {
    type: 'person',
    id: personId,
    table: 'persons',
    find: async () => {
      const person = tenantId ? await findPersonToErase(deps.db, tenantId, personId) : undefined;
      return (
        person && {
          type: 'person' as const,
          id: person.id,
          tenantId: person.tenant_id,
          accountId: person.account_id,
          representativeAccountIds: [],
        }
      );
    },
    facts: (person) => person,
  });

  // Only a DPO passes the erasure policy: this narrows the type, it never refuses here.
  const requestedBy = requireStaff(actor).accountId;
  const { erased, failed } = await erasePersonsUnderKey(deps, resource.tenantId, [resource], {
    reason: body.reason,
    reference: body.reference ?? null,
    requestedBy,
  });
  if (failed.length > 0 || erased.length === 0) throw new Error(`erasure of ${resource.id} failed`);
  return certificateView(await getErasureCertificate(deps.db, erased[0]!.certificateId));
}

/** Why and on whose request persons are erased, as their certificates say. */
export interface ErasureRequest {
  reason: Static<typeof ErasureBody>['reason'];
  reference: string | null;
  /** The DPO who asked (or, after a migration, acknowledged it). */
  requestedBy: string;
}

/**
 * Erases persons of one tenant, each in its own transaction with its certificate (data key
 * destroyed, every row gone), then deals with copies once for all of them: the tenant key
 * rotated, the others re-wrapped, the old versions retired. Returns the certificates' ids.
 * Must run outside a request's group commit (erasePerson says why); jobs do.
 */
export async function erasePersonsUnderKey(
  deps: AppDeps,
  tenantId: string,
  persons: ReadonlyArray<{ id: string; accountId: string | null }>,
  request: ErasureRequest,
): Promise<{ erased: Array<{ personId: string; certificateId: string }>; failed: string[] }> {
  const done: Array<{ personId: string; certificate: ErasedCertificate; kekVersion: number }> = [];
  const failed: string[] = [];
  try {
    for (const person of persons) {
      try {
        done.push({ personId: person.id, ...(await eraseRows(deps, tenantId, person, request)) });
      } catch (error) {
        // One person's failure must not leave the others' copies readable: carry on, say so.
        deps.log.error({ err: error, personId: person.id }, 'erasure of a person failed');
        failed.push(person.id);
      }
    }
  } finally {
    if (done.length > 0) await dealWithCopies(deps, tenantId, done);
  }
  return {
    erased: done.map((d) => ({ personId: d.personId, certificateId: d.certificate.id })),
    failed,
  };
}

/** After the rows: the log purged, the tenant key rotated once, each certificate completed. */
async function dealWithCopies(
  deps: AppDeps,
  tenantId: string,
  done: ReadonlyArray<{ certificate: ErasedCertificate; kekVersion: number }>,
): Promise<void> {
  // No frame of the deleted rows may linger in the write-ahead log.
  await purgeWriteAheadLog(deps.db);
  const oldest = Math.min(...done.map((d) => d.kekVersion));
  const copies = await retireTenantKeysBehind(deps, tenantId, oldest);
  for (const { certificate } of done) {
    await recordErasureOfCopies(deps.db, certificate.id, {
      tenant_key_retired: copies.retired.at(-1) ?? null,
      master_key_id: copies.masterKeyId,
      copies_unreadable: copies.unreadable ? 1 : 0,
      detail: JSON.stringify({
        ...certificate.detail,
        retiredTenantKeyVersions: copies.retired,
        copies: copies.why,
      }),
    });
    // Signed once complete, each on its own: the erasure is done whatever happens here, and a
    // certificate left unsigned (a key manager that failed, a crash) is signed by the hourly job.
    await signCertificate(deps, certificate.id).catch((error: unknown) =>
      deps.log.error({ err: error, certificateId: certificate.id }, 'certificate not signed yet'),
    );
  }
}

type ErasedCertificate = { id: string; detail: Record<string, unknown> };

/** One person's rows and data key, with the certificate, in one transaction; then its blobs. */
async function eraseRows(
  deps: AppDeps,
  tenantId: string,
  person: { id: string; accountId: string | null },
  request: ErasureRequest,
): Promise<{ certificate: ErasedCertificate; kekVersion: number }> {
  const now = deps.clock.now().toISOString();
  // The certificate is written with the erasure itself; what happened to copies is added after.
  const erased = await deps.db.transaction().execute(async (trx) => {
    const key = await findPersonKey(trx, tenantId, person.id);
    // The person was found: a person without a data key is a damaged database, not an erasure.
    if (!key) throw new Error(`person ${person.id} has no data key to destroy`);
    const fingerprint = createHash('sha256').update(key.wrapped_key).digest('hex').slice(0, 16);
    const removed = await deletePersonData(trx, tenantId, person.id, person.accountId, now);
    const certificate = {
      id: randomUUID(),
      tenant_id: tenantId,
      person_id: person.id,
      reason: request.reason,
      requested_by: request.requestedBy,
      erased_at: now,
      data_key_id: `person-key:${person.id}:v${key.version}:kek-v${key.kek_version}:${fingerprint}`,
      tenant_key_retired: null,
      master_key_id: null,
      copies_unreadable: 0,
      detail: {
        reference: request.reference,
        cases: removed.cases,
        documents: removed.storageKeys.length,
        messages: removed.messages,
        notes: removed.notes,
        accountClosed: removed.accountClosed,
        copies: 'not yet dealt with',
      } as Record<string, unknown>,
    };
    await insertErasureCertificate(trx, {
      ...certificate,
      detail: JSON.stringify(certificate.detail),
    });
    return {
      certificate,
      storageKeys: [...removed.storageKeys, ...removed.proofStorageKeys],
      kekVersion: key.kek_version,
    };
  });
  // The key this process may still hold goes with the row, before anything else can use it.
  deps.vault.forgetPerson(tenantId, person.id);
  // After the commit; a blob left by a crash here is unreferenced and swept at the next start.
  for (const blob of erased.storageKeys) await deps.blobs.delete(blob).catch(() => undefined);
  return { certificate: erased.certificate, kekVersion: erased.kekVersion };
}

/**
 * Rotates the tenant key, re-wraps every remaining key and retires every version nothing
 * depends on any more. Whether copies made before are now unreadable is read back from the key
 * manager, not assumed: the version that wrapped the erased key must be retired, and a local
 * keyring must have been re-sealed under a master key kept outside the data directory.
 */
async function retireTenantKeysBehind(deps: AppDeps, tenantId: string, erasedKekVersion: number) {
  const local = deps.keys instanceof LocalKeyManager ? deps.keys : null;
  const masterBefore = local?.masterKeyId() ?? null;
  await deps.keys.rotate(tenantId);
  await deps.vault.rewrapTenant(deps.db, tenantId);
  const dependents = await deps.vault.dependents(deps.db, tenantId);
  const retired: number[] = [];
  for (const v of await deps.keys.versions(tenantId)) {
    if (!v.current && v.retiredAt === null && !dependents.has(v.version)) {
      await deps.vault.retireTenantKey(tenantId, v.version);
      retired.push(v.version);
    }
  }
  const erasedVersion = (await deps.keys.versions(tenantId)).find(
    (v) => v.version === erasedKekVersion,
  );
  const versionGone = erasedVersion !== undefined && erasedVersion.retiredAt !== null;
  if (deps.keys.kind === 'pkcs11') {
    return {
      retired,
      masterKeyId: null,
      unreadable: versionGone,
      why: versionGone
        ? `tenant key v${erasedKekVersion} destroyed in the HSM`
        : `tenant key v${erasedKekVersion} could not be retired`,
    };
  }
  const masterAfter = local?.masterKeyId() ?? null;
  const keyFile = deps.config.masterKey?.kind === 'file' ? deps.config.masterKey.path : null;
  const outside = keyFile !== null && isOutside(deps.config.dataDir, keyFile);
  const ratcheted = masterAfter !== null && masterAfter !== masterBefore;
  const unreadable = versionGone && outside && ratcheted;
  return {
    retired,
    masterKeyId: masterAfter,
    unreadable,
    why: unreadable
      ? `tenant key v${erasedKekVersion} retired and keyring re-sealed under a new master key`
      : !versionGone
        ? `tenant key v${erasedKekVersion} could not be retired`
        : 'the master key is inline or kept in the data directory: copies that include it stay readable',
  };
}

/** True when `file` really lies outside `dir` (symbolic links resolved). */
function isOutside(dir: string, file: string): boolean {
  try {
    const rel = path.relative(fs.realpathSync(dir), fs.realpathSync(file));
    return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  } catch {
    return false;
  }
}
