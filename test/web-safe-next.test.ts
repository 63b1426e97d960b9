import { describe, expect, it } from 'vitest';
import { safeNext } from '../web/src/auth/safe-next.js';

/** The return address after sign-in (`/connexion?suite=`) never leads out of the application. */
describe('safeNext', () => {
  it.each([
    '/mon-espace/consultations',
    '/instruction?statut=depose&page=2',
    '/instruction/dossiers/3f2a-44',
  ])('keeps a path of the application: %s', (path) => {
    expect(safeNext(path)).toBe(path);
  });

  it.each([
    null,
    '',
    '//evil.example/x',
    '/\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    'mon-espace',
    '/%0d%0aLocation:%20x\n',
    ' /mon-espace',
    '/mon-espace#x',
  ])('refuses anything else: %s', (raw) => {
    expect(safeNext(raw)).toBeNull();
  });
});
