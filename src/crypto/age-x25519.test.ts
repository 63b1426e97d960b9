import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  Decrypter,
  generateHybridIdentity,
  generateX25519Identity,
  identityToRecipient,
} from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { encryptToX25519, x25519RecipientKey } from './age-x25519.js';

const CHUNK = 64 * 1024;

async function encrypt(recipient: string, plain: Buffer, pieces = 7): Promise<Buffer> {
  const key = x25519RecipientKey(recipient);
  expect(key).not.toBeNull();
  const parts: Buffer[] = [];
  // Fed in uneven pieces: the chunking must not depend on how the bytes arrive.
  const step = Math.max(1, Math.ceil(plain.length / pieces) + 13);
  const input = [];
  for (let at = 0; at < plain.length; at += step) input.push(plain.subarray(at, at + step));
  for await (const c of Readable.from(input).pipe(encryptToX25519(key!))) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

describe('age for one X25519 recipient, with node:crypto', () => {
  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 200_001]) {
    it(`writes ${size} bytes that age-encryption's Decrypter opens`, async () => {
      const identity = await generateX25519Identity();
      const plain = randomBytes(size);
      const file = await encrypt(await identityToRecipient(identity), plain);
      const decrypter = new Decrypter();
      decrypter.addIdentity(identity);
      expect(Buffer.from(await decrypter.decrypt(file)).equals(plain)).toBe(true);
    });
  }

  it('writes what Debian’s age opens, and what another identity cannot', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-age-'));
    try {
      const keyFile = path.join(dir, 'key.txt');
      execFileSync('/usr/bin/age-keygen', ['-o', keyFile], { stdio: 'ignore' });
      const recipient = execFileSync('/usr/bin/age-keygen', ['-y', keyFile]).toString().trim();
      for (const size of [0, CHUNK, 2 * CHUNK + 5]) {
        const plain = randomBytes(size);
        const file = path.join(dir, `${size}.age`);
        fs.writeFileSync(file, await encrypt(recipient, plain));
        expect(execFileSync('/usr/bin/age', ['-d', '-i', keyFile, file]).equals(plain)).toBe(true);
      }
      const other = path.join(dir, 'other.txt');
      execFileSync('/usr/bin/age-keygen', ['-o', other], { stdio: 'ignore' });
      expect(() =>
        execFileSync('/usr/bin/age', ['-d', '-i', other, path.join(dir, '0.age')], {
          stdio: 'ignore',
        }),
      ).toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives a fresh file key each time: two encryptions of the same bytes differ', async () => {
    const recipient = await identityToRecipient(await generateX25519Identity());
    const plain = randomBytes(1000);
    expect((await encrypt(recipient, plain)).equals(await encrypt(recipient, plain))).toBe(false);
  });

  it('knows an X25519 recipient from anything else', async () => {
    const recipient = await identityToRecipient(await generateX25519Identity());
    expect(x25519RecipientKey(recipient)?.length).toBe(32);
    expect(
      x25519RecipientKey(await identityToRecipient(await generateHybridIdentity())),
    ).toBeNull();
    const flipped = `${recipient.slice(0, -1)}${recipient.endsWith('q') ? 'p' : 'q'}`;
    expect(x25519RecipientKey(flipped)).toBeNull();
    expect(x25519RecipientKey('age1')).toBeNull();
    expect(x25519RecipientKey(recipient.toUpperCase().replace('AGE1', 'agE1'))).toBeNull();
  });
});
