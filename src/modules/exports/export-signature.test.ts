import { describe, expect, it } from 'vitest';
import type { AppDeps } from '../../deps.js';
import { signPrefixedStatement, statementPrefix } from './export-signature.js';

describe('signPrefixedStatement', () => {
  it('refuses bytes that do not start with the context of the statement named', async () => {
    // No key is reached: the context is checked first, so a bare deps object is enough.
    const deps = {} as AppDeps;
    const manifest = Buffer.concat([statementPrefix('export-manifest'), Buffer.from('{}\n')]);
    await expect(signPrefixedStatement(deps, 't', 'erasure-certificate', manifest)).rejects.toThrow(
      /not a erasure-certificate statement/,
    );
    await expect(
      signPrefixedStatement(deps, 't', 'export-manifest', Buffer.from('{}\n')),
    ).rejects.toThrow(/context line is missing/);
  });
});
