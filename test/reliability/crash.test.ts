import { randomInt } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StateEntry } from '@tidemark/core';
import { SeededRandom } from '@tidemark/simulation';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { builtBin } from '../support/built-cli.js';
import { type NodeRun, runNode } from '../support/node-runtime.js';
import { REPO_ROOT } from '../support/repo.js';

/**
 * Kills `tidemark baseline` and `tidemark reindex` with SIGKILL at random moments, then checks what a user would:
 * `verify` passes, the command run again completes, and the store answers exactly what an uninterrupted run gives.
 * `CRASH_SEED` replays the kill delays of a failed run (its seed is printed); `CRASH_CASES` sets the number of
 * kills (100 by default: one in eight a baseline, the others a reindex). Not `TIDEMARK_…`: the test environment
 * drops those.
 */
const SEED = Number(process.env.CRASH_SEED ?? randomInt(2 ** 31));
const CASES = Number(process.env.CRASH_CASES ?? 100);
const BASELINE_CASES = Math.max(1, Math.round(CASES / 8));
const REINDEX_CASES = CASES - BASELINE_CASES;
/** Objects added to the simulated account, so that a baseline and a reindex last long enough to be cut. */
const OBJECTS = 200;
/** Kills run two at a time, each on a store of its own. */
const LANES = 2;
const SIMULATED_TIDEMARK = path.join(REPO_ROOT, 'test', 'support', 'simulated-tidemark.ts');

/** What a resource's state is, whenever and however it was captured. */
const stateOf = ({ resource, deleted, document, blobs }: StateEntry) =>
  JSON.stringify({ resource, deleted, document, blobs });

