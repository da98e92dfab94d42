import path from 'node:path';
import { canonicalJson } from '../canonical/canonicalise.js';
import { CauseKind } from '../constants.js';
import { IndexCorruptError, StoreError } from '../errors.js';
import type { Json } from '../types/json.js';
import type { Gap, ResourceRef } from '../types/resource.js';
import type { RecordAuthenticator } from './authenticator.js';
import {
  type IndexScope,
  RESOURCE_INDEXES,
  RESOURCE_TABLES,
  ResourceCatalog,
  type ResourceSet,
  type StateFilter,
} from './index-resources.js';
import { type RecordAddress, resourceFolder, resourceKey } from './layout.js';
import type { BaselineManifest, BaselineSummary, Hashed, VersionCause, VersionRecord } from './records.js';
import {
  inTransaction,
  openSqlite,
  removeDatabaseFiles,
  reportingDamage,
  rollback,
  type SqliteDatabase,
  type SqliteStatement,
} from './sqlite.js';

/** Version of the index's tables: an index (or a published snapshot of one) of another version is not used. */
export const INDEX_SCHEMA_VERSION = '3';

/** Meta keys of the index. */
const Meta = {
  SCHEMA: 'schema',
  /** The journal time up to which the index is known complete (ISO, by the writers' clocks). */
  JOURNAL_CHECKPOINT: 'journal-checkpoint',
  /** A restored snapshot's checkpoint: the index holds the store up to it but has not caught up since. */
  SNAPSHOT_CHECKPOINT: 'snapshot-checkpoint',
  /** Records added since the latest published snapshot, as last known (all of them when there is none). */
  RECORDS_SINCE_SNAPSHOT: 'records-since-snapshot',
  /** The identity (`store.json` storeId) of the store the index was built from; absent for a store without one. */
  STORE_ID: 'store-id',
  /** How many versions and baselines the index holds (`<versions> <baselines>`), as its writers counted them. */
  ROWS: 'rows',
  /** The MAC of {@link ROWS} under the store's key: rows removed or added without the key are told. */
  SEAL: 'seal',
  /** Records found invalid or removed while the index was built or refreshed: `{ count, keys }` (JSON). */
  DAMAGE: 'damage',
} as const;

/**
 * The tables. A version is a narrow row: typed columns for what queries select and compare (capture time in epoch
 * milliseconds, deletion, hashes), and one small JSON `detail` for what they only pass on (cause, content blobs,
 * gaps), so that a query reads and parses little per version. `versions_by_resource_time` answers "each
 * resource's version at T" from the index alone; `versions_by_time` finds what changed between two moments.
 */
