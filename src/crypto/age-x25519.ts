import {
  createCipheriv,
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { bech32 } from '@scure/base';

/**
 * The age v1 format (age-encryption.org/v1) for one X25519 recipient, written with node:crypto:
 * OpenSSL's ChaCha20-Poly1305 runs about fifteen times faster than the JavaScript one of
 * age-encryption (measured on this machine: 1.8 GB/s against 120 MB/s), which made encryption
 * the half of an export's time. The file is plain age: Debian's `age -d` and age-encryption's
 * Decrypter open it (the tests do both). Recipients of other kinds (the hybrid post-quantum
 * `age1pq1…`) stay with age-encryption.
 *
 * Layout: the header (version line, one `X25519` stanza wrapping a random 16-byte file key, the
 * header's HMAC), a 16-byte nonce, then the payload in chunks of 64 KiB, each sealed with
 * ChaCha20-Poly1305 under a key derived from the file key and the nonce, its nonce an 11-byte
 * counter and a last-chunk flag.
 */

const CHUNK = 64 * 1024;
const TAG = 16;
const X25519_LABEL = 'age-encryption.org/v1/X25519';

/** The raw public key of an `age1…` X25519 recipient, or null if it is not one. */
export function x25519RecipientKey(recipient: string): Buffer | null {
  try {
    const { prefix, words } = bech32.decode(recipient as `${string}1${string}`, 90);
    if (prefix !== 'age') return null;
    const key = Buffer.from(bech32.fromWords(words));
    return key.length === 32 ? key : null;
  } catch {
    return null;
  }
}

const rawBase64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

const hkdf = (ikm: Buffer, salt: Buffer, info: string) =>
  Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));

function seal(key: Buffer, nonce: Buffer, plain: Buffer): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function publicKeyObject(raw: Buffer): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

/** The header for a file key wrapped to the recipient's key (the age spec's X25519 stanza). */
function header(recipientKey: Buffer, fileKey: Buffer): Buffer {
  const ephemeral = generateKeyPairSync('x25519');
  const share = Buffer.from(ephemeral.publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const shared = diffieHellman({
    privateKey: ephemeral.privateKey,
    publicKey: publicKeyObject(recipientKey),
  });
  // A low-order recipient key would make the secret known to anyone: refuse it, as age does.
  if (shared.every((b) => b === 0)) throw new Error('not a usable X25519 recipient');
  const wrapKey = hkdf(shared, Buffer.concat([share, recipientKey]), X25519_LABEL);
  const body = seal(wrapKey, Buffer.alloc(12), fileKey);
  // One stanza whose body (32 bytes) fits a line shorter than 64 columns, as the spec wants.
  const start = `age-encryption.org/v1\n-> X25519 ${rawBase64(share)}\n${rawBase64(body)}\n---`;
  const mac = createHmac('sha256', hkdf(fileKey, Buffer.alloc(0), 'header'))
    .update(start)
    .digest();
  return Buffer.from(`${start} ${rawBase64(mac)}\n`);
}

/** A transform that encrypts what flows through it to one X25519 age recipient. */
export function encryptToX25519(recipientKey: Buffer): Transform {
  const fileKey = randomBytes(16);
  const nonce = randomBytes(16);
  const payloadKey = hkdf(fileKey, nonce, 'payload');
  const prologue = Buffer.concat([header(recipientKey, fileKey), nonce]);
  fileKey.fill(0);
  const chunkNonce = Buffer.alloc(12);
  let counter = 0;
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let started = false;

  const sealChunk = (plain: Buffer, last: boolean): Buffer => {
    // 11-byte big-endian counter (the high bytes stay zero below 2^48 chunks), then the flag.
    chunkNonce.writeUIntBE(counter++, 5, 6);
    chunkNonce[11] = last ? 1 : 0;
    return seal(payloadKey, chunkNonce, plain);
  };

  return new Transform({
    transform(data: Buffer, _encoding, done: TransformCallback) {
      if (!started) {
        this.push(prologue);
        started = true;
      }
      pending.push(data);
      pendingLength += data.length;
      // At least one byte kept back: only the end says which chunk is the last, and the last
      // one may be empty only when the whole payload is.
      if (pendingLength > CHUNK) {
        let joined = Buffer.concat(pending, pendingLength);
        // The chunks of one input pushed as one buffer: fewer, larger writes downstream.
        const sealed: Buffer[] = [];
        while (joined.length > CHUNK) {
          sealed.push(sealChunk(joined.subarray(0, CHUNK), false));
          joined = joined.subarray(CHUNK);
        }
        this.push(sealed.length === 1 ? sealed[0]! : Buffer.concat(sealed));
        pending = [joined];
        pendingLength = joined.length;
      }
      done();
    },
    flush(done: TransformCallback) {
      if (!started) this.push(prologue);
      this.push(sealChunk(Buffer.concat(pending, pendingLength), true));
      payloadKey.fill(0);
      done();
    },
  });
}
