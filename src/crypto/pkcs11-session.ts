import { createHash, timingSafeEqual } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { KeyUnavailableError } from './key-manager.js';

/** A PKCS#11 object or session handle, as pkcs11js represents it. */
export type Handle = Buffer;
export type Template = pkcs11js.Template;
export type Pkcs11Library = pkcs11js.PKCS11;
export { pkcs11js };

/** Where the token is and how to log in to it. */
export interface TokenLocation {
  readonly modulePath: string;
  readonly tokenLabel: string;
  readonly pin: string;
}

/**
 * C_Initialize may run once per process and per library, and the login state belongs to the
 * application, not the session: a second manager on the same token must reuse both, and only
 * the last one to close may log out and finalize.
 */
interface LoadedModule {
  readonly lib: Pkcs11Library;
  /** False when something else in the process had initialized the library before us. */
  readonly ownsInitialize: boolean;
  users: number;
  readonly logins: Map<string, { users: number; pinDigest: Buffer }>;
}
const loadedModules = new Map<string, LoadedModule>();

/** The CKR_* code of an error thrown by pkcs11js, or null for any other error. */
export function pkcs11Code(error: unknown): number | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number' && code !== 0) return code;
  // Codes pkcs11js has no name for (e.g. 2.40's CKR_ACTION_PROHIBITED) arrive only in the text.
  const match = /CKR_\w+:(\d+)/.exec(error.message);
  return match ? Number(match[1]) : null;
}

