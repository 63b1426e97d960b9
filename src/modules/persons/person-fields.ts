import type { FieldRef, PersonCipher } from '../../crypto/vault.js';

/** The sealed fields of a person, each bound to its column and row. */
export type PersonField = 'first_name' | 'last_name' | 'birth_date' | 'nir' | 'address';

export function personRef(personId: string, field: PersonField): FieldRef {
  return { table: 'persons', column: field, rowId: personId };
}

/** Opens a person's name. */
export function openName(
  cipher: PersonCipher,
  row: { id: string; first_name_enc: Buffer; last_name_enc: Buffer },
): { firstName: string; lastName: string } {
  return {
    firstName: cipher.open(personRef(row.id, 'first_name'), row.first_name_enc),
    lastName: cipher.open(personRef(row.id, 'last_name'), row.last_name_enc),
  };
}
