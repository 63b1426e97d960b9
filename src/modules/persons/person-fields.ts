import type { PersonCipher } from '../../crypto/vault.js';
import { sealedField } from '../../crypto/sealed-fields.js';

/** Opens a person's name. */
export function openName(
  cipher: PersonCipher,
  row: { id: string; first_name_enc: Buffer; last_name_enc: Buffer },
): { firstName: string; lastName: string } {
  return {
    firstName: cipher.open(sealedField.person(row.id, 'first_name'), row.first_name_enc),
    lastName: cipher.open(sealedField.person(row.id, 'last_name'), row.last_name_enc),
  };
}
