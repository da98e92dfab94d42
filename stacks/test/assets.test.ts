import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VersionStore } from '@tidemark/core';
import type { SQSBatchResponse } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { coldStart, lambdaEnvironment } from '../../test/support/built-handler.js';
import { stubCredentials } from '../../test/support/environment.js';
import { LambdaRig } from '../../test/support/lambda-rig.js';
import { nodeBinary, runtimeNodeMajor } from '../../test/support/node-runtime.js';
import { REPO_ROOT } from '../../test/support/repo.js';
import { syntheticSqsEvent } from '../../test/support/sqs-event-source.js';
import { type BuiltFunction, handlerFile, type SstBuild, sstBuild } from '../../test/support/sst-build.js';
import { CONSUMER_HANDLER, SCHEDULE_HANDLER } from '../config.js';
import {
  binaryProblems,
  dependencyProblems,
  ELF_MACHINE_OF,
  elfMachine,
  type Lockfile,
  packagePresence,
} from './support/asset-checks.js';
import { runtimeProblem } from './support/lambda-runtimes.js';

/** `sst build` of every function, its installs included (minutes when a native module compiles). */
const BUILD_TIMEOUT_MS = 10 * 60_000;
/** Queues as deployed, enough for a single invocation. */
const QUEUE_SETTINGS = { visibilityTimeoutSeconds: 30, maxReceiveCount: 2 };

/**
 * The functions as a deployment ships them: the real `sst build` (SST's own bundling of each handler and its
 * `nodejs.install`, then synthesis; AWS answered by a stub on 127.0.0.1), every Lambda function of every template
 * checked against its asset, then Tidemark's handlers, as built, run in a fresh process of their runtime's Node.
 * One build for the whole file: SST builds in the repository's `.sst`, so two builds must not overlap.
 */
