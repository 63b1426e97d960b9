import { Secret, TOTP } from 'otpauth';
import { SoftAuthenticator, originOf } from '../support/authenticator.js';
import type { Client } from './client.js';

/**
 * How the harness completes a staff sign-in, as a person would: the demo TOTP secret the first
 * time, then a passkey it registers on that first visit (codes are single-use, and tests sign
 * the same account in many times a minute; passkey assertions have no such limit).
 */
const totpSecrets = new Map<string, string>();
const passkeys = new Map<string, SoftAuthenticator>();
const clockOffsets = new Map<string, number>();

export function rememberTotpSecrets(accounts: ReadonlyArray<{ id: string; totpSecret?: string }>) {
  for (const a of accounts) if (a.totpSecret) totpSecrets.set(a.id, a.totpSecret);
}

/** A server started with CLOISON_CLOCK_OFFSET expects codes for its own time. */
export function rememberClockOffset(baseUrl: string, offsetMs: number): void {
  clockOffsets.set(baseUrl, offsetMs);
}

export function parseClockOffset(raw: string | undefined): number {
  const m = raw ? /^([+-]?\d+)([dhms])$/.exec(raw) : null;
  if (!m) return 0;
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'd'];
}

/** The current TOTP code of a base32 secret at the server's time. */
export function totpNow(baseUrl: string, secret: string, shiftMs = 0): string {
  const at = Date.now() + (clockOffsets.get(baseUrl) ?? 0) + shiftMs;
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at });
}

async function registerPasskey(client: Client, accountId: string, password: string) {
  const options = await client.post('/api/v1/me/passkeys/options', {
    json: { currentPassword: password },
  });
  if (options.status !== 200) throw new Error(`passkey options: ${options.status} ${options.text}`);
  const key = new SoftAuthenticator(originOf(client.baseUrl));
  const publicKey = (options.json as { publicKey: { challenge: string; rp: { id?: string } } })
    .publicKey;
  const res = await client.post('/api/v1/me/passkeys', {
    json: { name: 'Clé de test', credential: key.register(publicKey) },
  });
  if (res.status !== 201) throw new Error(`passkey registration: ${res.status} ${res.text}`);
  passkeys.set(accountId, key);
}

async function usePasskey(client: Client, key: SoftAuthenticator): Promise<boolean> {
  const options = await client.post('/api/v1/auth/second-factor/passkey/options');
  if (options.status !== 200) return false;
  const publicKey = (options.json as { publicKey: { challenge: string; rpId?: string } }).publicKey;
  const res = await client.post('/api/v1/auth/second-factor/passkey', {
    json: { credential: key.assert(publicKey) },
  });
  return res.status === 204;
}

async function useTotp(client: Client, secret: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const res = await client.post('/api/v1/auth/second-factor/totp', {
      json: { code: totpNow(client.baseUrl, secret) },
    });
    if (res.status === 204) return;
    // This code was already spent (another sign-in this half-minute): wait for the next one.
    await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 200));
  }
  throw new Error('TOTP refused twice');
}

/** Completes whatever the login answer said is next. */
export async function completeSecondFactor(
  client: Client,
  password: string,
  next: string,
): Promise<void> {
  if (next === 'done') return;
  const me = await client.get('/api/v1/me');
  const accountId = (me.json as { id: string }).id;
  if (next === 'enroll') {
    await registerPasskey(client, accountId, password);
    return;
  }
  const key = passkeys.get(accountId);
  if (key && (await usePasskey(client, key))) return;
  const secret = totpSecrets.get(accountId);
  if (!secret) throw new Error(`no second factor known for account ${accountId}`);
  await useTotp(client, secret);
  await registerPasskey(client, accountId, password);
}
