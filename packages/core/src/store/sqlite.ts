import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { StoreError } from '../errors.js';

/** A value SQLite takes as a parameter or returns in a column. */
export type SqlValue = string | number | bigint | Uint8Array | null;

/** Parameters of a statement: positional, or one object of named parameters (`@name` in the SQL). */
export type SqlParameters = SqlValue[] | [Record<string, SqlValue>];

/** A prepared statement: the part of `better-sqlite3`'s and `node:sqlite`'s statements Tidemark uses. */
export interface SqliteStatement {
  run(...parameters: SqlParameters): { changes: number | bigint };
  get(...parameters: SqlParameters): unknown;
  all(...parameters: SqlParameters): unknown[];
}

/** An open SQLite database: the part of both drivers' connections Tidemark uses. */
export interface SqliteDatabase {
  exec(sql: string): void;
  /** A statement whose rows are objects, or with `arrays` arrays of column values (less to allocate). */
  prepare(sql: string, options?: { readonly arrays?: boolean }): SqliteStatement;
  /** Whether a transaction is open (SQLite may have rolled one back itself after an error). */
  readonly inTransaction: boolean;
  close(): void;
}

/** The SQLite drivers Tidemark can use. */
export const SqliteDriver = {
  /** Built into Node 24 and later: no native module to ship, the one the Lambda functions use. */
  NODE: 'node:sqlite',
  /** The native module, for Node versions without a stable `node:sqlite` (Node 20 and 22). */
  BETTER_SQLITE3: 'better-sqlite3',
} as const;
export type SqliteDriver = (typeof SqliteDriver)[keyof typeof SqliteDriver];

/** First Node major whose `node:sqlite` needs no flag and prints no experimental warning. */
const NODE_SQLITE_SINCE = 24;

/** The driver of this Node: `node:sqlite` from Node 24 on, else `better-sqlite3`. */
export function defaultSqliteDriver(version: string = process.versions.node): SqliteDriver {
  return Number(version.split('.')[0]) >= NODE_SQLITE_SINCE ? SqliteDriver.NODE : SqliteDriver.BETTER_SQLITE3;
}

/**
 * Opens (creating when missing) the SQLite database in `file` with this Node's driver. `better-sqlite3` is loaded
 * only when chosen, through `createRequire`, so a bundle for Node 24 (the Lambda functions) never contains it.
 *
 * @example
 * const db = openSqlite('/tmp/index.sqlite');
 * db.prepare('SELECT 1 AS one').get(); // { one: 1 }
 */
export function openSqlite(file: string): SqliteDatabase {
  return defaultSqliteDriver() === SqliteDriver.NODE ? openNodeSqlite(file) : openBetterSqlite3(file);
}

/** What Tidemark uses of `node:sqlite` (this project's Node types predate it). */
interface NodeSqliteModule {
  DatabaseSync: new (
    file: string,
  ) => Omit<SqliteDatabase, 'prepare' | 'inTransaction'> & {
    readonly isTransaction: boolean;
    prepare(sql: string): SqliteStatement & {
      setAllowUnknownNamedParameters(enabled: boolean): void;
      setReturnArrays(enabled: boolean): void;
    };
  };
}

function openNodeSqlite(file: string): SqliteDatabase {
  const sqlite = process.getBuiltinModule?.('node:sqlite') as NodeSqliteModule | undefined;
  if (!sqlite) throw new StoreError(`node:sqlite is not available in Node ${process.versions.node}`);
  const db = new sqlite.DatabaseSync(file);
  return {
    exec: (sql) => db.exec(sql),
    prepare: (sql, options) => {
      const statement = db.prepare(sql);
      // Like better-sqlite3: a parameter object may hold keys the statement does not name.
      statement.setAllowUnknownNamedParameters(true);
      if (options?.arrays) statement.setReturnArrays(true);
      return statement;
    },
    get inTransaction() {
      return db.isTransaction;
    },
    close: () => db.close(),
  };
}