describe('the functions as sst build builds them', () => {
  let folder: string;
  let build: SstBuild;
  let lock: Lockfile;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-sst-build-'));
    [build, lock] = await Promise.all([
      sstBuild({ to: folder, timeoutMs: BUILD_TIMEOUT_MS }),
      readFile(path.join(REPO_ROOT, 'package-lock.json'), 'utf8').then(
        (text) => JSON.parse(text) as Lockfile,
      ),
    ]);
  }, BUILD_TIMEOUT_MS + 30_000);
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** Tidemark's own functions: the consumer and the scheduled baseline. */
  const tidemarkFunctions = () =>
    build.functions.filter((fn) => fn.handler === CONSUMER_HANDLER || fn.handler === SCHEDULE_HANDLER);

  describe('assets', () => {
    it("builds the consumer and the schedule, and every function's handler file is in its asset", () => {
      expect(build.functions.map((fn) => fn.handler)).toEqual(
        expect.arrayContaining([CONSUMER_HANDLER, SCHEDULE_HANDLER]),
      );
      expect(
        build.functions.filter((fn) => !handlerFile(fn)).map((fn) => `${fn.stack} ${fn.logicalId}`),
      ).toEqual([]);
    });

    it("holds no native binary of another architecture than its function's", async () => {
      const problems = (await Promise.all(build.functions.map(binaryProblems))).flat();

      expect(problems, 'native binaries of the wrong architecture').toEqual([]);
    });

    it('holds only dependencies pinned to the lockfile', async () => {
      const problems = (await Promise.all(build.functions.map((fn) => dependencyProblems(fn, lock)))).flat();

      expect(problems, 'dependencies not pinned to package-lock.json').toEqual([]);
    });

    it('runs every function on a Node.js runtime Lambda still lets us create functions on', () => {
      const today = new Date();
      const problems = build.functions.flatMap((fn) => {
        const problem = runtimeProblem(fn.runtime, today);
        return problem ? [`${fn.stack} ${fn.logicalId}: ${problem}`] : [];
      });

      expect(problems, `runtimes deprecated on ${today.toISOString().slice(0, 10)}`).toEqual([]);
    });

    it("bundles Tidemark's handlers without test-only code", async () => {
      // esbuild heads each bundled module with a comment naming its path (SST does not minify).
      const modules = async (fn: BuiltFunction) =>
        [...(await readFile(handlerFile(fn) as string, 'utf8')).matchAll(/^\/\/ (\S+\.[cm]?[jt]s)$/gm)].map(
          ([, file]) => `${fn.handler}: ${file}`,
        );
      const bundled = (await Promise.all(tidemarkFunctions().map(modules))).flat();

      expect(bundled).toEqual(
        expect.arrayContaining([
          `${CONSUMER_HANDLER}: packages/functions/src/runtime.ts`,
          `${SCHEDULE_HANDLER}: packages/functions/src/runtime.ts`,
        ]),
      );
      expect(bundled.filter((line) => /aws-sdk-client-mock|sinon|packages\/simulation\//.test(line))).toEqual(
        [],
      );
    });

    it("keeps better-sqlite3 out of Tidemark's functions: the index uses the runtime's node:sqlite", async () => {
      const problems = (
        await Promise.all(tidemarkFunctions().map((fn) => packagePresence(fn, 'better-sqlite3')))
      ).flat();

      expect(tidemarkFunctions()).toHaveLength(2);
      expect(problems, 'better-sqlite3 in a function asset').toEqual([]);
    });
  });

  describe("Tidemark's handlers, as built, in a fresh process of their runtime's Node", () => {
    let node: string;
    let rig: LambdaRig;

    beforeAll(async () => {
      const runtimes = new Set(tidemarkFunctions().map((fn) => fn.runtime));
      if (runtimes.size !== 1) throw new Error(`the functions' runtimes differ: ${[...runtimes].join(', ')}`);
      [node, rig] = await Promise.all([
        nodeBinary(runtimeNodeMajor([...runtimes][0] as string)),
        LambdaRig.start(),
      ]);
    }, 300_000);
    afterAll(async () => {
      await rig?.stop();
    });

    /** The built function whose `Handler` is `handler`. */
    const built = (handler: string): BuiltFunction => {
      const fn = build.functions.find((candidate) => candidate.handler === handler);
      if (!fn) throw new Error(`no built function has Handler ${handler}`);
      return fn;
    };

    it('runs the consumer: it captures an S3 object into the s3:// store, read back byte for byte', async () => {
      const consumer = built(CONSUMER_HANDLER);
      const objectKey = 'reports/2026-12.csv';
      const body = `month,bookings\n2026-12,${randomBytes(8).toString('hex')}\n`;
      const notification = await rig.putObject(objectKey, body);
      const { queue } = await rig.queues.create('tidemark-consumer', QUEUE_SETTINGS);

      const { result } = await coldStart<SQSBatchResponse>(
        node,
        consumer,
        syntheticSqsEvent([JSON.stringify(notification)], queue),
        lambdaEnvironment(consumer, await rig.variables(queue.url)),
      );

      expect(result).toEqual({ batchItemFailures: [] });
      stubCredentials(rig.s3.credentials);
      const cacheDirectory = await mkdtemp(path.join(tmpdir(), 'tidemark-reader-'));
      const store = await VersionStore.open(rig.store, { endpointUrl: rig.s3.endpoint, cacheDirectory });
      try {
        const latest = store.latest({
          account: rig.accountId,
          region: rig.region,
          type: 'AWS::S3::Object',
          id: `${rig.sourceBucket}/${objectKey}`,
        });
        expect(latest?.record).toMatchObject({ seq: 1, deleted: false, cause: { kind: 'event' } });
        const content = latest?.record.blobs.content;
        expect(content).toBeDefined();
        const bytes = Buffer.concat(await (await store.readBlob(content as string)).toArray());
        expect(bytes.toString('utf8')).toBe(body);
      } finally {
        store.close();
        vi.unstubAllEnvs();
        await rm(cacheDirectory, { recursive: true, force: true });
      }
    });

    it('runs the schedule: it plans a baseline and queues every work item', async () => {
      const schedule = built(SCHEDULE_HANDLER);
      const { queue } = await rig.queues.create('tidemark-schedule', QUEUE_SETTINGS);

      const { result } = await coldStart<{ planned: number; sent: number; unsent: unknown[] }>(
        node,
        schedule,
        rig.scheduledEvent(),
        lambdaEnvironment(schedule, await rig.variables(queue.url)),
      );

      expect(result.planned).toBeGreaterThan(0);
      expect(result).toMatchObject({ sent: result.planned, unsent: [] });
      expect(await rig.queues.depth(queue)).toBe(result.planned);
    });
  });
});

