import fs from 'node:fs';
import { projectFile } from '../../project-files.js';

/**
 * NIST SP 800-63B / ANSSI: length, not composition rules; refuse known and guessable
 * passwords, and say why in words a person understands.
 */
export const MIN_LENGTH = { usager: 12, staff: 15, operateur: 15 } as const;
export const MAX_LENGTH = 128;

let common: Set<string> | null = null;

function commonPasswords(): Set<string> {
  common ??= new Set(
    fs
      .readFileSync(projectFile('resources/common-passwords.txt'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  return common;
}

export interface PasswordOwner {
  kind: keyof typeof MIN_LENGTH;
  email: string;
  displayName: string;
}

/** Why this password is refused, in French for the person choosing it; null when acceptable. */
export function passwordProblem(password: string, owner: PasswordOwner): string | null {
  const length = [...password].length;
  const min = MIN_LENGTH[owner.kind];
  if (length < min)
    return `Choisissez au moins ${min} caractères (une phrase de passe convient bien).`;
  if (length > MAX_LENGTH) return `Choisissez au plus ${MAX_LENGTH} caractères.`;
  const lower = password.toLowerCase();
  if (new Set(lower).size <= 3) return 'Ce mot de passe répète trop peu de caractères différents.';
  const list = commonPasswords();
  if (list.has(lower))
    return 'Ce mot de passe figure parmi les plus utilisés : il serait deviné vite.';
  // A common password dressed up with a year or a few symbols is just as guessable.
  const core = lower.replace(/^[0-9\W_]+/, '').replace(/[0-9\W_]+$/, '');
  if (core.length >= 4 && core !== lower && lower.length - core.length <= 6 && list.has(core)) {
    return 'Ce mot de passe est un mot de passe courant complété de chiffres ou de symboles.';
  }
  const local = owner.email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 4 && lower.includes(local))
    return 'Ce mot de passe contient votre adresse e-mail.';
  for (const part of owner.displayName.toLowerCase().split(/[\s-]+/)) {
    if (part.length >= 4 && lower.includes(part)) return 'Ce mot de passe contient votre nom.';
  }
  return null;
}
