import { CompiledQuery, type Compilable } from 'kysely';
import type { DbOrTx } from './database.js';

/** Stands for the argument at `index` while the query is compiled once. */
class Slot {
  constructor(readonly index: number) {}
}

interface Template {
  readonly sql: string;
  /** For each parameter of the SQL: the argument it takes, or the constant the query holds. */
  readonly parameters: ReadonlyArray<Slot | { readonly constant: unknown }>;
}

/**
 * A query that every request runs, built and compiled by Kysely once instead of on every call:
 * for the short queries of a request (the session, the audit chain's last link, its insert)
 * building and compiling cost more than SQLite running them. `build` must use each argument as a
 * value only, never to choose the query's shape (no condition on an argument, no array of
 * values): the shape compiled the first time is the shape of every later call. The SQL is kept
 * per dialect, so that a process holding two kinds of database compiles once for each.
 */
export function compiledOnce<A extends unknown[]>(
  build: (db: DbOrTx, ...args: A) => Compilable,
): (db: DbOrTx, ...args: A) => CompiledQuery {
  const templates = new WeakMap<object, Template>();
  return (db, ...args) => {
    const dialect = db.getExecutor().adapter;
    let template = templates.get(dialect);
    if (!template) {
      const slots = args.map((_, i) => new Slot(i)) as A;
      const compiled = build(db, ...slots).compile();
      const parameters = compiled.parameters.map((p) => (p instanceof Slot ? p : { constant: p }));
      const used = new Set(parameters.filter((p) => p instanceof Slot).map((p) => p.index));
      // An argument that is not a parameter was used for the shape (a slot is an object, so a
      // test on it always takes the same branch) or not at all: refused, since later calls
      // would silently run the first call's query.
      if (used.size !== args.length) {
        throw new Error(`a query compiled once uses ${used.size} of its ${args.length} arguments`);
      }
      template = { sql: compiled.sql, parameters };
      templates.set(dialect, template);
    }
    return CompiledQuery.raw(
      template.sql,
      template.parameters.map((p) => (p instanceof Slot ? args[p.index] : p.constant)),
    );
  };
}

/** The first row a compiled query answers, if any (executeTakeFirst for a compiled query). */
export async function firstRow<R>(db: DbOrTx, query: CompiledQuery): Promise<R | undefined> {
  const { rows } = await db.executeQuery<R>(query);
  return rows[0];
}