const TABLES = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
${RESOURCE_TABLES}
CREATE TABLE IF NOT EXISTS versions (
  res INTEGER NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, deleted INTEGER NOT NULL, hash TEXT NOT NULL,
  document TEXT, detail TEXT NOT NULL, fingerprint TEXT, prev TEXT, mac TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS versions_by_resource ON versions (res, seq);
CREATE TABLE IF NOT EXISTS baselines (
  seq INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE, hash TEXT NOT NULL,
  started_at TEXT NOT NULL, completed_at TEXT NOT NULL, manifest TEXT NOT NULL, mac TEXT
);
`;

/** How long a connection waits for another's write transaction (a rebuild of a large store takes a while). */
const BUSY_TIMEOUT_MS = 120_000;

/** Secondary indexes: dropped during a rebuild and created once at its end, which is much faster. */
const SECONDARY_INDEXES: Readonly<Record<string, string>> = {
  ...RESOURCE_INDEXES,
  versions_by_resource_time: 'versions (res, at, seq)',
  versions_by_time: 'versions (at, res)',
};
const CREATE_SECONDARY_INDEXES = Object.entries(SECONDARY_INDEXES)
  .map(([name, on]) => `CREATE INDEX IF NOT EXISTS ${name} ON ${on};`)
  .join('\n');
const DROP_SECONDARY_INDEXES = Object.keys(SECONDARY_INDEXES)
  .map((name) => `DROP INDEX IF EXISTS ${name};`)
  .join('\n');

/** Columns of a version row as entries are read, and their positions in a row read as an array. */
const ENTRY_COLUMNS = 'v.res, v.seq, v.at, v.deleted, v.hash, v.document, v.detail, v.mac';
const EntryColumn = { RES: 0, SEQ: 1, AT: 2, DELETED: 3, HASH: 4, DOCUMENT: 5, DETAIL: 6, MAC: 7 } as const;
const ENTRY_COLUMN_COUNT = 8;
/** The same columns of the row that follows (`n`), when there is one. */
const NEXT_ENTRY_COLUMNS = ENTRY_COLUMNS.replaceAll('v.', 'n.');
/** The same columns of the row before (`p`), when there is one. */
const PREVIOUS_ENTRY_COLUMNS = ENTRY_COLUMNS.replaceAll('v.', 'p.');

/** A version as the index returns it. */
export type IndexedVersion = Hashed<VersionRecord>;

/**
 * One version of one resource as queries return it: the record's fields a user reads (not its chain links).
 * Stable shape (`--json`): fields are only ever added.
 */
export interface VersionEntry {
  readonly resource: ResourceRef;
  readonly seq: number;
  /** Hash of the version record. */
  readonly version: string;
  readonly capturedAt: string;
  readonly cause: VersionCause;
  readonly deleted: boolean;
  readonly document: string | null;
  readonly blobs: Readonly<Record<string, string>>;
  readonly gaps: readonly Gap[];
}

/** Filters of {@link IndexDb.changesCaptured}. */
export interface ChangeFilter extends StateFilter {
  /** SQLite GLOB pattern on the actor or the principal a version's cause names. */
  readonly by?: string;
}

/** A version that changed a resource, with the version before it (absent for a first capture). */
export interface CapturedVersion {
  readonly entry: VersionEntry;
  readonly previous?: VersionEntry;
}

/** Records missing from an index because the store is damaged (see {@link IndexDb.damage}). */
export interface StoreDamage {
  readonly count: number;
  readonly keys: readonly string[];
}

/** How many damaged record keys the index keeps: to name them, and not to count or read them again. */
const DAMAGE_KEYS_KEPT = 1_000;

/** How many resources, versions and baselines an index holds. */
export interface IndexCounts {
  readonly resources: number;
  readonly versions: number;
  readonly baselines: number;
}

/**
 * The embedded SQLite index: a cache of the store's records for fast queries. It can be deleted at any
 * time; `rebuild` recreates it from the store with identical answers. An index of another schema version is
 * emptied on open (and then rebuilt, as its checkpoint is gone).
 */
export class IndexDb {
  /** The SQLite file. */
  readonly file: string;
  #db: SqliteDatabase;
  /** Prepared statements, by SQL text (a handful of shapes). */
  readonly #statements = new Map<string, SqliteStatement>();
  readonly #resources = new ResourceCatalog((sql, arrays) => this.#prepare(sql, arrays));
  /** Whether a {@link reload} is under way, in its own transaction. */
  #reloading = false;
  /** The store's key, when rows are signed as they are written and checked as they are read. */
  #key: RecordAuthenticator | undefined;
  /** Versions and baselines added by the transaction under way, for {@link Meta.ROWS}. */
  #added = { versions: 0, baselines: 0 };

  /**
   * Opens the index in `file`, creating it when missing. A file SQLite cannot read as a database (cut short, or the
   * OS crashed during a rebuild) is deleted and created anew: the index is a cache, and a new one is rebuilt from
   * the store. Damage the open does not reach shows later as an IndexCorruptError (see {@link discard}).
   */
  constructor(file: string) {
    this.file = file;
    try {
      this.#db = this.#open();
    } catch (error) {
      if (!(error instanceof IndexCorruptError)) throw error;
      removeDatabaseFiles(file);
      this.#db = this.#open();
    }
  }

  /**
   * Opens the file: an index of another schema (an older Tidemark's) is emptied first, then the tables made, and
   * the first row of each table read, which finds a file cut short or a damaged root page at once, at the cost of
   * a few pages. Every call on the connection reports damage as an IndexCorruptError.
   */
  #open(): SqliteDatabase {
    const db = reportingDamage(openSqlite(this.file), (error) => new IndexCorruptError(this.file, error));
    try {
      db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS};
        PRAGMA cache_size = -32768; CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
      inTransaction(db, () => {
        const schema = db.prepare('SELECT value FROM meta WHERE key = ?').get(Meta.SCHEMA) as
          | { value: string }
          | undefined;
        if (schema?.value !== INDEX_SCHEMA_VERSION) IndexDb.#reset(db);
        db.exec(`${TABLES} ${CREATE_SECONDARY_INDEXES}`);
        for (const table of ['meta', 'kinds', 'resources', 'versions', 'baselines'])
          db.prepare(`SELECT * FROM ${table} LIMIT 1`).get();
      });
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Deletes the index's files and opens an empty index in their place, with no journal checkpoint, so that the
   * next refresh rebuilds it from the store: what becomes of an index found damaged. Which store it was built
   * from is kept when it can still be read.
   */
  discard(): void {
    let storeId: string | undefined;
    try {
      storeId = this.storeId();
    } catch (error) {
      if (!(error instanceof IndexCorruptError)) throw error;
    }
    this.#db.close();
    this.#statements.clear();
    this.#resources.forget();
    removeDatabaseFiles(this.file);
    this.#db = this.#open();
    if (storeId !== undefined) this.setStoreId(storeId);
  }

  /** The index file of a store whose caches live in `folder`. */
  static fileIn(folder: string): string {
    return path.join(folder, 'index.sqlite');
  }

  close(): void {
    this.#db.close();
  }

  /** Drops every table of any schema (an index of an older one) and the meta keys, and marks the schema. */
  static #reset(db: SqliteDatabase): void {
    db.exec(`DROP TABLE IF EXISTS versions; DROP TABLE IF EXISTS resources; DROP TABLE IF EXISTS kinds;
      DROP TABLE IF EXISTS baselines; DELETE FROM meta;`);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(Meta.SCHEMA, INDEX_SCHEMA_VERSION);
  }

  /**
   * Signs the rows written from now on with the store's key and checks every row read against it, so that an
   * index altered without the key (a row edited, added or removed) is an IndexCorruptError instead of an answer.
   * The count of rows is checked here: an IndexCorruptError when rows were removed or added.
   */
  authenticate(key: RecordAuthenticator): void {
    this.#key = key;
    const rows = this.#meta(Meta.ROWS);
    const seal = this.#meta(Meta.SEAL);
    const { versions, baselines } = this.counts();
    if (rows === undefined && versions === 0 && baselines === 0) return;
    if (rows === undefined || seal === undefined || !key.verify(this.#sealed(), seal))
      throw new IndexCorruptError(this.file, "its rows are not sealed by the store's key");
    if (rows !== `${versions} ${baselines}`)
      throw new IndexCorruptError(
        this.file,
        `it holds ${versions} versions and ${baselines} baselines, not ${rows}`,
      );
  }

  /** Adds versions (idempotent: a version already indexed is left as it is). */
  addVersions(versions: readonly IndexedVersion[]): void {
    const insert = this.#prepare(
      `INSERT OR IGNORE INTO versions (res, seq, at, deleted, hash, document, detail, fingerprint, prev, mac)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#write(() => {
      let added = 0;
      for (const { hash, record } of versions) {
        const detail: VersionDetail = {
          capturedAt: record.capturedAt,
          cause: record.cause,
          blobs: record.blobs,
          gaps: record.gaps,
        };
        const row: EntryRow = [
          this.#resources.id(record.resource),
          record.seq,
          Date.parse(record.capturedAt),
          record.deleted ? 1 : 0,
          hash,
          record.document,
          canonicalJson(detail as unknown as Json),
          null,
        ];
        row[EntryColumn.MAC] = this.#key ? this.#key.sign(rowMessage(record.resource, row)) : null;
        const [res, seq, at, deleted, , document, detailJson, mac] = row;
        added += Number(
          insert.run(
            res,
            seq,
            at,
            deleted,
            hash,
            document,
            detailJson,
            record.fingerprint ?? null,
            record.prev,
            mac,
          ).changes,
        );
      }
      this.#countRecords(added);
      this.#added.versions += added;
    });
  }

  /**
   * Runs `fn` in a transaction of its own, or in the transaction of the {@link reload} under way: a rebuild is
   * one transaction, which is several times faster than many. A transaction of its own forgets the row ids
   * cached before it: another process may have rebuilt the index since, numbering resources anew.
   */
  #write(fn: () => void): void {
    if (this.#reloading) {
      fn();
      return;
    }
    this.#resources.forget();
    inTransaction(this.#db, () => {
      fn();
      this.#sealRows();
    });
  }

  /**
   * Counts what the transaction under way added into {@link Meta.ROWS} and seals the count with the store's key;
   * without the key, the seal is removed (the next command that has the key finds it missing and rebuilds).
   */
  #sealRows(): void {
    const { versions, baselines } = this.#added;
    this.#added = { versions: 0, baselines: 0 };
    if (versions === 0 && baselines === 0) return;
    const [held = 0, heldBaselines = 0] = (this.#meta(Meta.ROWS) ?? '0 0').split(' ').map(Number);
    this.#setMeta(Meta.ROWS, `${held + versions} ${heldBaselines + baselines}`);
    this.#seal();
  }

  /**
   * Seals what the rows cannot vouch for themselves, with the store's key: how many there are, and up to when the
   * journal was read (moved forward, a refresh would skip records for good). Without the key, the seal is removed:
   * the next command that has the key finds it missing and rebuilds.
   */
  #seal(): void {
    if (this.#key) this.#setMeta(Meta.SEAL, this.#key.sign(this.#sealed()));
    else this.#deleteMeta(Meta.SEAL);
  }

  /** What {@link Meta.SEAL} signs. */
  #sealed(): Buffer {
    return Buffer.from(`${this.#meta(Meta.ROWS) ?? '0 0'}\n${this.refreshCheckpoint() ?? ''}`, 'utf8');
  }

  /** Adds a baseline's summary; its entries stay in the store. */
  addBaseline({ hash, record }: Hashed<BaselineManifest>): void {
    const { entries, ...rest } = record;
    const summary: BaselineSummary = { ...rest, entryCount: entries.length };
    const manifest = canonicalJson(summary as unknown as Json);
    const mac = this.#key ? this.#key.sign(baselineMessage(hash, manifest)) : null;
    this.#write(() => {
      const { changes } = this.#prepare(
        'INSERT OR IGNORE INTO baselines (seq, label, hash, started_at, completed_at, manifest, mac) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(record.seq, record.label, hash, record.startedAt, record.completedAt, manifest, mac);
      this.#countRecords(Number(changes));
      this.#added.baselines += Number(changes);
    });
  }

  #countRecords(added: number): void {
    if (added > 0)
      this.#prepare(
        `INSERT INTO meta (key, value) VALUES (@key, @added)
         ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + CAST(@added AS INTEGER)`,
      ).run({ key: Meta.RECORDS_SINCE_SNAPSHOT, added });
  }

  /**
   * Empties the index and runs `load` to fill it again, all in one transaction: other processes keep reading the
   * index as it was until it commits, and a failure leaves it as it was. The secondary indexes are dropped
   * during the load and made again at its end (much faster than keeping them up to date). Nothing is synced
   * before the commit (in WAL mode a crash before it loses nothing), and the commit is copied into the database
   * file by checkpoints that sync the write-ahead log first and the file after: the journal checkpoint, written
   * after this returns, can never outlive the rows it vouches for.
   */
  async reload<T>(load: () => Promise<T>): Promise<T> {
    this.#db.exec('BEGIN IMMEDIATE');
    this.#reloading = true;
    let loaded: T;
    try {
      this.#db.exec(
        `DELETE FROM versions; DELETE FROM resources; DELETE FROM kinds; DELETE FROM baselines; ${DROP_SECONDARY_INDEXES}`,
      );
      for (const key of [
        Meta.JOURNAL_CHECKPOINT,
        Meta.SNAPSHOT_CHECKPOINT,
        Meta.RECORDS_SINCE_SNAPSHOT,
        Meta.ROWS,
        Meta.SEAL,
      ])
        this.#deleteMeta(key);
      this.#resources.forget();
      this.#added = { versions: 0, baselines: 0 };
      loaded = await load();
      this.#sealRows();
      this.#db.exec(`${CREATE_SECONDARY_INDEXES} PRAGMA analysis_limit = 1000; ANALYZE; COMMIT;`);
    } catch (error) {
      this.#added = { versions: 0, baselines: 0 };
      rollback(this.#db);
      this.#resources.forget();
      throw error;
    } finally {
      this.#reloading = false;
    }
    this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE);');
    return loaded;
  }

  /**
   * Up to when (ISO) the store's journal has been read into the index; undefined while the index is not
   * known complete (never built, a rebuild that stopped half-way, a snapshot restored but not caught up).
   */
  journalCheckpoint(): string | undefined {
    return this.#meta(Meta.JOURNAL_CHECKPOINT);
  }

  /** Where a refresh starts: the journal checkpoint, else a restored snapshot's; undefined: rebuild. */
  refreshCheckpoint(): string | undefined {
    return this.journalCheckpoint() ?? this.#meta(Meta.SNAPSHOT_CHECKPOINT);
  }

  setJournalCheckpoint(at: string): void {
    inTransaction(this.#db, () => {
      this.#setMeta(Meta.JOURNAL_CHECKPOINT, at);
      this.#deleteMeta(Meta.SNAPSHOT_CHECKPOINT);
      this.#seal();
    });
  }

  /** The version of the tables (the index's, or a snapshot's being restored). */
  schemaVersion(): string | undefined {
    return this.#meta(Meta.SCHEMA);
  }

  /** Writes a compact, consistent copy of the index to `file`, which must not exist. */
  copyTo(file: string): void {
    this.#db.prepare('VACUUM INTO ?').run(file);
  }

  /**
   * Turns this index (a published snapshot just downloaded) into a restored one: it holds the store up to its
   * checkpoint, and is not complete until a refresh has caught up since.
   */
  markRestored(): void {
    const checkpoint = this.journalCheckpoint();
    if (checkpoint === undefined) throw new StoreError('the index snapshot has no journal checkpoint');
    inTransaction(this.#db, () => {
      this.#setMeta(Meta.SNAPSHOT_CHECKPOINT, checkpoint);
      this.#deleteMeta(Meta.JOURNAL_CHECKPOINT);
      this.#setMeta(Meta.RECORDS_SINCE_SNAPSHOT, '0');
    });
  }

  /** The id of the store this index was built from, when the store has one. */
  storeId(): string | undefined {
    return this.#meta(Meta.STORE_ID);
  }

  /** Records which store this index holds. */
  setStoreId(storeId: string): void {
    this.#setMeta(Meta.STORE_ID, storeId);
  }

  /**
   * What the index knows to be missing from it because the store is damaged (records invalid, forged or removed):
   * how many, and the first keys; undefined when nothing is. Answers from such an index are incomplete.
   */
  damage(): StoreDamage | undefined {
    const damage = this.#meta(Meta.DAMAGE);
    return damage === undefined ? undefined : (JSON.parse(damage) as StoreDamage);
  }

  /** Records the damage a rebuild found, replacing what was known (none clears it). */
  setDamage(keys: readonly string[]): void {
    const unique = [...new Set(keys)];
    if (unique.length === 0) this.#deleteMeta(Meta.DAMAGE);
    else
      this.#setMeta(
        Meta.DAMAGE,
        JSON.stringify({ count: unique.length, keys: unique.slice(0, DAMAGE_KEYS_KEPT) }),
      );
  }

  /** Adds damage a refresh found to what was known (a key known already is not counted again). */
  addDamage(keys: readonly string[]): void {
    const known = this.damage() ?? { count: 0, keys: [] };
    const added = [...new Set(keys)].filter((key) => !known.keys.includes(key));
    if (added.length === 0) return;
    this.#setMeta(
      Meta.DAMAGE,
      JSON.stringify({
        count: known.count + added.length,
        keys: [...known.keys, ...added].slice(0, DAMAGE_KEYS_KEPT),
      }),
    );
  }

  /** Whether the index holds any version or baseline. */
  isEmpty(): boolean {
    const row = this.#prepare(
      'SELECT EXISTS (SELECT 1 FROM versions) OR EXISTS (SELECT 1 FROM baselines) AS held',
    ).get() as { held: number };
    return row.held === 0;
  }

  /** Records added since the latest published snapshot, as last known (all of them when there is none). */
  recordsSinceSnapshot(): number {
    return Number(this.#meta(Meta.RECORDS_SINCE_SNAPSHOT) ?? 0);
  }

  /** Sets how many records this index holds beyond the latest published snapshot. */
  setRecordsSinceSnapshot(records: number): void {
    this.#setMeta(Meta.RECORDS_SINCE_SNAPSHOT, String(Math.max(0, records)));
  }

  #meta(key: string): string | undefined {
    const row = this.#prepare('SELECT value FROM meta WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  #setMeta(key: string, value: string): void {
    this.#prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  #deleteMeta(key: string): void {
    this.#prepare('DELETE FROM meta WHERE key = ?').run(key);
  }

  /** Whether the record a version or baseline key names is indexed. */
  hasRecord(address: RecordAddress): boolean {
    const row =
      address.kind === 'version'
        ? this.#prepare(
            'SELECT 1 FROM resources r JOIN versions v ON v.res = r.res WHERE r.folder = ? AND v.seq = ?',
          ).get(address.folder, address.seq)
        : this.#prepare('SELECT 1 FROM baselines WHERE seq = ?').get(address.seq);
    return row !== undefined;
  }

  /** A prepared statement, prepared once per SQL text. */
  #prepare(sql: string, arrays = false): SqliteStatement {
    const key = arrays ? `arrays:${sql}` : sql;
    let statement = this.#statements.get(key);
    if (!statement) {
      statement = this.#db.prepare(sql, { arrays });
      this.#statements.set(key, statement);
    }
    return statement;
  }

  /** The latest version of a resource, as its record (what a capture compares with and chains to). */
  latest(ref: ResourceRef): IndexedVersion | undefined {
    const row = this.#prepare(
      `SELECT ${ENTRY_COLUMNS}, v.fingerprint, v.prev FROM resources r JOIN versions v ON v.res = r.res
       WHERE r.folder = ? ORDER BY v.seq DESC LIMIT 1`,
      true,
    ).get(resourceFolder(ref)) as [...EntryRow, string | null, string | null] | undefined;
    if (!row) return undefined;
    const { version, ...entry } = this.#entry(ref, row.slice(0, ENTRY_COLUMN_COUNT) as EntryRow);
    const [fingerprint, prev] = row.slice(ENTRY_COLUMN_COUNT) as [string | null, string | null];
    const record: VersionRecord = {
      schema: 1,
      ...entry,
      blobs: { ...entry.blobs },
      gaps: [...entry.gaps],
      ...(fingerprint === null ? {} : { fingerprint }),
      prev,
    };
    return { hash: version, record };
  }

  /** Every version of a resource, oldest first. */
  history(ref: ResourceRef): VersionEntry[] {
    const rows = this.#prepare(
      `SELECT ${ENTRY_COLUMNS} FROM resources r JOIN versions v ON v.res = r.res WHERE r.folder = ? ORDER BY v.seq`,
      true,
    ).all(resourceFolder(ref)) as EntryRow[];
    return rows.map((row) => this.#entry(ref, row));
  }

  /**
   * The version of each resource at `at` (ISO): its latest captured at or before it, deletions left out;
   * ordered by type, region, account and id.
   */
  stateAt(at: string, filter: StateFilter = {}): VersionEntry[] {
    return this.#read(() => this.#entriesAt(Date.parse(at), this.#resources.select(filter), false));
  }

  /** The version at `at` (epoch ms) of each of `resources` that has one, in their order. */
  #entriesAt(at: number, resources: ResourceSet, withDeleted: boolean): VersionEntry[] {
    const rows = this.#versionsAt(at, resources);
    const entries: VersionEntry[] = [];
    for (const [res, ref] of resources.ordered) {
      const row = rows[res];
      if (!row) continue;
      const entry = this.#entryAt(ref, row);
      if (withDeleted || !entry.deleted) entries.push(entry);
    }
    return entries;
  }

  /**
   * The entry of a row {@link versionsAt} chose as `ref`'s version at a moment, its signature checked, and (when rows
   * are signed) its successor's too: a later version whose date was altered to hide it fails its signature.
   */
  #entryAt(ref: ResourceRef, row: VersionAtRow): VersionEntry {
    const entry = this.#entry(ref, row.slice(0, ENTRY_COLUMN_COUNT) as EntryRow);
    const next = row.slice(ENTRY_COLUMN_COUNT) as EntryRow;
    // Chosen as the latest at or before `at`, its successor is dated after: its signature vouches that it is.
    if (next.length > 0 && next[EntryColumn.SEQ] !== null) this.#entry(ref, next);
    return entry;
  }

  /**
   * Runs the statements of one answer in one read transaction, so they all see the index as one commit left it
   * (another process may write between them).
   */
  #read<T>(fn: () => T): T {
    if (this.#db.inTransaction) return fn();
    this.#db.exec('BEGIN');
    try {
      return fn();
    } finally {
      rollback(this.#db);
    }
  }

  /**
   * The resources whose version differs between two moments (ISO, either order), with their version at
   * each (the latest captured at or before it, deletions included; absent when none), ordered like
   * {@link stateAt}. Only resources with a version captured between the two moments are read.
   */
  versionsBetween(
    from: string,
    to: string,
    filter: StateFilter = {},
  ): Array<{ readonly from?: VersionEntry; readonly to?: VersionEntry }> {
    const fromMs = Date.parse(from);
    const toMs = Date.parse(to);
    const { resources, before, after } = this.#read(() => {
      const touched = this.#resources.select(filter, {
        sql: 'SELECT DISTINCT res FROM versions WHERE at > @earlier AND at <= @later',
        parameters: { earlier: Math.min(fromMs, toMs), later: Math.max(fromMs, toMs) },
      });
      return {
        resources: touched,
        before: this.#versionsAt(fromMs, touched),
        after: this.#versionsAt(toMs, touched),
      };
    });
    const pairs: Array<{ from?: VersionEntry; to?: VersionEntry }> = [];
    for (const [res, ref] of resources.ordered) {
      const older = before[res];
      const newer = after[res];
      if (older?.[EntryColumn.HASH] === newer?.[EntryColumn.HASH]) continue;
      pairs.push({
        ...(older ? { from: this.#entryAt(ref, older) } : {}),
        ...(newer ? { to: this.#entryAt(ref, newer) } : {}),
      });
    }
    return pairs;
  }

  /**
   * Each resource's version at `at` (epoch ms), indexed by row id: one pass over the narrow (res, at, seq) index
   * finds the seqs, then only those rows are read. Restricted to `resources` when they are not all of them.
   */
  #versionsAt(at: number, resources: ResourceSet): Array<VersionAtRow | undefined> {
    // Deletions are chosen too, and left out only once their signature is checked: a row marked deleted without
    // the key must not vanish unseen. With signed rows, each row's successor comes along (see #entryAt).
    const successor = this.#key ? `, ${NEXT_ENTRY_COLUMNS}` : '';
    const joinSuccessor = this.#key ? 'LEFT JOIN versions n ON n.res = v.res AND n.seq = v.seq + 1' : '';
    const rows = this.#prepare(
      `WITH chosen AS (
         SELECT rowid AS vid, MAX(seq) FROM versions
         WHERE at <= @at ${resources.scope ? `AND res IN (${resources.scope})` : ''} GROUP BY res
       )
       SELECT ${ENTRY_COLUMNS}${successor} FROM chosen c JOIN versions v ON v.rowid = c.vid ${joinSuccessor}`,
      true,
    ).all({ ...resources.parameters, at }) as VersionAtRow[];
    const byResource: Array<VersionAtRow | undefined> = [];
    for (const row of rows) byResource[row[EntryColumn.RES]] = row;
    return byResource;
  }

  /**
   * Versions captured after `from` and up to `to` (ISO) whose cause is not a baseline's, so what changed (events,
   * silent drift, drift checks), newest first, each with the version before it when there is one. `by` (a glob)
   * keeps those whose cause names a matching actor or principal. Found through `versions_by_time`.
   */
  changesCaptured(from: string, to: string, filter: ChangeFilter = {}): CapturedVersion[] {
    const { by, ...resources } = filter;
    const changed = (alias: string) =>
      `${alias}.at > @earlier AND ${alias}.at <= @later
       AND json_extract(${alias}.detail, '$.cause.kind') <> '${CauseKind.BASELINE}'
       ${by === undefined ? '' : `AND (json_extract(${alias}.detail, '$.cause.actor') GLOB @by OR json_extract(${alias}.detail, '$.cause.principal') GLOB @by)`}`;
    const parameters = {
      earlier: Date.parse(from),
      later: Date.parse(to),
      ...(by === undefined ? {} : { by }),
    };
    return this.#read(() => {
      const touched = this.#resources.select(resources, {
        sql: `SELECT DISTINCT w.res FROM versions w WHERE ${changed('w')}`,
        parameters,
      });
      const refs = new Map(touched.ordered);
      const rows = this.#prepare(
        `SELECT ${ENTRY_COLUMNS}, ${PREVIOUS_ENTRY_COLUMNS} FROM versions v
         LEFT JOIN versions p ON p.res = v.res AND p.seq = v.seq - 1
         WHERE ${changed('v')} ${touched.scope ? `AND v.res IN (${touched.scope})` : ''}
         ORDER BY v.at DESC, v.res, v.seq DESC`,
        true,
      ).all({ ...touched.parameters, ...parameters }) as VersionAtRow[];
      return rows.flatMap((row) => {
        const ref = refs.get(row[EntryColumn.RES]);
        if (!ref) return [];
        const previous = row.slice(ENTRY_COLUMN_COUNT) as EntryRow;
        return [
          {
            entry: this.#entry(ref, row.slice(0, ENTRY_COLUMN_COUNT) as EntryRow),
            ...(previous[EntryColumn.SEQ] === null ? {} : { previous: this.#entry(ref, previous) }),
          },
        ];
      });
    });
  }

  /** Resources whose identity matches, for resolving what a user typed. */
  findResources(filter: StateFilter & { readonly id?: string }): ResourceRef[] {
    return this.#resources.find(filter);
  }

  /** The accounts and regions of the resources indexed, each sorted. */
  scope(): IndexScope {
    return this.#resources.scope();
  }

  /**
   * Latest version of every resource of a type in a region whose id starts with `idPrefix`, deletions
   * included: what a listing is expected to show.
   */
  latestOfType(type: string, region: string, idPrefix = ''): VersionEntry[] {
    return this.#read(() =>
      this.#entriesAt(
        Number.MAX_SAFE_INTEGER,
        this.#resources.select(
          { type, region },
          {
            sql: 'SELECT res FROM resources WHERE id >= @prefix AND substr(id, 1, length(@prefix)) = @prefix',
            parameters: { prefix: idPrefix },
          },
        ),
        true,
      ),
    );
  }

  /** Every baseline's summary, oldest first. */
  baselines(): Hashed<BaselineSummary>[] {
    const rows = this.#prepare('SELECT hash, manifest, mac FROM baselines ORDER BY seq').all() as {
      hash: string;
      manifest: string;
      mac: string | null;
    }[];
    return rows.map((row) => {
      if (this.#key && !this.#key.verify(baselineMessage(row.hash, row.manifest), row.mac ?? ''))
        throw new IndexCorruptError(
          this.file,
          `its row of baseline ${row.hash} is not signed by the store's key`,
        );
      return { hash: row.hash, record: JSON.parse(row.manifest) as BaselineSummary };
    });
  }

  /** The entry a row holds for `ref`, its signature checked when rows are (see {@link authenticate}). */
  #entry(ref: ResourceRef, row: EntryRow): VersionEntry {
    if (this.#key && !this.#key.verify(rowMessage(ref, row), row[EntryColumn.MAC] ?? ''))
      throw new IndexCorruptError(
        this.file,
        `its row of ${ref.type} ${ref.id} v${row[EntryColumn.SEQ]} is not signed by the store's key`,
      );
    return toEntry(ref, row);
  }

  counts(): IndexCounts {
    const count = (table: string) =>
      (this.#prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { resources: count('resources'), versions: count('versions'), baselines: count('baselines') };
  }
}

