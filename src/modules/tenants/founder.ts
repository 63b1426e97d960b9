import { normaliseEmail } from '../self-service/email-address.js';
import {
  displayNameProblem,
  genericMailboxProblem,
  normaliseDisplayName,
} from '../staff/personal-identity.js';

/** One of a new département's first administrators: a named person and their own mailbox. */
export interface Founder {
  readonly email: string;
  readonly displayName: string;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** The founder as stored: address lowercased, name normalised. */
export function normaliseFounder(f: Founder): Founder {
  return { email: normaliseEmail(f.email), displayName: normaliseDisplayName(f.displayName) };
}

/**
 * One mailbox however it is written: `marie.dupont+44@x` and `Marie.Dupont@x` reach the same
 * person, so they are one person for the two-admin rule.
 */
export function mailboxOf(email: string): string {
  const address = normaliseEmail(email);
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  return `${address.slice(0, at).split('+')[0]}${address.slice(at)}`;
}

/**
 * Why this person cannot be a first administrator, and which of the two fields is wrong, or null:
 * as for every staff account, one account is one named person with a personal address
 * (THREATS.md T5).
 */
export function founderFieldProblem(
  f: Founder,
): { field: 'email' | 'displayName'; message: string } | null {
  const { email, displayName } = normaliseFounder(f);
  if (email.length > 254 || !EMAIL.test(email))
    return { field: 'email', message: `« ${email.slice(0, 60)} » n’est pas une adresse e-mail.` };
  const generic = genericMailboxProblem(email);
  if (generic) return { field: 'email', message: `${email}: ${generic}` };
  const name = displayNameProblem(displayName);
  return name ? { field: 'displayName', message: `${email}: ${name}` } : null;
}

/** The same as one sentence, or null. */
export function founderProblem(f: Founder): string | null {
  return founderFieldProblem(f)?.message ?? null;
}

/**
 * Reads `Prénom Nom <adresse>` as the command line takes it; a bare address gets its name from
 * the address (`marie.dupont@…` is Marie Dupont), which the name rules then check like any other.
 */
export function parseFounder(text: string): Founder {
  const m = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(text);
  if (m) return { displayName: m[1]!, email: m[2]! };
  const local = text.trim().split('@')[0] ?? '';
  const displayName = local
    .split(/[._-]+/)
    .filter((w) => w !== '')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
  return { displayName, email: text.trim() };
}
