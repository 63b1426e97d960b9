import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PersonKeyCache } from './person-key-cache.js';

const row = (wrapped = Buffer.from('wrapped-1'), kek = 1) => ({
  version: 1,
  kek_version: kek,
  wrapped_key: wrapped,
});
const zeroed = (b: Buffer) => b.every((x) => x === 0);

function cacheAt(options: { maxEntries?: number; ttlMs?: number } = {}) {
  let now = 0;
  const cache = new PersonKeyCache({
    maxEntries: options.maxEntries ?? 10,
    ttlMs: options.ttlMs ?? 60_000,
    now: () => now,
  });
  return { cache, advance: (ms: number) => (now += ms) };
}

describe('PersonKeyCache', () => {
  it('hands out copies of a key, only for the wrapped key it came from', () => {
    const { cache } = cacheAt();
    const key = randomBytes(32);
    const clear = Buffer.from(key);
    cache.set('t', 'p', row(), key, cache.currentGeneration);
    const got = cache.get('t', 'p', row())!;
    expect(got.equals(clear)).toBe(true);
    got.fill(0);
    expect(cache.get('t', 'p', row())!.equals(clear)).toBe(true);
    expect(cache.get('t', 'other', row())).toBeNull();
    // Another wrapping (re-wrapped, or a copy's row) misses, and the old key is wiped.
    expect(cache.get('t', 'p', row(Buffer.from('wrapped-2')))).toBeNull();
    expect(zeroed(key)).toBe(true);
    expect(cache.size).toBe(0);
  });

  it('wipes a key once its lifetime is over, used or not', () => {
    const { cache, advance } = cacheAt({ ttlMs: 1_000 });
    const key = randomBytes(32);
    cache.set('t', 'p', row(), key, cache.currentGeneration);
    advance(999);
    expect(cache.get('t', 'p', row())).not.toBeNull();
    advance(1);
    expect(cache.get('t', 'p', row())).toBeNull();
    expect(zeroed(key)).toBe(true);
  });

  it('keeps at most maxEntries keys, wiping the oldest', () => {
    const { cache } = cacheAt({ maxEntries: 2 });
    const keys = [randomBytes(32), randomBytes(32), randomBytes(32)];
    keys.forEach((k, i) => cache.set('t', `p${i}`, row(), k, cache.currentGeneration));
    expect(cache.size).toBe(2);
    expect(zeroed(keys[0]!)).toBe(true);
    expect(cache.get('t', 'p0', row())).toBeNull();
    expect(cache.get('t', 'p2', row())).not.toBeNull();
  });

  it('forgets a person or a tenant at once, wiping their keys', () => {
    const { cache } = cacheAt();
    const [a, b, c] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    cache.set('t1', 'a', row(), a, cache.currentGeneration);
    cache.set('t1', 'b', row(), b, cache.currentGeneration);
    cache.set('t2', 'c', row(), c, cache.currentGeneration);
    cache.forgetPerson('t1', 'a');
    expect(zeroed(a)).toBe(true);
    expect(cache.get('t1', 'a', row())).toBeNull();
    cache.forgetTenant('t1');
    expect(zeroed(b)).toBe(true);
    expect(cache.get('t2', 'c', row())).not.toBeNull();
    cache.clear();
    expect(zeroed(c)).toBe(true);
    expect(cache.size).toBe(0);
  });

  it('does not keep a key unwrapped while a forget happened', () => {
    const { cache } = cacheAt();
    const generation = cache.currentGeneration;
    cache.forgetPerson('t', 'p'); // the erasure, while the unwrap was in flight
    const key = randomBytes(32);
    cache.set('t', 'p', row(), key, generation);
    expect(cache.get('t', 'p', row())).toBeNull();
    expect(zeroed(key)).toBe(true);
  });
});
