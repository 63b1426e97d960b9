/** The form every account e-mail is stored and looked up in (as login does). */
export function normaliseEmail(typed: string): string {
  return typed.trim().toLowerCase();
}
