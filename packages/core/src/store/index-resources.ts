import type { ResourceRef } from '../types/resource.js';
import { resourceFolder, resourceKey } from './layout.js';
import type { SqliteStatement, SqlValue } from './sqlite.js';

/** Filters for state queries. */
export interface StateFilter {
  readonly type?: string;
  readonly region?: string;
  /** SQLite GLOB pattern on the identifier (`*`, `?`, `[...]`). */
  readonly idGlob?: string;
}

/** The accounts and regions an index holds resources of. */
export interface IndexScope {
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

/** Named parameters of a statement. */
export type SqlParameterObject = Record<string, SqlValue>;

/**
 * Resources a query is about: in order, each with its row id, and the SQL (with its parameters) that selects
 * their row ids, undefined when they are all the resources there are.
 */
export interface ResourceSet {
  readonly ordered: ReadonlyArray<readonly [res: number, ref: ResourceRef]>;
  readonly scope: string | undefined;
  readonly parameters: SqlParameterObject;
}

/** The resource tables of the index, created with the others. */
export const RESOURCE_TABLES = `
CREATE TABLE IF NOT EXISTS kinds (
  kind INTEGER PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, type TEXT NOT NULL,
  UNIQUE (account, region, type)
);
CREATE TABLE IF NOT EXISTS resources (
  res INTEGER PRIMARY KEY, folder TEXT NOT NULL UNIQUE, kind INTEGER NOT NULL, id TEXT NOT NULL
);
`;

/** The resource tables' secondary indexes (dropped during a rebuild). */
export const RESOURCE_INDEXES = {
  resources_by_kind: 'resources (kind, id)',
  resources_by_id: 'resources (id)',
} as const;

/** What a kind is: the account, region and type a resource shares with many others. */
type Kind = Omit<ResourceRef, 'id'>;

/**
 * The resources of the index. A resource is a row id, its folder (the store's name for it), its id and its
 * kind: account, region and type, which few resources do not share, are kept once per kind, so a query over
 * many resources reads one string per resource and shares the others.
 */
export class ResourceCatalog {
  readonly #prepare: (sql: string, arrays?: boolean) => SqliteStatement;
  /** Row ids of the resources this connection has seen, by resource key. */
  readonly #ids = new Map<string, number>();
  /** The resource of the last call to {@link id}: a chain's versions come one after another. */
  #last: { readonly ref: ResourceRef; readonly res: number } | undefined;

  constructor(prepare: (sql: string, arrays?: boolean) => SqliteStatement) {
    this.#prepare = prepare;
  }

  /** Forgets the row ids cached: the tables were emptied, or may have been by another process. */
  forget(): void {
    this.#ids.clear();
    this.#last = undefined;
  }

  /** The row id of a resource, added (with its kind, when new too) when it is not indexed yet. */
  id(ref: ResourceRef): number {
    const last = this.#last;
    if (last && sameResource(last.ref, ref)) return last.res;
    const key = resourceKey(ref);
    const res = this.#ids.get(key) ?? this.#lookUpOrAdd(ref);
    this.#ids.set(key, res);
    this.#last = { ref, res };
    return res;
  }

