import { buildApp, type BuiltApp } from '../app.js';
import type { Config } from '../config.js';
import type { AppDeps } from '../deps.js';
import { Problem } from '../errors.js';
import { lockDataDir } from '../storage/data-dir-lock.js';
import { CommandRefused } from './command-refused.js';

/**
 * Runs a command that writes the platform: under the data directory's lock, with the app built
 * (migrated, keys open) and closed after; a refusal of the domain (a Problem) becomes the
 * command's one-line refusal. `cleanUp` runs after the lock is given back, whatever happened.
 */
export async function withPlatform<T>(
  config: Config,
  run: (deps: AppDeps) => Promise<T>,
  cleanUp: (succeeded: boolean) => void = () => undefined,
): Promise<T> {
  let succeeded = false;
  const lock = lockDataDir(config.dataDir);
  try {
    const { app, deps }: BuiltApp = await buildApp({ config });
    try {
      const result = await run(deps);
      succeeded = true;
      return result;
    } finally {
      await app.close();
    }
  } catch (error) {
    if (error instanceof Problem) throw new CommandRefused(error.detail ?? error.title);
    throw error;
  } finally {
    lock.release();
    cleanUp(succeeded);
  }
}
