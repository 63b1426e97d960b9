import type { Config } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { createMasterKeyFile } from '../crypto/master-key.js';
import { openKeyManager } from '../crypto/open-key-manager.js';
import { Vault } from '../crypto/vault.js';
import { listTenants } from '../modules/tenants/tenant.repository.js';
import { CommandRefused } from './command-refused.js';

export const KEYS_USAGE = `cloison keys <command> [options]

  init-master --out <file>            create a new master key file (mode 600) for the local keyring
  status [--tenant <code>]            tenant key versions and how many keys depend on each
  rotate --tenant <code>              create a new tenant key version; new data uses it
  rewrap --tenant <code>              move every wrapped key to the current version
                                      (documents are not decrypted: only 32-byte keys move)
  retire --tenant <code> --version N  destroy version N; refused while anything depends on it
                                      unless --force (then that data fails loudly, for good)
  --demo                              allow the demo master key kept in the data directory
`;

export interface KeysArgs {
  command: string | undefined;
  tenant?: string;
  version?: string;
  out?: string;
  force: boolean;
  demo: boolean;
}

/** Runs one `cloison keys` command; prints what it did; returns the exit code. */
export async function runKeys(config: Config, args: KeysArgs): Promise<number> {
  if (args.command === 'init-master') {
    if (!args.out) throw new CommandRefused('init-master needs --out <file>', 64);
    const source = createMasterKeyFile(args.out);
    console.log(`master key ${source.keys()[0]!.id} written to ${args.out} (mode 600)`);
    console.log(`start Cloison with CLOISON_MASTER_KEY_FILE=${args.out}; keep a copy offline`);
    return 0;
  }
  const db = openDatabase(config);
  await migrateToLatest(db);
  const keys = await openKeyManager(config, { demo: args.demo, warn: (m) => console.error(m) });
  const vault = new Vault(keys);
  try {
    const tenants = await listTenants(db);
    const pick = () => {
      const t = tenants.find((x) => x.code === args.tenant);
      if (!t)
        throw new CommandRefused(
          `no tenant with code "${args.tenant ?? ''}" (known: ${tenants.map((x) => x.code).join(', ')})`,
        );
      return t;
    };
    switch (args.command) {
      case 'status': {
        for (const t of args.tenant ? [pick()] : tenants) {
          const deps = await vault.dependents(db, t.id);
          console.log(`tenant ${t.code} (${keys.kind})`);
          for (const v of await keys.versions(t.id)) {
            const state = v.retiredAt ? `retired ${v.retiredAt}` : v.current ? 'current' : 'active';
            console.log(
              `  v${v.version}  ${state.padEnd(32)} ${deps.get(v.version) ?? 0} wrapped keys`,
            );
          }
        }
        return 0;
      }
      case 'rotate': {
        const t = pick();
        const version = await keys.rotate(t.id);
        console.log(
          `tenant ${t.code}: v${version} is now current; run \`cloison keys rewrap --tenant ${t.code}\``,
        );
        return 0;
      }
      case 'rewrap': {
        const t = pick();
        const { rewrapped, current } = await vault.rewrapTenant(db, t.id);
        console.log(`tenant ${t.code}: ${rewrapped} wrapped keys moved to v${current}`);
        return 0;
      }
      case 'retire': {
        const t = pick();
        const version = Number(args.version);
        if (!Number.isInteger(version) || version < 1)
          throw new CommandRefused('retire needs --version N', 64);
        const dependents = (await vault.dependents(db, t.id)).get(version) ?? 0;
        if (dependents > 0 && !args.force) {
          console.error(
            `tenant ${t.code}: ${dependents} wrapped keys still depend on v${version}; ` +
              'run rewrap first (or --force to make that data unreadable for good)',
          );
          return 1;
        }
        await keys.retire(t.id, version);
        console.log(`tenant ${t.code}: v${version} retired (${dependents} wrapped keys lost)`);
        return 0;
      }
      default:
        process.stderr.write(KEYS_USAGE);
        return 2;
    }
  } finally {
    await keys.close();
    await db.destroy();
  }
}
