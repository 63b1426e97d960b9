import { hash } from 'node:crypto';
import type { LogKeyRow } from './log-key.repository.js';
import { noteOpener, type OpenedNote } from './signed-note.js';

/**
 * The signed checkpoints of a chain, opened for verification. An Ed25519 verification costs as
 * much as hashing a few hundred events, and the same note is usually found twice (in the
 * database and in the witness file): each distinct note is checked once per run, and a server
 * that verifies every few minutes may keep the notes it has already checked (VerifiedNotes).
 */

/**
 * Notes whose signature was already checked, across runs of one process: a note is taken as
 * checked only when its exact text and the exact key (name and public key) are the same, so an
 * edited note or a replaced key is checked again. Only successes are kept, and at most `limit`.
 */
export class VerifiedNotes {
  private readonly opened = new Map<string, OpenedNote>();

  constructor(private readonly limit = 200_000) {}

  /** The note as opened before under this key, if it was. */
  get(id: string): OpenedNote | undefined {
    return this.opened.get(id);
  }

  /** Remembers a note that verified; forgets everything once full rather than grow. */
  remember(id: string, opened: OpenedNote): void {
    if (this.opened.size >= this.limit) this.opened.clear();
    this.opened.set(id, opened);
  }
}

/** What identifies a note under a key: a digest of the key's name, its bytes and the text. */
function noteId(key: LogKeyRow, note: string): string {
  return hash('sha256', `${key.key_name}\n${key.public_key.toString('base64')}\n${note}`, 'binary');
}

/**
 * Every note opened with the chain's key, in the order given: null where the signature does
 * not hold (or the chain has no key). A note given twice is verified once.
 */
export function openCheckpointNotes(
  notes: readonly string[],
  key: LogKeyRow | undefined,
  verified?: VerifiedNotes,
): Array<OpenedNote | null> {
  if (!key) return notes.map(() => null);
  const open = noteOpener(key.key_name, key.public_key);
  const thisRun = new Map<string, OpenedNote | null>();
  return notes.map((note) => {
    const known = thisRun.get(note);
    if (known !== undefined) return known;
    const id = verified ? noteId(key, note) : '';
    const opened = verified?.get(id) ?? open(note);
    if (opened && verified) verified.remember(id, opened);
    thisRun.set(note, opened);
    return opened;
  });
}
