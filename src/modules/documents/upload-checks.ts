import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { isoDay } from '../../clock.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import type { PersonCipher } from '../../crypto/vault.js';
import type { DocumentRow } from '../../db/schema.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { caseScope } from '../../policy/case.policy.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import type { ScopedCase } from '../cases/case.repository.js';
import { findPersonBirthDate } from '../persons/person.repository.js';
import { certificateDateProblem } from './certificate-date.js';
import { findDocumentInScope } from './document.repository.js';
import { PIECE_CATEGORY, type UploadQuery } from './document.schemas.js';

type Query = Static<typeof UploadQuery>;

const onField = (field: string, message: string) =>
  problems.validation(message, [{ path: `querystring/${field}`, message }]);

/** The certificate date of an upload, checked against today and the person's birth date. */
async function checkedIssuedOn(
  deps: AppDeps,
  found: ScopedCase,
  query: Query,
  cipher: PersonCipher,
): Promise<string | null> {
  if (query.piece !== 'certificat_medical') {
    if (query.issuedOn !== undefined) {
      throw onField('issuedOn', 'Seul le certificat médical porte une date (issuedOn).');
    }
    return null;
  }
  if (query.issuedOn === undefined) {
    throw onField('issuedOn', 'La date du certificat médical (issuedOn) est requise.');
  }
  const person = await findPersonBirthDate(deps.db, found.row.tenant_id, found.row.person_id);
  const birthDate = person
    ? cipher.open(sealedField.person(person.id, 'birth_date'), person.birth_date_enc)
    : '0000-01-01';
  const problem = certificateDateProblem(query.issuedOn, isoDay(deps.clock.now()), birthDate);
  if (problem) throw onField('issuedOn', problem);
  return query.issuedOn;
}

/**
 * The document an upload replaces: one the actor may read (a medical piece the actor cannot
 * read answers 404, like a missing one), of the same case and piece, still current.
 */
async function replacedDocument(
  deps: AppDeps,
  actor: Actor,
  found: ScopedCase,
  query: Query,
): Promise<DocumentRow | null> {
  const replaces = query.replaces;
  if (replaces === undefined) return null;
  const now = deps.clock.now().toISOString();
  const { document } = await requireAuthorized(deps.db, actor, 'document.read', {
    type: 'document',
    id: replaces,
    table: 'documents',
    find: () => findDocumentInScope(deps.db, caseScope(actor), replaces, now),
    facts: (hit) => ({
      type: 'document',
      id: hit.document.id,
      category: hit.document.category,
      case: hit.found.facts,
    }),
  });
  if (
    document.case_id !== found.row.id ||
    document.piece === null ||
    document.piece !== query.piece
  ) {
    throw problems.conflict(
      'replacement-mismatch',
      'Une pièce ne peut être remplacée que par la même pièce du même dossier.',
    );
  }
  if (document.superseded_by !== null) {
    throw problems.conflict('already-superseded', 'Cette pièce a déjà été remplacée.');
  }
  return document;
}

/**
 * Everything about an upload that can be refused before a byte of it is read: the piece's
 * category, the certificate's date, the document it replaces. A refusal stores nothing.
 */
export async function checkUploadMetadata(
  deps: AppDeps,
  actor: Actor,
  found: ScopedCase,
  query: Query,
  cipher: PersonCipher,
): Promise<{ issuedOn: string | null; replaced: DocumentRow | null }> {
  if (query.piece && PIECE_CATEGORY[query.piece] !== query.category) {
    throw problems.validation(
      `La pièce ${query.piece} relève de la catégorie ${PIECE_CATEGORY[query.piece]}.`,
    );
  }
  const issuedOn = await checkedIssuedOn(deps, found, query, cipher);
  const replaced = await replacedDocument(deps, actor, found, query);
  return { issuedOn, replaced };
}
