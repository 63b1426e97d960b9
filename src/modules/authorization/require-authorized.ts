import type { DbOrTx } from '../../db/database.js';
import { unsafeRowExists, type UnsafeExistsTable } from '../../db/unsafe-exists.js';
import type { Actor } from '../../policy/actor.js';
import type { Action } from '../../policy/actions.js';
import { accessNote, authorize, type Resource } from '../../policy/authorize.js';
import { noteAccess } from '../audit/request-audit.js';

/** How to load one object the client named, within the actor's scope, and what the policy sees. */
export interface ScopedLookup<Row, R extends Resource> {
  /** The type and id the client named: a refusal of what could not be loaded names them. */
  readonly type: string;
  readonly id: string;
  /**
   * Where such objects live: only to label a refusal (present, out of scope) apart from a
   * missing object in the security event. The client sees the same 404 either way.
   */
  readonly table: UnsafeExistsTable;
  /** Loads the object within the actor's scope (tenant and relation in the WHERE clause). */
  readonly find: () => Promise<Row | null | undefined>;
  /** The facts the policy decides on, from the loaded row. */
  readonly facts: (row: Row) => R;
}

/**
 * The one way a service reaches an object the client named: load it in scope, decide, record
 * what the audit needs, return the row. Missing and refused end in the same 404.
 */
export async function requireAuthorized<Row, R extends Resource>(
  db: DbOrTx,
  actor: Actor,
  action: Action,
  lookup: ScopedLookup<Row, R>,
): Promise<Row> {
  const row = (await lookup.find()) ?? null;
  const resource = row === null ? null : lookup.facts(row);
  const existsOutOfScope =
    row === null ? await unsafeRowExists(db, lookup.table, lookup.id) : false;
  authorize(actor, action, resource, { type: lookup.type, id: lookup.id, existsOutOfScope });
  noteAccess(accessNote(actor, action, resource));
  // Not null: authorize() threw otherwise, and resource was built from it.
  return row as Row;
}

/**
 * A further decision on an object already loaded and authorized (adding a document of a given
 * category to a case, editing a draft): refused answers as missing, the audit is told.
 */
export function requireAllowed(actor: Actor, action: Action, resource: Resource): void {
  authorize(actor, action, resource, { type: resource.type, id: resource.id });
  noteAccess(accessNote(actor, action, resource));
}