/**
 * What a version row keeps as JSON: what queries pass on without comparing it. Written as canonical JSON, so that
 * it reads back the same (keys in the same order) whichever path indexed the version.
 */
interface VersionDetail {
  /** As the record has it (the `at` column is the same moment as a number, for comparisons). */
  readonly capturedAt: string;
  readonly cause: VersionCause;
  readonly blobs: Readonly<Record<string, string>>;
  readonly gaps: readonly Gap[];
}

/** A version row as {@link ENTRY_COLUMNS} selects it, as an array. */
type EntryRow = [
  res: number,
  seq: number,
  at: number,
  deleted: number,
  hash: string,
  document: string | null,
  detail: string,
  mac: string | null,
];

/** A row chosen as a resource's version at a moment: its {@link EntryRow}, then its successor's (or nulls). */
type VersionAtRow = [...EntryRow, ...Partial<EntryRow>];

/** What a version row's MAC covers: the resource it belongs to and every column a query answers from. */
function rowMessage(resource: ResourceRef, row: EntryRow): Buffer {
  const [, seq, at, deleted, hash, document, detail] = row;
  return Buffer.from(
    `version\n${resourceKey(resource)}\n${seq}\n${at}\n${deleted}\n${hash}\n${document ?? ''}\n${detail}`,
    'utf8',
  );
}

/** What a baseline row's MAC covers: the manifest's hash and the summary queries answer from. */
function baselineMessage(hash: string, manifest: string): Buffer {
  return Buffer.from(`baseline\n${hash}\n${manifest}`, 'utf8');
}

/** The entry a row holds, for the resource `ref`. */
function toEntry(resource: ResourceRef, row: EntryRow): VersionEntry {
  const { capturedAt, cause, blobs, gaps } = JSON.parse(row[EntryColumn.DETAIL]) as VersionDetail;
  return {
    resource,
    seq: row[EntryColumn.SEQ],
    version: row[EntryColumn.HASH],
    capturedAt,
    cause,
    deleted: row[EntryColumn.DELETED] === 1,
    document: row[EntryColumn.DOCUMENT],
    blobs,
    gaps,
  };
}