  #lookUpOrAdd(ref: ResourceRef): number {
    const folder = resourceFolder(ref);
    const byFolder = this.#prepare('SELECT res FROM resources WHERE folder = ?');
    const found = byFolder.get(folder) as { res: number } | undefined;
    if (found) return found.res;
    this.#prepare('INSERT OR IGNORE INTO resources (folder, kind, id) VALUES (?, ?, ?)').run(
      folder,
      this.#kindId(ref),
      ref.id,
    );
    return (byFolder.get(folder) as { res: number }).res;
  }

  #kindId({ account, region, type }: Kind): number {
    const byName = this.#prepare('SELECT kind FROM kinds WHERE account = ? AND region = ? AND type = ?');
    const found = byName.get(account, region, type) as { kind: number } | undefined;
    if (found) return found.kind;
    this.#prepare('INSERT OR IGNORE INTO kinds (account, region, type) VALUES (?, ?, ?)').run(
      account,
      region,
      type,
    );
    return (byName.get(account, region, type) as { kind: number }).kind;
  }

  /** Every kind, by row id, read afresh (other writers may have added some). */
  #readKinds(): Map<number, Kind> {
    const rows = this.#prepare('SELECT kind, account, region, type FROM kinds', true).all() as Array<
      [number, string, string, string]
    >;
    return new Map(rows.map(([kind, account, region, type]) => [kind, { account, region, type }]));
  }

  /**
   * The resources a filter selects, ordered by type, region, account and id. `within` restricts them to the row
   * ids its SQL selects.
   */
  select(
    filter: StateFilter,
    within?: { readonly sql: string; readonly parameters: SqlParameterObject },
  ): ResourceSet {
    const conditions = resourceConditions(filter);
    if (within) conditions.push(`r.res IN (${within.sql})`);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const parameters = { ...filterParameters(filter), ...within?.parameters };
    const rows = this.#prepare(
      `SELECT r.res, r.kind, r.id FROM resources r ${where} ORDER BY r.kind, r.id`,
      true,
    ).all(parameters) as Array<[number, number, string]>;
    const kinds = this.#readKinds();
    // Rows come grouped by kind, each group ordered by id: order the groups by their kind's names.
    const groups = new Map<number, Array<readonly [number, ResourceRef]>>();
    for (const [res, kind, id] of rows) {
      let group = groups.get(kind);
      if (!group) {
        group = [];
        groups.set(kind, group);
      }
      const { account, region, type } = kinds.get(kind) as Kind;
      group.push([res, { account, region, type, id }]);
    }
    const order = [...groups.keys()].sort((a, b) => compareKinds(kinds.get(a) as Kind, kinds.get(b) as Kind));
    return {
      ordered: order.flatMap((kind) => groups.get(kind) ?? []),
      scope: conditions.length > 0 ? `SELECT r.res FROM resources r ${where}` : undefined,
      parameters,
    };
  }

  /** Resources whose identity matches, for resolving what a user typed (at most 1,000). */
  find(filter: StateFilter & { readonly id?: string }): ResourceRef[] {
    const conditions = resourceConditions(filter);
    if (filter.id) conditions.push('r.id = @id');
    const rows = this.#prepare(
      `SELECT r.kind, r.id FROM resources r ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY r.kind, r.id LIMIT 1000`,
      true,
    ).all({ ...filterParameters(filter), ...(filter.id ? { id: filter.id } : {}) }) as Array<
      [number, string]
    >;
    const kinds = this.#readKinds();
    return rows
      .map(([kind, id]) => ({ ...(kinds.get(kind) as Kind), id }))
      .sort((a, b) => compareKinds(a, b) || compareText(a.id, b.id));
  }

  /** The accounts and regions resources are indexed in, each sorted. */
  scope(): IndexScope {
    const kinds = [...this.#readKinds().values()];
    const distinct = (values: string[]) => [...new Set(values)].sort(compareText);
    return {
      accounts: distinct(kinds.map((kind) => kind.account)),
      regions: distinct(kinds.map((kind) => kind.region)),
    };
  }
}

function sameResource(a: ResourceRef, b: ResourceRef): boolean {
  return a.id === b.id && a.type === b.type && a.region === b.region && a.account === b.account;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order of kinds: by type, then region, then account. */
function compareKinds(a: Kind, b: Kind): number {
  return compareText(a.type, b.type) || compareText(a.region, b.region) || compareText(a.account, b.account);
}

/** SQL conditions on the `resources r` of a query for a filter. */
function resourceConditions(filter: StateFilter): string[] {
  const conditions: string[] = [];
  const kind: string[] = [];
  if (filter.type) kind.push('type = @type');
  if (filter.region) kind.push('region = @region');
  if (kind.length > 0) conditions.push(`r.kind IN (SELECT kind FROM kinds WHERE ${kind.join(' AND ')})`);
  if (filter.idGlob) conditions.push('r.id GLOB @idGlob');
  return conditions;
}

/** The named parameters {@link resourceConditions} uses. */
function filterParameters(filter: StateFilter): SqlParameterObject {
  return {
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.region ? { region: filter.region } : {}),
    ...(filter.idGlob ? { idGlob: filter.idGlob } : {}),
  };
}
