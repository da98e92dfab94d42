import { chmod, chown, cp, mkdir, mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VersionStore } from '@tidemark/core/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { damageLastLeafOf } from '../packages/core/test/support/damage-index.js';
import { builtBin } from './support/built-cli.js';
import { CliHarness } from './support/cli.js';
import { startSimulatedUser } from './support/fixtures.js';
import { runNode } from './support/node-runtime.js';
import { setModes, unprivilegedUser } from './support/read-only.js';

const PAGE = 'AWS::S3::Object:queenofsandiego.com/index.html';

describe('commands whose index is damaged or cannot be written', () => {
  let harness: CliHarness;
  let state: string;

  beforeAll(async () => {
    harness = await CliHarness.create();
    const user = await startSimulatedUser();
    try {
      await harness.json('baseline', '--label', 'v1.0');
      user.account.putObject('queenofsandiego.com', 'index.html', '<h1>2027 season</h1>');
      await harness.json('baseline', '--label', 'v1.1');
    } finally {
      await user.stop();
    }
    state = (await harness.run('state', '--at', 'v1.1')).stdout;
  }, 120_000);
  afterAll(() => harness?.dispose());

  /** A copy of the store whose index is what `kill -9` of a process using it left, cut short. */
  async function storeWithIndexCutShort(name: string): Promise<string> {
    const copy = path.join(harness.folder, name);
    const live = await VersionStore.open(harness.store, { create: false });
    try {
      await cp(harness.store, copy, { recursive: true });
    } finally {
      live.close();
    }
    await truncate(path.join(copy, 'index.sqlite'), 4096);
    return copy;
  }

  it.each([['state'], ['verify'], ['reindex']])(
    'runs %s on an index cut short beside the write-ahead log of a killed process',
    async (command) => {
      const store = await storeWithIndexCutShort(`cut-short-${command}`);

      const result = await harness.run('--store', store, command);
      const after = await harness.run('--store', store, 'state', '--at', 'v1.1');

      expect(result).toMatchObject({ code: 0 });
      expect(after).toMatchObject({ code: 0, stdout: state });
    },
  );

  it('answers a query that meets a damaged page of the index in full, rebuilding the index and saying so', async () => {
    const store = path.join(harness.folder, 'damaged-page');
    await cp(harness.store, store, { recursive: true });
    await damageLastLeafOf(path.join(store, 'index.sqlite'), 'versions');

    const result = await harness.run('--store', store, 'state', '--at', 'v1.1');

    expect(result).toMatchObject({ code: 0, stdout: state });
    expect(result.stderr).toMatch(/^warning: the index \S+ is damaged: .+: rebuilding it from the store$/);
    expect(await harness.run('--store', store, 'history', PAGE)).toMatchObject({ code: 0, stderr: '' });
  });

  describe('a store this user cannot write (another user’s, a read-only mount)', () => {
    let bin: string;
    let folder: string;
    let store: string;
    let cache: string;

    beforeAll(async () => {
      bin = await builtBin();
      folder = await mkdtemp(path.join(tmpdir(), 'tidemark-read-only-'));
      store = path.join(folder, 'store');
      await cp(harness.store, store, { recursive: true });
      cache = path.join(folder, 'reader-cache');
      await mkdir(cache);
      await chmod(folder, 0o755);
      await setModes(store, 0o555, 0o444);
      const user = unprivilegedUser();
      if (user) await chown(cache, user.uid, user.gid);
    }, 300_000);
    afterAll(async () => {
      if (!folder) return;
      await setModes(store, 0o755, 0o644);
      await rm(folder, { recursive: true, force: true });
    });

    /** Runs the built bin on the store as a user who may read it but not write it, with caches under `cache`. */
    const reader = (...args: string[]) => {
      const user = unprivilegedUser();
      return runNode(bin, ['--store', store, '--key-file', path.join(cache, 'no.key'), ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: cache, TIDEMARK_CACHE_DIR: cache },
        ...(user ? { user } : {}),
      });
    };

    it('answers every query as its owner does, writing nothing into the store', async () => {
      const before = await snapshotOf(store);

      const results = {
        state: await reader('state', '--at', 'v1.1'),
        history: await reader('history', PAGE),
        diff: await reader('diff', '--from', 'v1.0', '--to', 'v1.1'),
        verify: await reader('verify'),
        reindex: await reader('reindex'),
      };

      expect(results.state).toMatchObject({ code: 0, stderr: '', stdout: `${state}\n` });
      expect(results.history).toMatchObject({
        code: 0,
        stderr: '',
        stdout: `${(await harness.run('history', PAGE)).stdout}\n`,
      });
      expect(results.diff).toMatchObject({
        code: 0,
        stderr: '',
        stdout: `${(await harness.run('diff', '--from', 'v1.0', '--to', 'v1.1')).stdout}\n`,
      });
      expect(results.verify).toMatchObject({ code: 0, stderr: '' });
      expect(results.reindex).toMatchObject({ code: 0, stderr: '' });
      expect(await snapshotOf(store)).toEqual(before);
    });
  });
});

/** Every file under a folder with its size and modification time, to tell whether anything was written. */
async function snapshotOf(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const { size, mtimeMs } = await stat(file);
    files[path.relative(folder, file)] = `${size} ${mtimeMs}`;
  }
  return files;
}
