import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IndexDb } from '../src/store/index-db.js';
import type { VersionRecord } from '../src/store/records.js';
import { defaultSqliteDriver } from '../src/store/sqlite.js';
import type { ResourceRef } from '../src/types/resource.js';

const ACCOUNT = '123456789012';

/** A resource of the test account. */
function ref(region: string, type: string, id: string): ResourceRef {
  return { account: ACCOUNT, region, type, id };
}
const PAGE = ref('us-east-1', 'AWS::S3::Object', 'site/index.html');
const ABOUT = ref('us-east-1', 'AWS::S3::Object', 'site/about.html');
const WEST = ref('us-west-2', 'AWS::S3::Object', 'logs/a.txt');
const FUNCTION = ref('us-east-1', 'AWS::Lambda::Function', 'booking');

/** Day `n` of January 2026, at noon. */
const day = (n: number) => `2026-01-${String(n).padStart(2, '0')}T12:00:00.000Z`;
const hash = (text: string) => text.padEnd(64, '0');

/** A version of `resource`, `seq` in its chain, captured on day `on`. */
function version(resource: ResourceRef, seq: number, on: number, deleted = false) {
  const record: VersionRecord = {
    schema: 1,
    resource,
    seq,
    capturedAt: day(on),
    cause: { kind: 'baseline', label: 'v1.0' },
    deleted,
    document: deleted ? null : hash(`d${resource.id}${seq}`),
    blobs: {},
    gaps: [],
    prev: seq === 1 ? null : hash(`v${resource.id}${seq - 1}`),
  };
  return { hash: hash(`v${resource.id}${seq}`), record };
}

/** Who is at which version in the answer: `id@seq`, `-` for deleted. */
const seqs = (entries: ReadonlyArray<{ resource: ResourceRef; seq: number; deleted: boolean }>) =>
  entries.map((entry) => `${entry.resource.id}@${entry.seq}${entry.deleted ? '-' : ''}`);

describe('the index answers as of each moment', () => {
  let folder: string;
  let index: IndexDb;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-index-'));
    index = new IndexDb(IndexDb.fileIn(folder));
    // The page: created day 2, changed day 4, deleted day 6. About: created day 5. West: created day 3.
    // The function: created day 1, changed day 4. Added out of time order, as concurrent writers may.
    index.addVersions([version(PAGE, 3, 6, true), version(ABOUT, 1, 5), version(FUNCTION, 2, 4)]);
    index.addVersions([
      version(PAGE, 1, 2),
      version(WEST, 1, 3),
      version(PAGE, 2, 4),
      version(FUNCTION, 1, 1),
    ]);
  });
  afterEach(async () => {
    index.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('gives each resource its latest version at or before the moment, leaving deleted ones out', () => {
    expect(seqs(index.stateAt('2026-01-01T00:00:00.000Z'))).toEqual([]);
    expect(seqs(index.stateAt(day(2)))).toEqual(['booking@1', 'site/index.html@1']);
    expect(seqs(index.stateAt(day(4)))).toEqual(['booking@2', 'site/index.html@2', 'logs/a.txt@1']);
    expect(seqs(index.stateAt(day(7)))).toEqual(['booking@2', 'site/about.html@1', 'logs/a.txt@1']);
    expect(seqs(index.stateAt(day(7), { type: 'AWS::S3::Object', region: 'us-east-1' }))).toEqual([
      'site/about.html@1',
    ]);
    expect(seqs(index.stateAt(day(4), { idGlob: 'site/*' }))).toEqual(['site/index.html@2']);
  });

  it('pairs the versions at two moments of what changed between them, either way round', () => {
    const forward = index.versionsBetween(day(3), day(6));
    const backward = index.versionsBetween(day(6), day(3), { type: 'AWS::S3::Object' });

    expect(forward.map(({ from, to }) => [from && seqs([from])[0], to && seqs([to])[0]])).toEqual([
      ['booking@1', 'booking@2'],
      [undefined, 'site/about.html@1'],
      ['site/index.html@1', 'site/index.html@3-'],
    ]);
    expect(backward.map(({ from, to }) => [from && seqs([from])[0], to && seqs([to])[0]])).toEqual([
      ['site/about.html@1', undefined],
      ['site/index.html@3-', 'site/index.html@1'],
    ]);
  });

  it('lists the latest version of a type in a region, deleted ones included, for a listing to be compared with', () => {
    expect(seqs(index.latestOfType('AWS::S3::Object', 'us-east-1'))).toEqual([
      'site/about.html@1',
      'site/index.html@3-',
    ]);
    expect(seqs(index.latestOfType('AWS::S3::Object', 'us-east-1', 'site/i'))).toEqual([
      'site/index.html@3-',
    ]);
    expect(index.scope()).toEqual({ accounts: [ACCOUNT], regions: ['us-east-1', 'us-west-2'] });
  });
});

describe('the SQLite driver of a Node version', () => {
  it('is node:sqlite from Node 24, better-sqlite3 before', () => {
    expect(['20.20.2', '22.23.3', '24.0.0', '25.1.0'].map(defaultSqliteDriver)).toEqual([
      'better-sqlite3',
      'better-sqlite3',
      'node:sqlite',
      'node:sqlite',
    ]);
  });
});
