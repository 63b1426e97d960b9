import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The lint rules that keep authorization and SQL where they belong, run on probe sources as if
 * they were files of src/: a direct authorize() would skip the audit's on-behalf-of and
 * break-glass note, and a query in a service would escape the repositories' tenant scope.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: ROOT });

async function rulesHit(file: string, source: string): Promise<Array<string | null>> {
  const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, file) });
  return result!.messages.map((m) => m.ruleId);
}

const DIRECT_AUTHORIZE = `import { authorize } from '../../policy/authorize.js';\nexport const probe = authorize;\n`;
const QUERY = `import type { DbOrTx } from '../../db/database.js';\nexport const probe = (db: DbOrTx) => db.selectFrom('cases').selectAll().execute();\n`;
const RAW_SQL = `import { sql } from 'kysely';\nexport const probe = sql\`select 1\`;\n`;

describe('boundary rules', () => {
  it('refuse authorize() outside src/policy and the authorization helper', async () => {
    expect(await rulesHit('src/modules/cases/probe.service.ts', DIRECT_AUTHORIZE)).toContain(
      'no-restricted-imports',
    );
    expect(await rulesHit('src/modules/authorization/probe.ts', DIRECT_AUTHORIZE)).not.toContain(
      'no-restricted-imports',
    );
  });

  it('refuse a query or an sql template outside repositories and src/db', async () => {
    for (const source of [QUERY, RAW_SQL]) {
      expect(await rulesHit('src/modules/cases/probe.service.ts', source)).toContain(
        'no-restricted-syntax',
      );
      expect(await rulesHit('src/modules/cases/probe.repository.ts', source)).not.toContain(
        'no-restricted-syntax',
      );
      expect(await rulesHit('src/db/probe.ts', source)).not.toContain('no-restricted-syntax');
    }
  });
});