/** Turns a PKCS#11 failure into KeyUnavailableError; lets our own errors through unchanged. */
export function unavailable(error: unknown, during: string): Error {
  if (error instanceof Error && pkcs11Code(error) === null && error.name !== 'NativeError') {
    return error;
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new KeyUnavailableError(`PKCS#11 ${during} failed: ${detail}`);
}

function acquireModule(modulePath: string): LoadedModule {
  const existing = loadedModules.get(modulePath);
  if (existing) {
    existing.users += 1;
    return existing;
  }
  const lib = new pkcs11js.PKCS11();
  lib.load(modulePath);
  let ownsInitialize = true;
  try {
    // Calls run on libuv worker threads (the *Async variants), one at a time per session.
    lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (pkcs11Code(error) !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw error;
    ownsInitialize = false;
  }
  const loaded: LoadedModule = { lib, ownsInitialize, users: 1, logins: new Map() };
  loadedModules.set(modulePath, loaded);
  return loaded;
}

function releaseModule(modulePath: string, loaded: LoadedModule): void {
  loaded.users -= 1;
  if (loaded.users > 0) return;
  loadedModules.delete(modulePath);
  if (!loaded.ownsInitialize) return;
  try {
    loaded.lib.C_Finalize();
  } catch {
    // The process is letting go of the library; a failing finalize leaves nothing to undo.
  }
}

function findSlot(lib: Pkcs11Library, tokenLabel: string): Handle {
  const matches = lib.C_GetSlotList(true).filter((slot) => {
    const info = lib.C_GetTokenInfo(slot);
    // Token labels are blank-padded to 32 bytes.
    return (
      (info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0 && info.label.trimEnd() === tokenLabel
    );
  });
  if (matches.length !== 1) {
    throw new KeyUnavailableError(
      matches.length === 0
        ? `no initialized PKCS#11 token labelled "${tokenLabel}"`
        : `${matches.length} PKCS#11 tokens are labelled "${tokenLabel}": labels must be unique`,
    );
  }
  return matches[0] as Handle;
}

/**
 * One logged-in read-write session on the token, reused for every call. A PKCS#11 session runs
 * one operation at a time (EncryptInit then Encrypt must not interleave with another caller),
 * so every use goes through `run`, which queues callers.
 */
export class Pkcs11Session {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private closing: Promise<void> | null = null;

  private constructor(
    readonly lib: Pkcs11Library,
    private handle: Handle,
    private readonly slot: Handle,
    private readonly location: TokenLocation,
    private readonly loaded: LoadedModule,
  ) {}

  /** Loads the module, finds the token by label, opens a session and logs in. */
  static open(location: TokenLocation): Pkcs11Session {
    let loaded: LoadedModule;
    try {
      loaded = acquireModule(location.modulePath);
    } catch (error) {
      throw unavailable(error, `loading ${location.modulePath}`);
    }
    let slot: Handle | null = null;
    let session: Handle | null = null;
    let loggedIn = false;
    try {
      const { lib } = loaded;
      slot = findSlot(lib, location.tokenLabel);
      for (const mechanism of [pkcs11js.CKM_AES_KEY_GEN, pkcs11js.CKM_AES_GCM]) {
        lib.C_GetMechanismInfo(slot, mechanism); // throws CKR_MECHANISM_INVALID if unsupported
      }
      session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      logIn(loaded, slot, session, location.pin);
      loggedIn = true;
      return new Pkcs11Session(lib, session, slot, location, loaded);
    } catch (error) {
      if (slot && session) closeQuietly(loaded, slotKey(slot), session, loggedIn);
      releaseModule(location.modulePath, loaded);
      throw unavailable(error, `opening token "${location.tokenLabel}"`);
    }
  }

  /** The session handle; valid inside `run` only, since `renew` may replace it. */
  get current(): Handle {
    return this.handle;
  }

  /** Runs `use` alone on the session; callers queue in order. */
  run<T>(use: () => T | Promise<T>): Promise<T> {
    const result = this.queue.then(() => {
      if (this.closed) throw new KeyUnavailableError('the PKCS#11 key manager is closed');
      return use();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Every object matching the template (call inside `run`). */
  find(template: Template): Handle[] {
    const { lib, handle } = this;
    lib.C_FindObjectsInit(handle, template);
    try {
      const found: Handle[] = [];
      for (let batch = lib.C_FindObjects(handle, 64); batch.length > 0;) {
        found.push(...batch);
        batch = lib.C_FindObjects(handle, 64);
      }
      return found;
    } finally {
      lib.C_FindObjectsFinal(handle);
    }
  }

  /**
   * Swaps in a fresh session (call inside `run`): after an unexpected failure an encrypt or
   * decrypt operation may still be active on the old one and would block every later call.
   * The new session opens first so the application never drops its login.
   */
  renew(): void {
    const fresh = this.lib.C_OpenSession(
      this.slot,
      pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION,
    );
    const old = this.handle;
    this.handle = fresh;
    try {
      this.lib.C_CloseSession(old);
    } catch {
      // The old session is unusable either way; the fresh one is what matters.
    }
  }

  /** Closes the session; the last user of the token logs out, the last of the module finalizes. */
  close(): Promise<void> {
    // Idempotent: the module and login counts must be released exactly once.
    this.closing ??= this.run(() => {
      this.closed = true;
      closeQuietly(this.loaded, slotKey(this.slot), this.handle, true);
      releaseModule(this.location.modulePath, this.loaded);
    });
    return this.closing;
  }
}

function slotKey(slot: Handle): string {
  return slot.toString('hex');
}

function logIn(loaded: LoadedModule, slotHandle: Handle, session: Handle, pin: string): void {
  const key = slotKey(slotHandle);
  const pinDigest = createHash('sha256').update(pin).digest();
  const login = loaded.logins.get(key);
  if (login) {
    // Already logged in by another manager of this process: the PIN must still be the right one.
    if (!timingSafeEqual(login.pinDigest, pinDigest)) {
      throw new KeyUnavailableError('this token is already open with a different PIN');
    }
    login.users += 1;
    return;
  }
  try {
    loaded.lib.C_Login(session, pkcs11js.CKU_USER, pin);
  } catch (error) {
    // Logged in by other code of this process (not a manager): the session is usable as is.
    if (pkcs11Code(error) !== pkcs11js.CKR_USER_ALREADY_LOGGED_IN) throw error;
  }
  loaded.logins.set(key, { users: 1, pinDigest });
}

function closeQuietly(loaded: LoadedModule, key: string, session: Handle, loggedIn: boolean) {
  const login = loaded.logins.get(key);
  try {
    if (loggedIn && login) {
      login.users -= 1;
      if (login.users === 0) {
        loaded.logins.delete(key);
        loaded.lib.C_Logout(session);
      }
    }
  } catch {
    // Closing the application's last session ends the login anyway.
  }
  try {
    loaded.lib.C_CloseSession(session);
  } catch {
    // Nothing more can be done for a session that will not close.
  }
}