type BetterSqlite3 = typeof import('better-sqlite3');

function openBetterSqlite3(file: string): SqliteDatabase {
  let Database: BetterSqlite3;
  try {
    Database = createRequire(import.meta.url)('better-sqlite3') as BetterSqlite3;
  } catch (error) {
    throw new StoreError(
      `Node ${process.versions.node} needs the better-sqlite3 package for the index (Node 24 and later have SQLite built in)`,
      { cause: error },
    );
  }
  const db = new Database(file);
  return {
    exec: (sql) => void db.exec(sql),
    prepare: (sql, options) => {
      const statement = db.prepare(sql);
      return (options?.arrays ? statement.raw(true) : statement) as unknown as SqliteStatement;
    },
    get inTransaction() {
      return db.inTransaction;
    },
    close: () => void db.close(),
  };
}

/**
 * Deletes an SQLite database file and the journal files beside it, where they exist: the write-ahead log first, so
 * that a process stopped half way leaves the database as its last checkpoint left it (an older state, but a
 * consistent one), never a log of other pages beside a new file.
 */
export function removeDatabaseFiles(file: string): void {
  for (const suffix of ['-wal', '-shm', '']) rmSync(`${file}${suffix}`, { force: true });
}

/** SQLite's result codes for a file it cannot read as a database. */
const UNREADABLE = { SQLITE_CORRUPT: 11, SQLITE_NOTADB: 26 } as const;

/**
 * Whether an error of either driver says the file is not a readable database (`SQLITE_CORRUPT`, `SQLITE_NOTADB`,
 * or one of their extended codes): better-sqlite3 names the code, node:sqlite numbers it.
 */
export function isUnreadableDatabase(error: unknown): boolean {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  return Object.entries(UNREADABLE).some(
    ([name, number]) =>
      (typeof code === 'string' && (code === name || code.startsWith(`${name}_`))) ||
      (typeof errcode === 'number' && (errcode & 0xff) === number),
  );
}

/**
 * `db`, reporting a file it cannot read as a database ({@link isUnreadableDatabase}) as `damaged(error)` from
 * whichever call meets it. SQLite reads a page only when a statement needs it, so a damaged page deep in a table
 * shows on the first use of that page, not when the file is opened.
 */
export function reportingDamage(db: SqliteDatabase, damaged: (error: unknown) => Error): SqliteDatabase {
  const rethrow = (error: unknown): never => {
    throw isUnreadableDatabase(error) ? damaged(error) : error;
  };
  return {
    exec(sql) {
      try {
        db.exec(sql);
      } catch (error) {
        rethrow(error);
      }
    },
    prepare(sql, options) {
      let statement: SqliteStatement;
      try {
        statement = db.prepare(sql, options);
      } catch (error) {
        return rethrow(error);
      }
      return {
        run(...parameters) {
          try {
            return statement.run(...parameters);
          } catch (error) {
            return rethrow(error);
          }
        },
        get(...parameters) {
          try {
            return statement.get(...parameters);
          } catch (error) {
            return rethrow(error);
          }
        },
        all(...parameters) {
          try {
            return statement.all(...parameters);
          } catch (error) {
            return rethrow(error);
          }
        },
      };
    },
    get inTransaction() {
      return db.inTransaction;
    },
    close: () => db.close(),
  };
}

/**
 * Runs `fn` in one transaction: committed when it returns, rolled back when it throws.
 *
 * @example
 * inTransaction(db, () => insert.run(1, 'a'));
 */
export function inTransaction<T>(db: SqliteDatabase, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    rollback(db);
    throw error;
  }
}

/** Rolls back the open transaction, if SQLite has not already (it does on some errors: a full disk, no memory). */
export function rollback(db: SqliteDatabase): void {
  if (db.inTransaction) db.exec('ROLLBACK');
}