describe('the asset checks', () => {
  let asset: string;
  const fn = (architecture: 'x86_64' | 'arm64'): BuiltFunction => ({
    stack: 'test-tidemark-Careless',
    logicalId: 'Careless',
    runtime: 'nodejs20.x',
    architecture,
    handler: 'index.handler',
    asset,
  });
  /** The first 20 bytes of a 64-bit little-endian ELF shared object for `machine`. */
  const elfHeader = (machine: number) => {
    const header = Buffer.alloc(64);
    header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    header.writeUInt16LE(3, 16);
    header.writeUInt16LE(machine, 18);
    return header;
  };

  beforeAll(async () => {
    // A careless asset: an x86-64 addon, a range instead of the locked version, a package the lockfile lacks.
    asset = await mkdtemp(path.join(tmpdir(), 'tidemark-careless-asset-'));
    const addon = path.join(asset, 'node_modules/better-sqlite3/build/Release');
    await mkdir(addon, { recursive: true });
    await mkdir(path.join(asset, 'node_modules/left-pad'), { recursive: true });
    await Promise.all([
      writeFile(path.join(addon, 'better_sqlite3.node'), elfHeader(62)),
      writeFile(path.join(asset, 'index.mjs'), 'export const handler = async () => {};\n'),
      writeFile(
        path.join(asset, 'package.json'),
        JSON.stringify({ dependencies: { 'better-sqlite3': '*' } }),
      ),
      writeFile(
        path.join(asset, 'node_modules/better-sqlite3/package.json'),
        JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }),
      ),
      writeFile(path.join(asset, 'node_modules/left-pad/package.json'), JSON.stringify({ version: '1.3.0' })),
    ]);
  });
  afterAll(async () => {
    await rm(asset, { recursive: true, force: true });
  });

  it.skipIf(process.platform !== 'linux')("reads the machine of this process's own Node binary", async () => {
    const header = await readFile(process.execPath).then((bytes) => bytes.subarray(0, 20));
    const expected = { x64: ELF_MACHINE_OF.x86_64, arm64: ELF_MACHINE_OF.arm64 }[
      process.arch as 'x64' | 'arm64'
    ];

    expect(elfMachine(header)).toBe(expected);
    expect(elfMachine(Buffer.from('#!/usr/bin/env node\nconsole.log(1);\n'))).toBeUndefined();
  });

  it('reports an x86-64 addon in an arm64 function, not in an x86-64 one', async () => {
    expect(await binaryProblems(fn('arm64'))).toEqual([
      "test-tidemark-Careless Careless (arm64): node_modules/better-sqlite3/build/Release/better_sqlite3.node is an ELF binary for x86-64 (e_machine 62), not arm64's AArch64 (183)",
    ]);
    expect(await binaryProblems(fn('x86_64'))).toEqual([]);
  });

  it('reports a range where the lockfile pins a version, and a package the lockfile does not hold', async () => {
    const lock: Lockfile = { packages: { '': {}, 'node_modules/better-sqlite3': { version: '12.11.1' } } };

    expect(await dependencyProblems(fn('arm64'), lock)).toEqual([
      'test-tidemark-Careless Careless (arm64): package.json asks for better-sqlite3 "*", not the locked 12.11.1',
      'test-tidemark-Careless Careless (arm64): node_modules/left-pad is left-pad@1.3.0, not a version the lockfile holds (none)',
    ]);
  });

  it('reports a deprecated runtime, and one it has no date for', () => {
    expect(runtimeProblem('nodejs20.x', new Date('2026-04-29T12:00:00Z'))).toBeUndefined();
    expect(runtimeProblem('nodejs20.x', new Date('2026-04-30T00:00:00Z'))).toMatch(
      /^nodejs20\.x is deprecated since 2026-04-30: .* runtimes in standard support: nodejs24\.x, nodejs22\.x$/,
    );
    expect(runtimeProblem('nodejs26.x', new Date('2026-12-04'))).toMatch(
      /^nodejs26\.x is not a Lambda Node\.js runtime/,
    );
  });

  it('finds a package by either spelling npm gives it', async () => {
    await writeFile(path.join(asset, 'better_sqlite3.node'), elfHeader(183));

    expect(await packagePresence(fn('arm64'), 'better-sqlite3')).toEqual([
      'test-tidemark-Careless Careless (arm64): holds better_sqlite3.node',
      'test-tidemark-Careless Careless (arm64): holds node_modules/better-sqlite3/ (2 files)',
      'test-tidemark-Careless Careless (arm64): package.json depends on better-sqlite3',
    ]);
    await rm(path.join(asset, 'better_sqlite3.node'));
  });
});
