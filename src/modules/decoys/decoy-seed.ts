import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AppDeps } from '../../deps.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import { samplePdf } from '../documents/sample-files.js';
import { insertCase, insertRequestedRights, nextReference } from '../cases/case.repository.js';
import { insertDocument } from '../documents/document.repository.js';
import { putSealed } from '../documents/sealed-blobs.js';
import { sealedPerson } from '../persons/sealed-person.js';
import { decoyIdentity } from './decoy-identity.js';
import { findDecoyFiler, findLiveDecoyOfTenant, recordDecoy } from './decoy.repository.js';
import { insertPerson } from '../persons/person.repository.js';
import { getTenant, listTenants } from '../tenants/tenant.repository.js';

type SeedDeps = Pick<AppDeps, 'db' | 'blobs' | 'vault'>;

/**
 * Gives a tenant its decoy case unless it has one: a made-up person (sealed like every real one) with an
 * admissible request and its form, filed by the accueil as a paper request would be. It sits
 * in a status any accueil or responsable may open, so that whoever opens it by id had to know
 * the id. Returns the decoy's case id and whether it was made now.
 */
export async function seedDecoy(
  deps: SeedDeps,
  tenantId: string,
  now: Date,
): Promise<{ caseId: string; created: boolean }> {
  const existing = await findLiveDecoyOfTenant(deps.db, tenantId);
  if (existing) return { caseId: existing.case_id, created: false };
  const tenant = await getTenant(deps.db, tenantId);
  const filer = await findDecoyFiler(deps.db, tenantId);
  if (!filer) throw new Error(`tenant ${tenant.code} has no staff account to file its decoy case`);

  const caseId = await deps.db
    .transaction()
    .execute((trx) => writeDecoy({ ...deps, db: trx }, tenant, filer.id, now));
  return { caseId, created: true };
}

/**
 * Writes a decoy case for the tenant inside the caller's transaction (`deps.db` is it): a new
 * département gets its decoy in the same commit as everything else, or not at all.
 */
export async function writeDecoy(
  deps: SeedDeps,
  tenant: { id: string; code: string },
  filerId: string,
  now: Date,
): Promise<string> {
  const trx = deps.db;
  const tenantId = tenant.id;
  const who = decoyIdentity(tenant.code, now);
  const personId = randomUUID();
  const caseId = randomUUID();
  const documentId = randomUUID();
  const at = now.toISOString();
  await insertPerson(
    trx,
    await sealedPerson(deps, trx, {
      id: personId,
      tenantId,
      accountId: null,
      firstName: who.firstName,
      lastName: who.lastName,
      birthDate: who.birthDate,
      nir: who.nir,
      address: who.address,
      now,
    }),
  );
  const cipher = await deps.vault.forPerson(trx, tenantId, personId);
  await insertCase(trx, {
    id: caseId,
    tenant_id: tenantId,
    reference: await nextReference(trx, tenantId, tenant.code, now.getUTCFullYear()),
    person_id: personId,
    filed_by_account_id: filerId,
    status: 'recevable',
    team: null,
    instructeur_id: null,
    evaluateur_id: null,
    summary_enc: cipher.seal(
      sealedField.caseSummary(caseId),
      'Demande d’AAH et de PCH déposée sur papier ; dossier complet, à orienter vers l’évaluation.',
    ),
    pieces_deadline: null,
    submitted_at: at,
    created_at: at,
    updated_at: at,
  });
  await insertRequestedRights(trx, tenantId, caseId, ['AAH', 'PCH']);
  const stored = await putSealed(
    deps.blobs,
    cipher,
    documentId,
    Readable.from([samplePdf(`Cerfa 15692 - ${who.lastName}`)]),
  );
  await insertDocument(trx, {
    id: documentId,
    tenant_id: tenantId,
    case_id: caseId,
    category: 'correspondence',
    piece: 'cerfa_15692',
    original_name_enc: cipher.seal(
      sealedField.documentName(documentId),
      'cerfa-15692-demande-signee.pdf',
    ),
    media_type: 'application/pdf',
    size_bytes: stored.size,
    sha256_enc: cipher.seal(sealedField.documentHash(documentId), stored.sha256),
    storage_key: stored.key,
    uploaded_by: filerId,
    created_at: at,
  });
  await recordDecoy(trx, { tenantId, caseId, personId, at });
  return caseId;
}

/** Seeds the decoy of every tenant that has none yet (the `cloison decoys seed` command). */
export async function seedDecoys(
  deps: SeedDeps,
  now: Date,
): Promise<Array<{ tenant: string; caseId: string; created: boolean }>> {
  const tenants = await listTenants(deps.db);
  const out = [];
  for (const t of tenants) out.push({ tenant: t.code, ...(await seedDecoy(deps, t.id, now)) });
  return out;
}
