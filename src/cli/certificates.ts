import fs from 'node:fs';
import type { Config } from '../config.js';
import { databaseExists, openDatabaseReadOnly } from '../db/database.js';
import { tenantCodeOfLogKey } from '../modules/audit/log-key.repository.js';
import { CertificateError, verifyCertificate } from '../modules/erasure/erasure-certificate.js';

export const CERTIFICATES_USAGE = `  certificates verify FILE [--public-key BASE64]
                   check an erasure certificate as GET /api/v1/erasure-certificates/:id gives it:
                   its signature by the key given (as GET /api/v1/audit/checkpoint publishes it),
                   or else by a key of this data directory's platform; print what it certifies
`;

const USAGE_ERROR = 64;

/** The certificates command: reads the file, and the database only to trust a key. */
export async function runCertificates(
  config: Config,
  args: { sub: string | undefined; file: string | undefined; publicKey: string | undefined },
): Promise<number> {
  if (args.sub !== 'verify' || !args.file) {
    console.error(`certificates verify FILE\n\n${CERTIFICATES_USAGE}`);
    return USAGE_ERROR;
  }
  const given = args.publicKey ? Buffer.from(args.publicKey, 'base64') : null;
  let db: ReturnType<typeof openDatabaseReadOnly> | null = null;
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(args.file, 'utf8'));
    } catch {
      throw new CertificateError('the file is not JSON');
    }
    const statement = await verifyCertificate(parsed, async (key, tenant) => {
      if (given) return given.equals(key);
      if (!databaseExists(config)) return false;
      db ??= openDatabaseReadOnly(config);
      return (await tenantCodeOfLogKey(db, key)) === tenant;
    });
    console.log(`certificate intact, signed by ${statement.signedBy.name}`);
    console.log(
      `person ${statement.personId} of département ${statement.tenant} erased ${statement.erasedAt} (${statement.reason})`,
    );
    console.log(`data key destroyed: ${statement.dataKeyId}`);
    console.log(
      `copies taken before: ${statement.copiesUnreadable ? 'unreadable' : 'may still be readable'}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof CertificateError) {
      console.error(`certificate not intact: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    if (db) await (db as ReturnType<typeof openDatabaseReadOnly>).destroy();
  }
}
