import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pkcs11js from 'pkcs11js';

const INIT_SCRIPT = fileURLToPath(new URL('../../scripts/softhsm-init.sh', import.meta.url));

/** Why SoftHSM2 cannot be used on this machine, or null if it can. */
export function softHsmMissing(): string | null {
  try {
    execFileSync('softhsm2-util', ['--version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'softhsm2-util is not installed (apt-get install softhsm2)';
  }
}

export interface SoftHsmToken {
  /** Remove it when done: the token and its keys are files in there. */
  readonly dir: string;
  /** SOFTHSM2_CONF and CLOISON_PKCS11_*, as printed by scripts/softhsm-init.sh. */
  readonly env: Readonly<Record<string, string>>;
}

/** A fresh throwaway token in a new temporary directory, made by the project's own script. */
export function createSoftHsmToken(label = 'cloison-test'): SoftHsmToken {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cloison-softhsm-'));
  const pin = randomBytes(8).toString('hex');
  const soPin = randomBytes(8).toString('hex');
  const out = execFileSync('bash', [INIT_SCRIPT, dir, label, pin, soPin], { encoding: 'utf8' });
  const env: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return { dir, env };
}

/**
 * Runs `use` on a plain PKCS#11 session beside the key manager's, to look at the token the way
 * anyone holding the PIN could. The manager must be open meanwhile: it initialized the library
 * and logged in (both process-wide), and this neither finalizes nor logs out.
 */
export function withRawSession<T>(
  token: { modulePath: string; tokenLabel: string },
  use: (lib: pkcs11js.PKCS11, session: Buffer) => T,
): T {
  const lib = new pkcs11js.PKCS11();
  lib.load(token.modulePath);
  try {
    lib.C_Initialize();
  } catch (error) {
    if (!String(error).includes('CKR_CRYPTOKI_ALREADY_INITIALIZED')) throw error;
  }
  const slot = lib
    .C_GetSlotList(true)
    .find((s) => lib.C_GetTokenInfo(s).label.trimEnd() === token.tokenLabel);
  if (!slot) throw new Error(`no token labelled ${token.tokenLabel}`);
  const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  try {
    return use(lib, session);
  } finally {
    lib.C_CloseSession(session);
  }
}

/** Every object on the token matching the template. */
export function findObjects(
  lib: pkcs11js.PKCS11,
  session: Buffer,
  template: pkcs11js.Template,
): Buffer[] {
  lib.C_FindObjectsInit(session, template);
  try {
    return lib.C_FindObjects(session, 100);
  } finally {
    lib.C_FindObjectsFinal(session);
  }
}
