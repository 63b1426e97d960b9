import fs from 'node:fs';
import type { Config } from '../config.js';
import { openDatabase } from '../db/database.js';
import { readIdentityFile, BackupError } from '../modules/backup/archive.js';
import { tenantCodeOfLogKey } from '../modules/audit/log-key.repository.js';
import { unsafeListAllInstructions } from '../modules/exports/export-instruction.repository.js';
import { ExportFileError, verifyExportFile } from '../modules/exports/export-verify.js';

export const EXPORTS_USAGE = `  exports list     every export instruction: département, kind, status, fields, counts
  exports show ID  one instruction in full (what it says; never what it exported)
  exports verify FILE --identity KEYFILE [--public-key BASE64]
                   decrypt an export, check every entry against its manifest and the manifest's
                   signature (by the key given, as GET /api/v1/audit/checkpoint publishes it, or
                   else by a key of this data directory's platform) and print what it holds
`;

export interface ExportsArgs {
  sub: string | undefined;
  target: string | undefined;
  identity: string | undefined;
  publicKey: string | undefined;
}

const USAGE_ERROR = 64;

/** The exports command: reads the database, never writes it, and takes no lock. */
export async function runExports(config: Config, args: ExportsArgs): Promise<number> {
  if (args.sub === 'verify') return verify(config, args);
  if (args.sub !== 'list' && args.sub !== 'show') {
    console.error(`unknown exports command "${args.sub ?? ''}"\n\n${EXPORTS_USAGE}`);
    return USAGE_ERROR;
  }
  const db = openDatabase(config);
  try {
    const rows = await unsafeListAllInstructions(db);
    if (args.sub === 'list') {
      for (const r of rows) {
        console.log(
          `${r.id}  ${r.tenant}  ${r.kind.padEnd(9)} ${r.status.padEnd(9)} ${r.fields}  ${r.progress ?? ''}`,
        );
      }
      return 0;
    }
    const row = rows.find((r) => r.id === args.target);
    if (!row) {
      console.error(`no export instruction ${args.target ?? ''}`);
      return 1;
    }
    console.log(JSON.stringify(row, null, 2));
    return 0;
  } finally {
    await db.destroy();
  }
}

async function verify(config: Config, args: ExportsArgs): Promise<number> {
  if (!args.target || !args.identity) {
    console.error('exports verify FILE --identity KEYFILE (cloison help lists the options)');
    return USAGE_ERROR;
  }
  let db: ReturnType<typeof openDatabase> | null = null;
  try {
    const identities = readIdentityFile(args.identity);
    const given = args.publicKey ? Buffer.from(args.publicKey, 'base64') : null;
    // The key given, or this platform's key of the very département the manifest names.
    const trusted = async (key: Buffer, tenant: string) => {
      if (given) return given.equals(key);
      db ??= openDatabase(config);
      return (await tenantCodeOfLogKey(db, key)) === tenant;
    };
    const manifest = await verifyExportFile(fs.createReadStream(args.target), identities, trusted);
    const c = manifest.counts;
    console.log(
      `export intact: ${manifest.entries.length} entries match the signed manifest (${manifest.signedBy.name})`,
    );
    console.log(
      `instruction ${manifest.instruction.id} (${manifest.instruction.kind}): ${manifest.instruction.purpose}`,
    );
    console.log(
      `département: ${manifest.tenant}; recipient: ${manifest.instruction.recipient.name}`,
    );
    console.log(`fields: ${manifest.instruction.fields.join(', ') || '—'}`);
    console.log(
      `document categories: ${manifest.instruction.documentCategories.join(', ') || '—'}`,
    );
    console.log(
      `${c.cases} cases, ${c.persons} persons, ${c.documents} documents, ${c.bytes} bytes`,
    );
    // What the recipient sends back for a migration: proof they hold this very file.
    console.log(`manifest sha256: ${manifest.manifestSha256}`);
    if (manifest.receipt) console.log(`receipt: ${manifest.receipt}`);
    return 0;
  } catch (error) {
    if (error instanceof ExportFileError || error instanceof BackupError) {
      console.error(`export not intact: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    if (db) await (db as ReturnType<typeof openDatabase>).destroy();
  }
}
