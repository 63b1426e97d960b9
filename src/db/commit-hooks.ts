import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import { outsideGroupCommit } from './durability.js';

/**
 * Something to write in the same transaction as the first change a unit of work commits: the
 * audit event of a write request, which a reader must be able to trust as the change's own
 * record. Services open their transactions as they always did; the driver below runs the
 * hook just before the first COMMIT that changed data, so the change and its record commit
 * together or not at all — no service can forget it.
 */
export interface CommitHook {
  /** Set once the hook ran inside a committed (or committing) transaction. */
  done: boolean;
  /** Writes to these tables are bookkeeping (the log itself, throttles), not "the change". */
  readonly ignoredTables: ReadonlySet<string>;
  run(execute: (query: CompiledQuery) => Promise<QueryResult<unknown>>): Promise<void>;
}

const scope = new AsyncLocalStorage<CommitHook>();

/** Runs `work` with a hook for its first data-changing commit. */
export function withCommitHook<T>(hook: CommitHook, work: () => Promise<T>): Promise<T> {
  return scope.run(hook, work);
}

/**
 * Runs `work` outside any unit of work: background tasks a request starts but does not own,
 * which neither record for it nor hold its answer back (their commits are durable on return).
 */
export function outsideCommitHook<T>(work: () => T): T {
  return scope.exit(() => outsideGroupCommit(work));
}

const WRITE =
  /^\s*(?:insert(?:\s+or\s+\w+)?\s+into|replace\s+into|update|delete\s+from)\s+"?(\w+)"?/i;

/** The table a statement changes, '' for a change we cannot name (a CTE), null for a read. */
function changedTable(sql: string): string | null {
  const match = WRITE.exec(sql);
  if (match) return match[1]!.toLowerCase();
  return /^\s*with\b[\s\S]*\b(insert|update|delete)\b/i.test(sql) ? '' : null;
}

class TrackedConnection implements DatabaseConnection {
  inTransaction = false;
  dirty = false;
  constructor(
    readonly inner: DatabaseConnection,
    private readonly driver: Driver,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const hook = scope.getStore();
    const table = hook && !hook.done ? changedTable(query.sql) : null;
    const counts = table !== null && !hook!.ignoredTables.has(table);
    if (!counts) return this.inner.executeQuery<R>(query);
    if (this.inTransaction) {
      this.dirty = true;
      return this.inner.executeQuery<R>(query);
    }
    // A change made outside a transaction: wrap it in one with its record.
    await this.driver.beginTransaction(this.inner, {});
    try {
      const result = await this.inner.executeQuery<R>(query);
      await hook!.run((q) => this.inner.executeQuery(q));
      await this.driver.commitTransaction(this.inner);
      hook!.done = true;
      return result;
    } catch (error) {
      await this.driver.rollbackTransaction(this.inner).catch(() => undefined);
      throw error;
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class CommitHookDriver implements Driver {
  constructor(private readonly inner: Driver) {}
  init() {
    return this.inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new TrackedConnection(await this.inner.acquireConnection(), this.inner);
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const tracked = connection as TrackedConnection;
    await this.inner.beginTransaction(tracked.inner, settings);
    tracked.inTransaction = true;
    tracked.dirty = false;
  }
  async commitTransaction(connection: DatabaseConnection) {
    const tracked = connection as TrackedConnection;
    const hook = scope.getStore();
    const recording = hook !== undefined && !hook.done && tracked.dirty;
    // Throwing here makes Kysely roll the transaction back: no change without its record.
    if (recording) await hook.run((q) => tracked.inner.executeQuery(q));
    tracked.inTransaction = false;
    await this.inner.commitTransaction(tracked.inner);
    if (recording) hook.done = true;
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    const tracked = connection as TrackedConnection;
    tracked.inTransaction = false;
    await this.inner.rollbackTransaction(tracked.inner);
  }
  savepoint(...args: Parameters<NonNullable<Driver['savepoint']>>) {
    return this.inner.savepoint!((args[0] as TrackedConnection).inner, args[1], args[2]);
  }
  rollbackToSavepoint(...args: Parameters<NonNullable<Driver['rollbackToSavepoint']>>) {
    return this.inner.rollbackToSavepoint!((args[0] as TrackedConnection).inner, args[1], args[2]);
  }
  releaseSavepoint(...args: Parameters<NonNullable<Driver['releaseSavepoint']>>) {
    return this.inner.releaseSavepoint!((args[0] as TrackedConnection).inner, args[1], args[2]);
  }
  releaseConnection(connection: DatabaseConnection) {
    return this.inner.releaseConnection((connection as TrackedConnection).inner);
  }
  destroy() {
    return this.inner.destroy();
  }
}

/** Wraps a dialect so that every connection honours the unit of work's commit hook. */
export function withCommitHooks(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new CommitHookDriver(dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}

/** The unit of work's hook, for code that adds to what it will record. */
export function currentCommitHook(): CommitHook | undefined {
  return scope.getStore();
}
