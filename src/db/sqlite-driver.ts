import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SelectQueryNode,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import { currentPendingCommits } from './durability.js';

/**
 * The SQLite driver, with group commit. better-sqlite3 is synchronous: with synchronous=FULL
 * each COMMIT waits for an fsync on the event loop (3-4 ms on this kind of disk), and one commit
 * per request makes every request queue behind the others' fsyncs. Here:
 * - the transactions of concurrent units of work (requests, src/db/durability.ts) are savepoints
 *   of one open group transaction, which commits once, on the next turn of the event loop, for
 *   all of them (atomicity per unit is its savepoint's: a unit rolled back leaves nothing);
 * - that COMMIT writes the write-ahead log without syncing it (synchronous=NORMAL), and the log
 *   is then fsynced on the thread pool, one fsync for every group committed since the last one:
 *   the event loop never waits for the disk;
 * - a unit answers only once the fsync after its group (or after anything it read) is done; a
 *   group that fails to commit, or whose fsync fails, fails every unit in it, none of which has
 *   answered yet.
 * Work outside any unit (jobs, commands, start-up) commits the open group first, then runs as
 * with a plain driver and synchronous=FULL: what it wrote is on disk when it returns. (What it
 * reads may be a group's that is committed and not yet synced, as any other reader may.)
 */
export class GroupCommitDriver implements Driver {
  readonly #db: BetterSqlite3.Database;
  readonly #mutex = new Mutex();
  readonly #statements = new StatementCache();
  readonly #connection: GroupConnection;
  readonly #log: WriteAheadLog | null;
  #group: Group | null = null;
  readonly #onDurable: ((units: number) => void) | undefined;

  /**
   * `walFile`: the database's write-ahead log, which the driver fsyncs itself (the connection
   * runs with synchronous=NORMAL); null for a database in memory, with no disk to wait for.
   */
  constructor(
    db: BetterSqlite3.Database,
    options: {
      walFile: string | null;
      /** Told, each time groups are made durable, how many units of work they held. */
      onDurable?: (units: number) => void;
      /** The log could not be synced: what was committed may be lost (see WriteAheadLog). */
      onSyncFailure?: (error: unknown) => void;
    },
  ) {
    this.#db = db;
    this.#connection = new GroupConnection(this);
    this.#log =
      options.walFile === null
        ? null
        : new WriteAheadLog(options.walFile, options.onDurable, options.onSyncFailure);
    this.#onDurable = options.onDurable;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const tx = connection as GroupConnection;
    if (currentPendingCommits()) {
      const group = this.#group ?? this.#openGroup();
      // One name for all: the connection's mutex holds one transaction at a time, so one unit
      // savepoint at most is open, and its few statements stay in the statement cache.
      const savepoint = 'cloison_unit';
      this.#exec(`savepoint ${savepoint}`);
      tx.transaction = { group, savepoint, lost: false, wrote: false };
      group.units += 1;
    } else {
      this.#commitGroup();
      this.#exec('begin');
      tx.transaction = { group: null, savepoint: null, lost: false, wrote: false };
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const tx = (connection as GroupConnection).transaction;
    if (!tx) throw new Error('no transaction to commit');
    if (tx.lost) throw new TransactionLostError();
    if (tx.group) {
      this.#exec(`release ${tx.savepoint}`);
      currentPendingCommits()?.dependOn(tx.group.durable);
    } else {
      // On failure Kysely rolls back: the transaction stays known until then.
      this.#exec('commit');
      if (tx.wrote) this.#log?.syncNow();
    }
    (connection as GroupConnection).transaction = null;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const conn = connection as GroupConnection;
    const tx = conn.transaction;
    conn.transaction = null;
    if (!tx || !this.#db.inTransaction) return;
    if (tx.group) {
      if (!tx.lost && this.#group === tx.group) {
        this.#exec(`rollback to ${tx.savepoint}`);
        this.#exec(`release ${tx.savepoint}`);
      }
      // It read the group's state before giving up: its answer waits for that state too.
      currentPendingCommits()?.dependOn(tx.group.durable);
    } else if (!tx.lost) {
      this.#exec('rollback');
    }
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.#runSavepointCommand(connection as GroupConnection, `savepoint ${quoted(name)}`);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.#runSavepointCommand(connection as GroupConnection, `rollback to ${quoted(name)}`);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.#runSavepointCommand(connection as GroupConnection, `release ${quoted(name)}`);
  }

  async destroy(): Promise<void> {
    await this.#mutex.lock();
    try {
      this.#commitGroup();
      this.#log?.syncNow();
      this.#log?.close();
      this.#db.close();
    } finally {
      this.#mutex.unlock();
    }
  }

  /** One statement on the held connection (GroupConnection.executeQuery). */
  run<R>(connection: GroupConnection, query: CompiledQuery): QueryResult<R> {
    if (connection.transaction) return this.#runInTransaction(connection, query);
    const statement = this.#statements.prepare(this.#db, query.sql);
    const pending = currentPendingCommits();
    if (!pending || isControl(query.sql)) {
      // A pragma or VACUUM cannot run inside the group; work outside a unit is durable on return.
      this.#commitGroup();
      const result = execute<R>(statement, query);
      if (!statement.readonly) this.#log?.syncNow();
      return result;
    }
    const group = this.#group ?? (statement.readonly ? null : this.#openGroup());
    if (group) pending.dependOn(group.durable);
    // It may read what an earlier group committed and the disk does not hold yet.
    else this.#log?.dependOnUnsynced(pending);
    try {
      return execute<R>(statement, query);
    } catch (error) {
      this.#noticeLostGroup(error);
      throw error;
    }
  }

  /** Rows one at a time, for the streaming reads of long lists. */
  *stream<R>(query: CompiledQuery): IterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('only select queries stream');
    const pending = currentPendingCommits();
    if (!pending) this.#commitGroup();
    else if (this.#group) pending.dependOn(this.#group.durable);
    else this.#log?.dependOnUnsynced(pending);
    // Never from the cache: an iterating statement is busy until it ends.
    const statement = this.#db.prepare(query.sql);
    for (const row of statement.iterate(query.parameters as unknown[])) {
      yield { rows: [row as R] };
    }
  }

  #runInTransaction<R>(connection: GroupConnection, query: CompiledQuery): QueryResult<R> {
    const tx = connection.transaction!;
    if (tx.lost) throw new TransactionLostError();
    try {
      const statement = this.#statements.prepare(this.#db, query.sql);
      if (!statement.readonly) tx.wrote = true;
      return execute<R>(statement, query);
    } catch (error) {
      // Some failures (disk full, I/O error) end the whole transaction, not just the statement:
      // nothing after them may run in autocommit as if it were still part of it.
      if (!this.#db.inTransaction) {
        tx.lost = true;
        this.#noticeLostGroup(error);
      }
      throw error;
    }
  }

  #runSavepointCommand(connection: GroupConnection, sql: string): void {
    this.#runInTransaction(connection, CompiledQuery.raw(sql));
  }

