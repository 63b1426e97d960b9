/**
 * What names a département: its official code (INSEE: 01 to 95 without 20, 2A and 2B for Corsica,
 * 971 to 976 overseas) and the name of its MDPH as the public will read it.
 */

export const CODE = /^(0[1-9]|1[0-9]|[3-8][0-9]|9[0-5]|2[1-9]|2A|2B|97[1-6])$/;

/** Why a département code is refused, or null when it is one. */
export function tenantCodeProblem(code: string): string | null {
  if (CODE.test(code)) return null;
  return `« ${code.slice(0, 8)} » n’est pas un code de département (01 à 95, 2A, 2B, 971 à 976).`;
}

/** The name as stored: NFC, single spaces, trimmed. */
export function normaliseTenantName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Why a tenant name is refused, or null. */
export function tenantNameProblem(name: string): string | null {
  if (name.length < 3 || name.length > 120) return 'Le nom doit compter de 3 à 120 caractères.';
  // Names are shown in pages, mails and letters: no control or invisible characters.
  if (/[\p{Cc}\p{Cf}]/u.test(name))
    return 'Le nom contient des caractères de contrôle ou invisibles.';
  return null;
}