describe('a capture or a reindex killed at any moment', () => {
  let folder: string;
  let bin: string;
  /** The reference store: one uninterrupted baseline of the simulated account. */
  let reference: string;
  let referenceState: StateEntry[];
  let referenceCounts: { versions: number; baselines: number; invalid: string[] };
  let baselineMs: number;
  let reindexMs: number;

  const environment = (home: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH ?? '',
    HOME: home,
    TIDEMARK_CACHE_DIR: path.join(home, 'cache'),
    TIDEMARK_SIMULATED_OBJECTS: String(OBJECTS),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  /** Every store is sealed with the key the reference baseline created, so that their documents compare. */
  const storeOptions = (store: string) => ['--store', store, '--key-file', path.join(folder, 'secret.key')];
  /** `tidemark baseline` into `store` against a simulated account, killed after `killAfterMs` when given. */
  const baseline = (store: string, killAfterMs?: number): Promise<NodeRun> =>
    runNode(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        SIMULATED_TIDEMARK,
        ...storeOptions(store),
        'baseline',
        '--region',
        'us-east-1',
      ],
      {
        env: environment(path.dirname(store)),
        cwd: REPO_ROOT,
        ...(killAfterMs === undefined ? {} : { timeoutMs: killAfterMs, killSignal: 'SIGKILL' as const }),
      },
    );
  /** The built `tidemark` on `store`, killed after `killAfterMs` when given. */
  const tidemark = (store: string, args: readonly string[], killAfterMs?: number): Promise<NodeRun> =>
    runNode(process.execPath, [bin, ...storeOptions(store), ...args], {
      env: environment(path.dirname(store)),
      ...(killAfterMs === undefined ? {} : { timeoutMs: killAfterMs, killSignal: 'SIGKILL' as const }),
    });
  const stateNow = async (store: string, context: string): Promise<StateEntry[]> => {
    const result = await tidemark(store, ['state', '--json']);
    expect(result.code, `${context}: state said ${result.stderr}`).toBe(0);
    return (JSON.parse(result.stdout) as { resources: StateEntry[] }).resources;
  };

  beforeAll(async () => {
    bin = await builtBin();
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-crash-'));
    reference = path.join(folder, 'reference', 'store');
    const first = await baseline(reference);
    expect(first, first.stderr).toMatchObject({ code: 0 });
    baselineMs = first.ms;
    const reindexed: NodeRun[] = [];
    for (let run = 0; run < 3; run++) reindexed.push(await tidemark(reference, ['reindex', '--json']));
    for (const run of reindexed) expect(run, run.stderr).toMatchObject({ code: 0 });
    reindexMs = reindexed.map((run) => run.ms).sort((a, b) => a - b)[1] as number;
    referenceCounts = JSON.parse((reindexed[0] as NodeRun).stdout);
    referenceState = await stateNow(reference, 'the reference store');
  }, 300_000);
  afterAll(() => (folder ? rm(folder, { recursive: true, force: true }) : undefined));

  it(`loses and duplicates nothing when a baseline is killed (${BASELINE_CASES} cases)`, async () => {
    onTestFailed(() => console.error(`crash suite seed ${SEED}: CRASH_SEED=${SEED} replays it`));
    // One or two kills in a row before the run that completes, each at a moment drawn up front.
    const random = new SeededRandom(SEED);
    const cases = Array.from({ length: BASELINE_CASES }, () =>
      Array.from({ length: random.int(1, 2) }, () => random.int(1, Math.round(baselineMs))),
    );
    expect(referenceState.length).toBeGreaterThan(OBJECTS);
    let killed = 0;

    await inLanes(cases, async (delays, n) => {
      const store = path.join(folder, `baseline-${n}`, 'store');
      const context = `seed ${SEED}, baseline case ${n}, killed after ${delays.join(', ')} ms`;
      for (const delay of delays) if ((await baseline(store, delay)).signal === 'SIGKILL') killed++;

      const verify = await tidemark(store, ['verify']);
      const written = await recordFiles(store);
      const rerun = await baseline(store);
      const state = await stateNow(store, context);
      const baselines = await tidemark(store, ['baselines', '--json']);

      // Killed before its first record, a capture leaves no store, and verify says so.
      const noStore = verify.stderr.startsWith('tidemark: no Tidemark store at');
      expect(verify.code, `${context}: verify said ${verify.stdout}${verify.stderr}`).toBe(noStore ? 2 : 0);
      if (noStore) expect(written, context).toEqual([]);
      expect(rerun.code, `${context}: the baseline run again said ${rerun.stderr}`).toBe(0);
      expect(state.map(stateOf).sort(), context).toEqual(referenceState.map(stateOf).sort());
      expect(
        state.filter((entry) => entry.seq !== 1).map((entry) => entry.resource.id),
        `${context}: resources with a second version of an unchanged state`,
      ).toEqual([]);
      const manifests = JSON.parse(baselines.stdout) as { baselines: Array<{ entryCount: number }> };
      expect(
        manifests.baselines.map((manifest) => manifest.entryCount),
        `${context}: resources in each baseline`,
      ).toEqual(manifests.baselines.map(() => referenceState.length));
    });
    expect(killed, 'baselines killed before they completed').toBeGreaterThanOrEqual(BASELINE_CASES / 2);
  }, 600_000);

  it(`answers in full whenever a reindex is killed (${REINDEX_CASES} cases)`, async () => {
    onTestFailed(() => console.error(`crash suite seed ${SEED}: CRASH_SEED=${SEED} replays it`));
    const random = new SeededRandom(SEED + 1);
    const delays = Array.from({ length: REINDEX_CASES }, () => random.int(1, Math.round(reindexMs)));
    let killed = 0;
    const lanes = await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        const copy = path.join(folder, `reindex-${lane}`);
        await cp(path.dirname(reference), copy, { recursive: true });
        return path.join(copy, 'store');
      }),
    );

    await inLanes(delays, async (delay, n, lane) => {
      const store = lanes[lane] as string;
      const context = `seed ${SEED}, reindex case ${n}, killed after ${delay} ms`;
      if ((await tidemark(store, ['reindex'], delay)).signal === 'SIGKILL') killed++;

      const state = await stateNow(store, context);
      const verify = await tidemark(store, ['verify']);
      const rerun = await tidemark(store, ['reindex', '--json']);

      expect(state, context).toEqual(referenceState);
      expect(verify.code, `${context}: verify said ${verify.stdout}${verify.stderr}`).toBe(0);
      expect(rerun.code, `${context}: reindex run again said ${rerun.stderr}`).toBe(0);
      expect(JSON.parse(rerun.stdout), context).toEqual(referenceCounts);
    });
    expect(killed, 'reindexes killed before they completed').toBeGreaterThanOrEqual(REINDEX_CASES / 2);
  }, 600_000);
});

/** The version and baseline record files in a store folder (see the store's layout in the README). */
async function recordFiles(store: string): Promise<string[]> {
  const files: string[] = [];
  for (const folder of ['versions', 'baselines'])
    for (const entry of await readdir(path.join(store, folder), {
      recursive: true,
      withFileTypes: true,
    }).catch(() => []))
      if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name));
  return files;
}

/**
 * Runs `run` for every item, {@link LANES} at a time: lane `l` takes items `l`, `l + LANES`… in order, so that each
 * lane may keep a store of its own.
 */
async function inLanes<T>(items: readonly T[], run: (item: T, index: number, lane: number) => Promise<void>) {
  await Promise.all(
    Array.from({ length: LANES }, async (_, lane) => {
      for (let index = lane; index < items.length; index += LANES) await run(items[index] as T, index, lane);
    }),
  );
}