  #openGroup(): Group {
    this.#exec('begin');
    const group = new Group();
    this.#group = group;
    // After the current turn's callbacks: whatever else is running now joins this commit.
    setImmediate(() => void this.#commitLater(group));
    return group;
  }

  async #commitLater(group: Group): Promise<void> {
    await this.#mutex.lock();
    try {
      if (this.#group === group) this.#commitGroup();
    } finally {
      this.#mutex.unlock();
    }
  }

  /** Commits the open group; its units learn the outcome through their pending commits. */
  #commitGroup(): void {
    const group = this.#group;
    if (!group) return;
    this.#group = null;
    try {
      this.#exec('commit');
    } catch (error) {
      if (this.#db.inTransaction) {
        try {
          this.#exec('rollback');
        } catch {
          // The commit's error is the one to report.
        }
      }
      group.fail(error);
      return;
    }
    if (this.#log) this.#log.syncSoon(group);
    else {
      this.#onDurable?.(group.units);
      group.succeed();
    }
  }

  #noticeLostGroup(error: unknown): void {
    if (this.#group && !this.#db.inTransaction) {
      const group = this.#group;
      this.#group = null;
      group.fail(error);
    }
  }

  #exec(sql: string): void {
    this.#statements.prepare(this.#db, sql).run();
  }
}

/**
 * The fsyncs of the write-ahead log. One at a time on the thread pool: the groups committed
 * while one runs wait for the next, which covers them all (an fsync makes durable everything
 * written to the file before it started).
 */
class WriteAheadLog {
  #fd: number | null = null;
  #inode = 0;
  #running = false;
  #waiting: Group[] = [];
  /** Groups committed and not yet on disk, the last one last. */
  #unsynced: Group[] = [];

  constructor(
    private readonly file: string,
    /** Told, after each fsync, how many units of work it made durable together. */
    private readonly onDurable: ((units: number) => void) | undefined,
    /**
     * Told when the log could not be synced. Every group waiting fails, but their COMMITs were
     * done: others read and build on them, and a later fsync may well succeed after the kernel
     * dropped the pages that failed. Nothing is safe to acknowledge after that but a restart.
     */
    private readonly onSyncFailure: ((error: unknown) => void) | undefined,
  ) {}

  /** After its COMMIT: `group` is durable once an fsync started after now is done. */
  syncSoon(group: Group): void {
    this.#waiting.push(group);
    this.#unsynced.push(group);
    this.#next();
  }

