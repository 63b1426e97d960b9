import os from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import pLimit from 'p-limit';

// OWASP's argon2id baseline (19 MiB, 2 passes); @node-rs/argon2 defaults to argon2id.
const PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * How many hashings run at once: all cores but one, and all threads of libuv's pool but one.
 * Each takes a core for tens of milliseconds on the pool that also makes commits durable
 * (fsync); unbounded, a burst of sign-ins took every core and every pool thread, and the rest
 * of the server waited behind it (the queue fell from 290 to 1 request per second during 50
 * parallel sign-ins). Sign-ins beyond the bound wait their turn instead; the login throttle
 * keeps that wait short for an honest user.
 */
const POOL_THREADS = Number(process.env.UV_THREADPOOL_SIZE) || 4;
const hashing = pLimit(Math.max(1, Math.min(os.availableParallelism(), POOL_THREADS) - 1));

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hashing(() => hash(password, PARAMS));
}

let dummyHash: Promise<string> | null = null;

/**
 * Verifies a password. With no stored hash (unknown e-mail) it still runs a full verification
 * against a dummy hash, so response time does not reveal which e-mails have accounts.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummyHash ??= hashPassword('cloison-dummy-password-for-timing');
    const dummy = await dummyHash;
    await hashing(() => verify(dummy, password)).catch(() => false);
    return false;
  }
  return hashing(() => verify(stored, password)).catch(() => false);
}
