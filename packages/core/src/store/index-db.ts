import path from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson } from '../canonical/canonicalise.js';
import { StoreError } from '../errors.js';
import type { Json } from '../types/json.js';
import type { ResourceRef } from '../types/resource.js';
import { type RecordAddress, resourceFolder } from './layout.js';
import type { BaselineManifest, BaselineSummary, Hashed, VersionRecord } from './records.js';

/** Version of the index's tables: an index (or a published snapshot of one) of another version is not used. */
export const INDEX_SCHEMA_VERSION = '1';

/** Meta keys of the index. */
const Meta = {
  SCHEMA: 'schema',
  /** The journal time up to which the index is known complete (ISO, by the writers' clocks). */
  JOURNAL_CHECKPOINT: 'journal-checkpoint',
  /** A restored snapshot's checkpoint: the index holds the store up to it but has not caught up since. */
  SNAPSHOT_CHECKPOINT: 'snapshot-checkpoint',
  /** Records added since the latest published snapshot, as last known (all of them when there is none). */
  RECORDS_SINCE_SNAPSHOT: 'records-since-snapshot',
} as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS resources (
  rid TEXT PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS resources_type ON resources (type, region);
CREATE TABLE IF NOT EXISTS versions (
  rid TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, captured_at TEXT NOT NULL,
  deleted INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (rid, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS versions_time ON versions (captured_at);
CREATE TABLE IF NOT EXISTS baselines (
  seq INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE, hash TEXT NOT NULL,
  started_at TEXT NOT NULL, completed_at TEXT NOT NULL, manifest TEXT NOT NULL
);
`;

/** A version as the index returns it. */
export type IndexedVersion = Hashed<VersionRecord>;

/** Filters for state queries. */
export interface StateFilter {
  readonly type?: string;
  readonly region?: string;
  /** SQLite GLOB pattern on the identifier (`*`, `?`, `[...]`). */
  readonly idGlob?: string;
}

/** How many resources, versions and baselines an index holds. */
export interface IndexCounts {
  readonly resources: number;
  readonly versions: number;
  readonly baselines: number;
}

/**
 * The embedded SQLite index: a cache of the store's records for fast queries. It can be deleted at any
 * time; `rebuild` recreates it from the store with identical answers.
 */
export class IndexDb {
  /** The SQLite file. */
  readonly file: string;
  readonly #db: Database.Database;
  readonly #insertResource: Database.Statement;
  readonly #insertVersion: Database.Statement;
  readonly #insertBaseline: Database.Statement;
  /** Prepared read statements, by SQL text (a handful of shapes). */
  readonly #statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    this.file = file;
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 10000');
    this.#db.exec(SCHEMA);
    this.#db
      .prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)')
      .run(Meta.SCHEMA, INDEX_SCHEMA_VERSION);
    this.#insertResource = this.#db.prepare(
      'INSERT OR IGNORE INTO resources (rid, account, region, type, id) VALUES (?, ?, ?, ?, ?)',
    );
    this.#insertVersion = this.#db.prepare(
      'INSERT OR IGNORE INTO versions (rid, seq, hash, captured_at, deleted, record) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#insertBaseline = this.#db.prepare(
      'INSERT OR IGNORE INTO baselines (seq, label, hash, started_at, completed_at, manifest) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** The index file of a store whose caches live in `folder`. */
  static fileIn(folder: string): string {
    return path.join(folder, 'index.sqlite');
  }

  close(): void {
    this.#db.close();
  }

  /** Adds versions (idempotent: a version already indexed is left as it is). */
  addVersions(versions: readonly IndexedVersion[]): void {
    this.#db.transaction(() => {
      let added = 0;
      for (const { hash, record } of versions) {
        const rid = resourceFolder(record.resource);
        const { account, region, type, id } = record.resource;
        this.#insertResource.run(rid, account, region, type, id);
        added += this.#insertVersion.run(
          rid,
          record.seq,
          hash,
          record.capturedAt,
          record.deleted ? 1 : 0,
          canonicalJson(record as unknown as Json),
        ).changes;
      }
      this.#countRecords(added);
    })();
  }

  /** Adds a baseline's summary; its entries stay in the store. */
  addBaseline({ hash, record }: Hashed<BaselineManifest>): void {
    const { entries, ...rest } = record;
    const summary: BaselineSummary = { ...rest, entryCount: entries.length };
    this.#db.transaction(() => {
      const { changes } = this.#insertBaseline.run(
        record.seq,
        record.label,
        hash,
        record.startedAt,
        record.completedAt,
        canonicalJson(summary as unknown as Json),
      );
      this.#countRecords(changes);
    })();
  }

  #countRecords(added: number): void {
    if (added > 0)
      this.#prepare(
        `INSERT INTO meta (key, value) VALUES (@key, @added)
         ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + @added`,
      ).run({ key: Meta.RECORDS_SINCE_SNAPSHOT, added });
  }

  /** Empties the index, before a rebuild. */
  clear(): void {
    this.#db.exec('DELETE FROM versions; DELETE FROM resources; DELETE FROM baselines;');
    for (const key of [Meta.JOURNAL_CHECKPOINT, Meta.SNAPSHOT_CHECKPOINT, Meta.RECORDS_SINCE_SNAPSHOT])
      this.#deleteMeta(key);
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
    this.#db.transaction(() => {
      this.#setMeta(Meta.JOURNAL_CHECKPOINT, at);
      this.#deleteMeta(Meta.SNAPSHOT_CHECKPOINT);
    })();
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
    this.#db.transaction(() => {
      this.#setMeta(Meta.SNAPSHOT_CHECKPOINT, checkpoint);
      this.#deleteMeta(Meta.JOURNAL_CHECKPOINT);
      this.#setMeta(Meta.RECORDS_SINCE_SNAPSHOT, '0');
    })();
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
        ? this.#prepare('SELECT 1 FROM versions WHERE rid = ? AND seq = ?').get(address.folder, address.seq)
        : this.#prepare('SELECT 1 FROM baselines WHERE seq = ?').get(address.seq);
    return row !== undefined;
  }

  /** A prepared statement, prepared once per SQL text. */
  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  latest(ref: ResourceRef): IndexedVersion | undefined {
    const row = this.#prepare(
      'SELECT hash, record FROM versions WHERE rid = ? ORDER BY seq DESC LIMIT 1',
    ).get(resourceFolder(ref)) as VersionRow | undefined;
    return row && toVersion(row);
  }

  /** Every version of a resource, oldest first. */
  history(ref: ResourceRef): IndexedVersion[] {
    const rows = this.#prepare('SELECT hash, record FROM versions WHERE rid = ? ORDER BY seq').all(
      resourceFolder(ref),
    ) as VersionRow[];
    return rows.map(toVersion);
  }

  /** The latest version of each resource captured at or before `at` (ISO), deleted ones included. */
  stateAt(at: string, filter: StateFilter = {}): IndexedVersion[] {
    const conditions = resourceConditions(filter);
    // Unfiltered: one pass over the versions in key order finds each resource's seq at `at`, then only those
    // records are fetched and sorted (rather than sorting every version's record by resource first).
    // Filtered: the matching resources are found first, then each one's version.
    const sql =
      conditions.length === 0
        ? `WITH latest AS (SELECT rid, MAX(seq) AS seq FROM versions WHERE captured_at <= @at GROUP BY rid)
           SELECT v.hash AS hash, v.record AS record
           FROM latest l JOIN versions v ON v.rid = l.rid AND v.seq = l.seq JOIN resources r ON r.rid = l.rid
           ORDER BY r.type, r.region, r.id`
        : `SELECT v.hash AS hash, v.record AS record
           FROM resources r JOIN versions v ON v.rid = r.rid AND v.seq = (${seqAt('r.rid', '@at')})
           WHERE ${conditions.join(' AND ')}
           ORDER BY r.type, r.region, r.id`;
    const rows = this.#prepare(sql).all({ at, ...filter }) as VersionRow[];
    return rows.map(toVersion);
  }

  /**
   * The resources whose version differs between two moments (ISO, either order), with their version at
   * each (the latest captured at or before it; absent when none), ordered like {@link stateAt}. Only resources
   * with a version captured between the two moments are read: the others are the same at both.
   */
  versionsBetween(
    from: string,
    to: string,
    filter: StateFilter = {},
  ): Array<{ readonly from?: IndexedVersion; readonly to?: IndexedVersion }> {
    const conditions = resourceConditions(filter);
    const rows = this.#prepare(
      `WITH touched AS (SELECT DISTINCT rid FROM versions WHERE captured_at > @earlier AND captured_at <= @later)
       SELECT f.hash AS fromHash, f.record AS fromRecord, t.hash AS toHash, t.record AS toRecord
       FROM touched c JOIN resources r ON r.rid = c.rid
       LEFT JOIN versions f ON f.rid = c.rid AND f.seq = (${seqAt('c.rid', '@from')})
       LEFT JOIN versions t ON t.rid = c.rid AND t.seq = (${seqAt('c.rid', '@to')})
       ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY r.type, r.region, r.id`,
    ).all({
      ...filter,
      from,
      to,
      earlier: from < to ? from : to,
      later: from < to ? to : from,
    }) as BetweenRow[];
    return rows
      .map((row) => ({
        ...(row.fromHash === null ? {} : { from: toVersion({ hash: row.fromHash, record: row.fromRecord }) }),
        ...(row.toHash === null ? {} : { to: toVersion({ hash: row.toHash, record: row.toRecord }) }),
      }))
      .filter((pair) => pair.from?.hash !== pair.to?.hash);
  }

  /** Resources whose identity matches, for resolving what a user typed. */
  findResources(filter: StateFilter & { id?: string }): ResourceRef[] {
    const conditions = ['1 = 1'];
    if (filter.type) conditions.push('type = @type');
    if (filter.region) conditions.push('region = @region');
    if (filter.id) conditions.push('id = @id');
    if (filter.idGlob) conditions.push('id GLOB @idGlob');
    return this.#db
      .prepare(
        `SELECT account, region, type, id FROM resources WHERE ${conditions.join(' AND ')} ORDER BY type, id LIMIT 1000`,
      )
      .all(filter) as ResourceRef[];
  }

  /**
   * Latest version of every resource of a type in a region whose id starts with `idPrefix`: what a listing
   * is expected to show.
   */
  latestOfType(type: string, region: string, idPrefix = ''): IndexedVersion[] {
    const rows = this.#db
      .prepare(
        `SELECT v.hash AS hash, v.record AS record, MAX(v.seq) AS seq
         FROM versions v JOIN resources r ON r.rid = v.rid
         WHERE r.type = ? AND r.region = ? AND substr(r.id, 1, length(?)) = ? GROUP BY v.rid`,
      )
      .all(type, region, idPrefix, idPrefix) as VersionRow[];
    return rows.map(toVersion);
  }

  /** Every baseline's summary, oldest first. */
  baselines(): Hashed<BaselineSummary>[] {
    const rows = this.#db.prepare('SELECT hash, manifest FROM baselines ORDER BY seq').all() as {
      hash: string;
      manifest: string;
    }[];
    return rows.map((row) => ({ hash: row.hash, record: JSON.parse(row.manifest) as BaselineSummary }));
  }

  counts(): IndexCounts {
    const count = (table: string) =>
      (this.#db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { resources: count('resources'), versions: count('versions'), baselines: count('baselines') };
  }
}

interface VersionRow {
  hash: string;
  record: string;
}

interface BetweenRow {
  fromHash: string | null;
  fromRecord: string;
  toHash: string | null;
  toRecord: string;
}

/** SQL conditions on the `resources r` of a query for a filter. */
function resourceConditions(filter: StateFilter): string[] {
  const conditions: string[] = [];
  if (filter.type) conditions.push('r.type = @type');
  if (filter.region) conditions.push('r.region = @region');
  if (filter.idGlob) conditions.push('r.id GLOB @idGlob');
  return conditions;
}

/** SQL for the seq of a resource's version at a moment: its latest captured at or before it. */
function seqAt(rid: string, at: string): string {
  return `SELECT MAX(x.seq) FROM versions x WHERE x.rid = ${rid} AND x.captured_at <= ${at}`;
}

function toVersion(row: VersionRow): IndexedVersion {
  return { hash: row.hash, record: JSON.parse(row.record) as VersionRecord };
}
