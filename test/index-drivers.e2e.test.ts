import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSqliteDriver } from '../packages/core/src/store/sqlite.js';
import { builtBin } from './support/built-cli.js';
import { nodeBinary, runNode } from './support/node-runtime.js';

const SCRIPT = path.join(import.meta.dirname, 'support', 'index-answers.mjs');

/** What `index-answers.mjs` prints: the index's answers after opening the store, and after appending. */
interface Answers {
  /** The Node that answered: 24 and later use node:sqlite, older ones better-sqlite3. */
  readonly node: string;
  readonly opened: { readonly states: unknown[][]; readonly between: unknown[] } & Record<string, unknown>;
  readonly appended?: Answers['opened'];
  readonly restoredFrom: string | null;
}

describe('the index on both SQLite drivers', () => {
  let folder: string;
  let node24: string;

  beforeAll(async () => {
    [node24] = await Promise.all([nodeBinary(24), builtBin()]);
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-drivers-'));
  }, 600_000);
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** Runs the answers script of the built core on `node`, with the index in `cache` of the shared store. */
  async function answers(node: string, cache: string, ...flags: string[]): Promise<Answers> {
    const run = await runNode(
      node,
      [SCRIPT, path.join(folder, 'store'), path.join(folder, cache), ...flags],
      {
        env: { PATH: process.env.PATH ?? '', HOME: folder },
      },
    );
    if (run.code !== 0) throw new Error(`index-answers.mjs exited ${run.code}: ${run.stderr}`);
    return JSON.parse(run.stdout) as Answers;
  }

  it('answers alike from better-sqlite3 on Node 20 and node:sqlite on Node 24, across appends and a snapshot', async () => {
    // Node 20 writes the store and rebuilds an index of it; Node 24 rebuilds its own, appends and publishes.
    const written = await answers(process.execPath, 'cache-20', '--write');
    const onNode24 = await answers(node24, 'cache-24', '--append', '--publish');
    // Node 20 opens a new cache from Node 24's snapshot, then its own index, brought up to date from the journal.
    const restored = await answers(process.execPath, 'cache-20-restored');
    const refreshed = await answers(process.execPath, 'cache-20');

    expect([written.node, onNode24.node].map((version) => defaultSqliteDriver(version))).toEqual([
      'better-sqlite3',
      'node:sqlite',
    ]);
    expect(Math.min(...written.opened.states.map((state) => state.length))).toBeGreaterThan(5);
    expect(written.opened.between.length).toBeGreaterThan(5);
    expect(onNode24.opened).toEqual(written.opened);
    expect(onNode24.appended).not.toEqual(onNode24.opened);
    expect(restored.restoredFrom).toMatch(/^index\/snapshots\/.+\.sqlite\.gz$/);
    expect(restored.opened).toEqual(onNode24.appended);
    expect(refreshed.opened).toEqual(onNode24.appended);
  });
});
