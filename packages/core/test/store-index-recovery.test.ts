import { cp, mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IndexCorruptError } from '../src/errors.js';
import { IndexDb } from '../src/store/index-db.js';
import { openSqlite } from '../src/store/sqlite.js';
import { VersionStore } from '../src/store/version-store.js';
import { damageLastLeafOf } from './support/damage-index.js';
import { draft, SITE_BUCKET } from './support/version-drafts.js';

/** Enough resources for the versions table to span several pages. */
const RESOURCES = 120;
const AT = '2026-01-02T00:00:00.000Z';

describe('an index that cannot be trusted is rebuilt from the store', () => {
  let folder: string;
  let storeFolder: string;
  let expected: string[];
  const warnings: string[] = [];
  const open = (location = storeFolder) =>
    VersionStore.open(location, { onWarning: (message) => warnings.push(message) });
  const idsAt = (store: VersionStore) => store.index.stateAt(AT).map((entry) => entry.resource.id);

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-index-recovery-'));
    storeFolder = path.join(folder, 'store');
    warnings.length = 0;
    const store = await open();
    try {
      for (let n = 0; n < RESOURCES; n++)
        await store.append(
          await draft(store, { ...SITE_BUCKET, id: `b${String(n).padStart(3, '0')}` }, { n }, AT),
        );
      expected = idsAt(store);
    } finally {
      store.close();
    }
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('answers from an index cut short beside the write-ahead log of a process that was killed', async () => {
    // A copy taken while a process has the index open is what `kill -9` of that process leaves on disk.
    const copy = path.join(folder, 'copy');
    const live = await open();
    try {
      await cp(storeFolder, copy, { recursive: true });
    } finally {
      live.close();
    }
    await truncate(IndexDb.fileIn(copy), 4096);

    const store = await open(copy);
    try {
      expect(idsAt(store)).toEqual(expected);
    } finally {
      store.close();
    }
    expect(expected).toHaveLength(RESOURCES);
  });

  it('reindexes an index with a damaged page, saying so, and answers in full', async () => {
    await damageLastLeafOf(IndexDb.fileIn(storeFolder), 'versions');
    const store = await open();
    try {
      const report = await store.rebuildIndex();

      expect(report.versions).toBe(RESOURCES);
      expect(idsAt(store)).toEqual(expected);
      expect(warnings).toEqual([
        expect.stringMatching(/^the index \S+index\.sqlite is damaged: .+: rebuilding it/),
      ]);
    } finally {
      store.close();
    }
  });

  it('reports a damaged page a query meets as a damaged index, and answers in full once it is discarded', async () => {
    await damageLastLeafOf(IndexDb.fileIn(storeFolder), 'versions');
    const store = await open();
    try {
      expect(() => idsAt(store)).toThrow(IndexCorruptError);

      store.index.discard();
      await store.refresh();

      expect(idsAt(store)).toEqual(expected);
    } finally {
      store.close();
    }
  });

  it('rebuilds an index whose rebuild stopped after its commit but before its journal checkpoint', async () => {
    // What a rebuild killed between its commit and its checkpoint would leave, were rows missing too.
    const db = openSqlite(IndexDb.fileIn(storeFolder));
    db.exec(`DELETE FROM meta WHERE key = 'journal-checkpoint'; DELETE FROM versions WHERE rowid % 2 = 0;`);
    db.close();

    const store = await open();
    try {
      expect(idsAt(store)).toEqual(expected);
    } finally {
      store.close();
    }
  });
});
