import type { Insertable } from 'kysely';
import { normaliseNir } from '../../crypto/vault.js';
import type { DbOrTx } from '../../db/database.js';
import type { PersonTable } from '../../db/schema.js';
import type { AppDeps } from '../../deps.js';
import { sealedField } from '../../crypto/sealed-fields.js';

export interface NewPerson {
  id: string;
  tenantId: string;
  accountId: string | null;
  firstName: string;
  lastName: string;
  birthDate: string;
  nir: string | null;
  address: string | null;
  now: Date;
}

/**
 * The row of a new person, every personal field sealed under the person's new data key (created
 * here, in the caller's transaction) and the NIR searchable only through its blind index.
 */
export async function sealedPerson(
  deps: Pick<AppDeps, 'vault'>,
  trx: DbOrTx,
  p: NewPerson,
): Promise<Insertable<PersonTable>> {
  const cipher = await deps.vault.createPersonKey(trx, p.tenantId, p.id, p.now);
  const nir = p.nir === null ? null : normaliseNir(p.nir);
  return {
    id: p.id,
    tenant_id: p.tenantId,
    account_id: p.accountId,
    first_name_enc: cipher.seal(sealedField.person(p.id, 'first_name'), p.firstName),
    last_name_enc: cipher.seal(sealedField.person(p.id, 'last_name'), p.lastName),
    birth_date_enc: cipher.seal(sealedField.person(p.id, 'birth_date'), p.birthDate),
    nir_enc: nir === null ? null : cipher.seal(sealedField.person(p.id, 'nir'), nir),
    nir_index: nir === null ? null : await deps.vault.blindIndex(trx, p.tenantId, 'nir', nir),
    address_enc: cipher.sealOptional(sealedField.person(p.id, 'address'), p.address),
    created_at: p.now.toISOString(),
  };
}
