import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * C2SP tlog-checkpoint as a C2SP signed note: the body is "<origin>\n<size>\n<base64 root>\n",
 * followed by an empty line and one signature line "— <key name> <base64(key id || sig)>".
 * The key id is the first 4 bytes of SHA-256(key name || "\n" || 0x01 || public key) (Ed25519).
 */

export function checkpointBody(origin: string, size: number, root: Buffer): string {
  return `${origin}\n${size}\n${root.toString('base64')}\n`;
}

function keyId(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([1]), publicKey]))
    .digest()
    .subarray(0, 4);
}

export function signNote(body: string, name: string, key: KeyObject, publicKey: Buffer): string {
  const signature = sign(null, Buffer.from(body), key);
  return `${body}\n— ${name} ${Buffer.concat([keyId(name, publicKey), signature]).toString('base64')}\n`;
}

/** The raw 32-byte public key as a node:crypto key object. */
function ed25519PublicKey(raw: Buffer): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

/** What a checkpoint note says once its signature is checked. */
export interface OpenedNote {
  readonly origin: string;
  readonly size: number;
  readonly root: Buffer;
}

/**
 * A verifier of one log key's notes: the key object and key id are made once, not per note
 * (making the key object costs a tenth of an Ed25519 verification).
 */
export function noteOpener(name: string, publicKey: Buffer): (note: string) => OpenedNote | null {
  const expectedId = keyId(name, publicKey);
  // Made on first use: a stored key that is not one fails only where a signature line names it.
  let key: KeyObject | null = null;
  return (note) => {
    const split = note.indexOf('\n\n');
    if (split < 0) return null;
    const body = note.slice(0, split + 1);
    const lines = note
      .slice(split + 2)
      .split('\n')
      .filter((l) => l !== '');
    const ok = lines.some((line) => {
      const m = /^— (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
      if (!m || m[1] !== name) return false;
      const raw = Buffer.from(m[2]!, 'base64');
      return (
        raw.length === 68 &&
        raw.subarray(0, 4).equals(expectedId) &&
        verify(null, Buffer.from(body), (key ??= ed25519PublicKey(publicKey)), raw.subarray(4))
      );
    });
    if (!ok) return null;
    const [origin, size, root] = body.split('\n');
    if (!origin || !size || !/^\d+$/.test(size) || !root) return null;
    return { origin, size: Number(size), root: Buffer.from(root, 'base64') };
  };
}

/** Parses and verifies a note; returns its origin, size and root, or null when it fails. */
export function openNote(note: string, name: string, publicKey: Buffer): OpenedNote | null {
  return noteOpener(name, publicKey)(note);
}