  /** A unit that reads now may see every group committed so far: it waits for them too. */
  dependOnUnsynced(pending: { dependOn(durable: Promise<void>): void }): void {
    const last = this.#unsynced.at(-1);
    if (last) pending.dependOn(last.durable);
  }

  /** Syncs on the event loop after a plain write (as synchronous=FULL would), settling every group. */
  syncNow(): void {
    try {
      const fd = this.#descriptor();
      if (fd !== null) fs.fsyncSync(fd);
    } catch (error) {
      this.#failed(error);
      throw error;
    }
    this.#settle([...this.#unsynced], null);
  }

  close(): void {
    if (this.#fd !== null) fs.closeSync(this.#fd);
    this.#fd = null;
  }

  #next(): void {
    if (this.#running || this.#waiting.length === 0) return;
    let fd: number | null;
    try {
      fd = this.#descriptor();
    } catch (error) {
      this.#failed(error);
      return;
    }
    const batch = this.#waiting.splice(0);
    if (fd === null) {
      this.#settle(batch, null);
      return;
    }
    this.#running = true;
    fs.fsync(fd, (error) => {
      this.#running = false;
      if (error) {
        this.#failed(error);
        return;
      }
      this.#settle(batch, null);
      this.#next();
    });
  }

  /** The log could not be synced: every group not yet durable fails, and the owner is told. */
  #failed(error: unknown): void {
    this.#settle([...new Set([...this.#unsynced, ...this.#waiting])], error);
    this.onSyncFailure?.(error);
  }

  #settle(batch: Group[], error: unknown): void {
    if (!error && batch.length > 0) this.onDurable?.(batch.reduce((n, g) => n + g.units, 0));
    const done = new Set(batch);
    this.#waiting = this.#waiting.filter((g) => !done.has(g));
    this.#unsynced = this.#unsynced.filter((g) => !done.has(g));
    for (const group of batch) {
      if (error) group.fail(error);
      else group.succeed();
    }
  }

  /**
   * The log's descriptor, opened again if SQLite replaced the file; null when there is no log
   * (never written yet, or removed after a checkpoint: then the database file holds everything).
   */
  #descriptor(): number | null {
    let inode: number;
    try {
      inode = fs.statSync(this.file).ino;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    if (this.#fd !== null && inode === this.#inode) return this.#fd;
    this.close();
    this.#fd = fs.openSync(this.file, 'r');
    this.#inode = inode;
    // The log's name in its directory must survive a power cut as well as its content.
    const dir = fs.openSync(path.dirname(this.file), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
    return this.#fd;
  }
}

class GroupConnection implements DatabaseConnection {
  transaction: {
    group: Group | null;
    savepoint: string | null;
    lost: boolean;
    /** A statement that may have changed something ran in it. */
    wrote: boolean;
  } | null = null;
  constructor(private readonly driver: GroupCommitDriver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return Promise.resolve(this.driver.run<R>(this, query));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield* this.driver.stream<R>(query);
  }
}

/** The units of work that will be durable with one COMMIT. */
class Group {
  units = 0;
  readonly durable: Promise<void>;
  succeed!: () => void;
  fail!: (error: unknown) => void;
  constructor() {
    this.durable = new Promise<void>((resolve, reject) => {
      this.succeed = resolve;
      this.fail = (error) => reject(new GroupCommitError(error));
    });
    // Units await it; a group no unit waited for must not crash the process when it fails.
    this.durable.catch(() => undefined);
  }
}

/** The group a unit joined could not be committed: none of its changes is on disk. */
class GroupCommitError extends Error {
  constructor(readonly reason: unknown) {
    super('the group commit failed', { cause: reason });
  }
}

/** A statement after a failure that ended its transaction. */
class TransactionLostError extends Error {
  constructor() {
    super('the transaction was ended by an earlier failure');
  }
}

function execute<R>(statement: BetterSqlite3.Statement, query: CompiledQuery): QueryResult<R> {
  const parameters = query.parameters as unknown[];
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

const CONTROL =
  /^\s*(?:pragma|vacuum|begin|commit|end|rollback|savepoint|release|attach|detach)\b/i;

function isControl(sql: string): boolean {
  return CONTROL.test(sql);
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Prepared statements by SQL text: Kysely's own driver prepares each statement again on every
 * call, which for the short queries of a request costs more than running them.
 */
class StatementCache {
  static readonly SIZE = 500;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  prepare(db: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (statement) {
      // Least recently used first in the map's order.
      this.#statements.delete(sql);
    } else {
      statement = db.prepare(sql);
      if (this.#statements.size >= StatementCache.SIZE) {
        this.#statements.delete(this.#statements.keys().next().value!);
      }
    }
    this.#statements.set(sql, statement);
    return statement;
  }
}

/** One holder of the connection at a time, served in the order they asked. */
class Mutex {
  #held = false;
  readonly #waiting: Array<() => void> = [];

  async lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  unlock(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}
