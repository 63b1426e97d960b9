import fs from 'node:fs';
import type { Config } from '../config.js';
import { databaseExists, openDatabase } from '../db/database.js';
import { assertNotNewer } from '../db/migrate.js';
import { tokenLink } from '../modules/self-service/account-mails.js';
import { createTenant } from '../modules/tenants/tenant-creation.service.js';
import { restoreTenantAdmin } from '../modules/tenants/admin-recovery.service.js';
import { parseFounder } from '../modules/tenants/founder.js';
import { listTenantsWithAdmins } from '../modules/tenants/tenant.repository.js';
import { withPlatform } from './with-platform.js';
import { CommandRefused } from './command-refused.js';
import { linkOrigin, writeLinkFile } from './init.js';

export const TENANTS_USAGE = `cloison tenants <command> [options]

  create --code 44 --name "MDPH de Loire-Atlantique"
         --admin "Prénom Nom <adresse>" --admin "Prénom Nom <adresse>" [--link-file FILE]
                 create a département: its tenant key, audit chain and signing key, decoy case
                 and its first two administrators, whose one-time activation links are printed
                 (or written to FILE, mode 600); needs the server stopped (it takes the lock).
                 While the server runs, the operator uses POST /api/v1/tenants (links by mail).
  list           the départements, with how many admins are active or still to activate
  add-admin --code 44 --admin "Prénom Nom <adresse>" [--link-file FILE]
                 a new admin for a département left with fewer than two (refused otherwise:
                 two admins make every other account between them); server stopped
`;

export interface TenantsArgs {
  readonly command: string | undefined;
  readonly code: string | undefined;
  readonly name: string | undefined;
  readonly admins: readonly string[];
  readonly linkFile: string | undefined;
}

/** Runs one `cloison tenants` command; returns the exit code. */
export async function runTenants(config: Config, args: TenantsArgs): Promise<number> {
  if (args.command === 'list') return listTenants(config);
  if (args.command === 'add-admin') return addAdmin(config, args);
  if (args.command !== 'create') {
    process.stderr.write(TENANTS_USAGE);
    return 64;
  }
  if (!args.code || !args.name || args.admins.length !== 2)
    throw new CommandRefused(
      'tenants create needs --code, --name and exactly two --admin "Prénom Nom <adresse>"',
      64,
    );
  if (!databaseExists(config))
    throw new CommandRefused(`${config.dataDir} holds no platform: run \`cloison init\` first`);
  // Made before anything is created, so a link file that cannot be written refuses the command
  // instead of leaving admins whose links nobody has.
  const reserved = reserveLinkFile(args);
  return withPlatform(
    config,
    async (deps) => {
      const created = await createTenant(
        deps,
        { kind: 'cli' },
        { code: args.code!, name: args.name!, admins: args.admins.map(parseFounder) },
      );
      const lines = created.admins.map((a) => linkLine(config, a));
      handOver(args, `département ${created.tenant.code} (${created.tenant.name}) created`, lines);
      return 0;
    },
    (succeeded) => unreserve(reserved, succeeded),
  );
}

/** Creates --link-file empty (0600, a new file), or null without one. */
function reserveLinkFile(args: TenantsArgs): string | null {
  if (!args.linkFile) return null;
  writeLinkFile(args.linkFile, '');
  return args.linkFile;
}

/** A link file reserved for a command that then failed holds nothing: it goes. */
function unreserve(reserved: string | null, succeeded: boolean): void {
  if (reserved && !succeeded) fs.rmSync(reserved, { force: true });
}

function linkLine(
  config: Config,
  a: { displayName: string; email: string; activationToken: string },
): string {
  return `${a.displayName} <${a.email}>: ${tokenLink(linkOrigin(config), '/activation', a.activationToken)}`;
}

/** Prints the links, or writes them to the reserved --link-file. */
function handOver(args: TenantsArgs, what: string, lines: string[]): void {
  if (args.linkFile) {
    fs.writeFileSync(args.linkFile, `${lines.join('\n')}\n`);
    console.log(`${what}; the activation links are in ${args.linkFile}`);
  } else {
    console.log(`${what}; give each admin their own activation link (valid 72 hours, once):`);
    for (const line of lines) console.log(line);
  }
}

async function addAdmin(config: Config, args: TenantsArgs): Promise<number> {
  if (!args.code || args.admins.length !== 1)
    throw new CommandRefused(
      'tenants add-admin needs --code and one --admin "Prénom Nom <adresse>"',
      64,
    );
  if (!databaseExists(config)) throw new CommandRefused(`${config.dataDir} holds no platform`);
  const reserved = reserveLinkFile(args);
  return withPlatform(
    config,
    async (deps) => {
      const a = await restoreTenantAdmin(deps, args.code!, parseFounder(args.admins[0]!));
      handOver(args, `a new admin for département ${args.code}`, [linkLine(config, a)]);
      return 0;
    },
    (succeeded) => unreserve(reserved, succeeded),
  );
}

/** Read-only, so it runs beside a live server. */
async function listTenants(config: Config): Promise<number> {
  if (!databaseExists(config)) throw new CommandRefused(`${config.dataDir} holds no platform`);
  const db = openDatabase(config);
  try {
    await assertNotNewer(db);
    const rows = await listTenantsWithAdmins(db);
    if (rows.length === 0) console.log('no département yet: `cloison tenants create`');
    for (const r of rows)
      console.log(
        `${r.code.padEnd(4)}${r.name}  (created ${r.created_at.slice(0, 10)}; admins: ${Number(r.active_admins ?? 0)} active, ${Number(r.admins_to_activate ?? 0)} to activate)`,
      );
    return 0;
  } finally {
    await db.destroy();
  }
}
