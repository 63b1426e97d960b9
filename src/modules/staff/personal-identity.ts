import fs from 'node:fs';
import { projectFile } from '../../project-files.js';

/**
 * One account, one named person (THREATS.md T5): a staff account is created for a personal
 * mailbox and a "Prénom Nom", never for accueil@… or "Secrétariat MDPH".
 */

let generic: Set<string> | null = null;

/** Lowercase, accents dropped, separators and digits removed: "Ne-Pas-Répondre44" → "nepasrepondre". */
function compact(word: string): string {
  return fold(word).replace(/[^a-z]/g, '');
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function genericNames(): Set<string> {
  generic ??= new Set(
    fs
      .readFileSync(projectFile('resources/generic-mailboxes.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map(compact),
  );
  return generic;
}

/** The display name as stored: trimmed, inner runs of spaces collapsed, NFC. */
export function normaliseDisplayName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/**
 * Why this address looks like a shared or role mailbox, in French for the admin; null when it
 * looks personal. The local part (before any +tag) is split on . _ - ; numbers are dropped
 * ("accueil.44"); it is generic when it is a listed name once compacted ("no-reply"), when it
 * starts with one ("contact.mdph44") or when every part is one ("secretariat-direction").
 */
export function genericMailboxProblem(email: string): string | null {
  const at = email.lastIndexOf('@');
  const local = (at < 0 ? email : email.slice(0, at)).split('+')[0] ?? '';
  const names = genericNames();
  const parts = local
    .split(/[._-]+/)
    .map(compact)
    .filter((p) => p !== '');
  const refused =
    parts.length === 0 ||
    names.has(compact(local)) ||
    names.has(parts[0]!) ||
    parts.every((p) => names.has(p));
  return refused
    ? 'Cette adresse ressemble à une boîte partagée ou fonctionnelle (accueil, contact, secrétariat…) : ' +
        'un compte agent est personnel, donnez l’adresse professionnelle nominative de la personne.'
    : null;
}

const WORD = /^\p{L}+(?:['’-]\p{L}+)*$/u;

/**
 * Why this is not a "Prénom Nom", in French for the admin; null when it is one: two to six
 * words of letters (hyphens and apostrophes inside a word: Jean-Pierre, d’Arc), at least two
 * of them two letters or more, no digits or signs, no word of a shared mailbox ("Accueil").
 */
export function displayNameProblem(name: string): string | null {
  const words = name.split(' ');
  if (
    name.length > 100 ||
    words.length < 2 ||
    words.length > 6 ||
    !words.every((w) => WORD.test(w))
  )
    return 'Indiquez le prénom et le nom de la personne (lettres seulement, par exemple « Camille Durand »).';
  if (words.filter((w) => [...w].length >= 2).length < 2)
    return 'Indiquez le prénom et le nom en entier, pas des initiales.';
  const names = genericNames();
  if (words.some((w) => names.has(compact(w))))
    return 'Ce nom désigne un service ou une fonction, pas une personne : un compte agent est personnel.';
  return null;
}
