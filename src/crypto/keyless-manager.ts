import { KeyUnavailableError, type KeyManager } from './key-manager.js';

/** For commands that build the server without touching data (listing routes): any use fails. */
export function keylessManager(): KeyManager {
  const refuse = async (): Promise<never> => {
    throw new KeyUnavailableError('this command runs without a key manager');
  };
  return {
    kind: 'local',
    ensureTenantKey: refuse,
    currentVersion: refuse,
    versions: refuse,
    rotate: refuse,
    retire: refuse,
    wrap: refuse,
    unwrap: refuse,
    assertUsable: refuse,
    close: async () => undefined,
  };
}
