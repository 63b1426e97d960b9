import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { initialisePlatform } from '../modules/platform/platform-init.service.js';
import { parseFounder } from '../modules/tenants/founder.js';
import { tokenLink } from '../modules/self-service/account-mails.js';
import { withPlatform } from './with-platform.js';
import { CommandRefused } from './command-refused.js';

const LOCK_FILE = 'cloison.lock';

/** Where a one-time link printed by a command points: the public address, or this machine. */
export function linkOrigin(config: Config): string {
  return config.publicUrl ?? `http://localhost:${config.port}`;
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * A real platform keeps its master key where a copy of the data directory does not reach, and in
 * a file Cloison can re-seal (an erasure re-seals the keyring, which is what makes copies taken
 * before unreadable); or in an HSM.
 */
function assertKeyCustody(config: Config): void {
  if (config.keyManager === 'pkcs11') return;
  const how =
    'create one with `cloison keys init-master --out /etc/cloison/master.key` (outside the data ' +
    'directory, mode 600, with an offline copy) and set CLOISON_MASTER_KEY_FILE to it, or use an ' +
    'HSM (CLOISON_KEY_MANAGER=pkcs11)';
  const key = config.masterKey;
  if (key === null) throw new CommandRefused(`init needs a master key: ${how}`, 78);
  if (key.kind === 'inline')
    throw new CommandRefused(
      `init refuses CLOISON_MASTER_KEY (a key in the environment cannot be re-sealed after an erasure): ${how}`,
      78,
    );
  if (isInside(key.path, config.dataDir))
    throw new CommandRefused(
      `the master key file ${key.path} is inside the data directory, so every copy of the data would carry its key: ${how}`,
      78,
    );
}

/** What is in the directory, the lock file aside; [] when it does not exist. */
function entriesOf(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((e) => e !== LOCK_FILE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Writes a one-time link to a new file only its owner can read; refuses an existing file. */
export function writeLinkFile(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CommandRefused(
      code === 'EEXIST'
        ? `${file} exists already: give --link-file a new file`
        : `cannot write ${file} (${code ?? 'error'})`,
    );
  }
}

export interface InitArgs {
  readonly operator: string | undefined;
  readonly linkFile: string | undefined;
}

/**
 * `cloison init`: on an empty data directory, the schema, the keyring and the first operator
 * account; prints its one-time activation link (or writes it to --link-file). Anything it made
 * is removed again when it fails, so the directory is empty as before.
 */
export async function runInit(config: Config, args: InitArgs): Promise<number> {
  if (!args.operator)
    throw new CommandRefused(
      'init needs --operator "Prénom Nom <adresse>": the first operator, a named person',
      64,
    );
  const operator = parseFounder(args.operator);
  if (args.linkFile && fs.existsSync(args.linkFile))
    throw new CommandRefused(`${args.linkFile} exists already: give --link-file a new file`);
  assertKeyCustody(config);
  const present = entriesOf(config.dataDir);
  if (present.length > 0)
    throw new CommandRefused(
      `${config.dataDir} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}): init only creates a new platform in an empty directory`,
    );
  const keyringOutside = !isInside(config.keyringFile, config.dataDir);
  if (config.keyManager === 'local' && keyringOutside && fs.existsSync(config.keyringFile))
    throw new CommandRefused(`the keyring ${config.keyringFile} exists already`);

  const existed = fs.existsSync(config.dataDir);
  return withPlatform(
    config,
    async (deps) => {
      const made = await initialisePlatform(deps, operator);
      const link = tokenLink(linkOrigin(config), '/activation', made.activationToken);
      if (args.linkFile) {
        writeLinkFile(args.linkFile, `${link}\n`);
        console.log(`platform initialised; the operator's activation link is in ${args.linkFile}`);
      } else {
        console.log('platform initialised; the operator activates the account with this link');
        console.log(
          '(valid 72 hours, once; then a second factor is enrolled at the first sign-in):',
        );
        console.log(link);
      }
      if (!config.publicUrl)
        console.log('CLOISON_PUBLIC_URL is not set: the link points at this machine');
      return 0;
    },
    (succeeded) => {
      if (!succeeded) undoInit(config, existed, keyringOutside);
    },
  );
}

/** Removes what a failed init made, leaving the directory as it was (empty or absent). */
function undoInit(config: Config, existed: boolean, keyringOutside: boolean): void {
  for (const entry of fs.readdirSync(config.dataDir))
    fs.rmSync(path.join(config.dataDir, entry), { recursive: true, force: true });
  if (!existed) fs.rmSync(config.dataDir, { recursive: true, force: true });
  if (keyringOutside) fs.rmSync(config.keyringFile, { force: true });
}
