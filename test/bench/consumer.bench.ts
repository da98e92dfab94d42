import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  AwsClients,
  CaptureEngine,
  type Hashed,
  LocalKeySealer,
  type ResourceRef,
  registry,
  runBaseline,
  type VersionRecord,
  VersionStore,
} from '@tidemark/core';
import { MEDIA_BUCKET, SimulatedAccount, type SimulatedEvent } from '@tidemark/simulation';
import { mockClient } from 'aws-sdk-client-mock';
import { CONSUMER_HANDLER, SCHEDULE_HANDLER } from '../../stacks/config.js';
import { coldStart as builtColdStart, type ColdStart, lambdaEnvironment } from '../support/built-handler.js';
import { LambdaRig } from '../support/lambda-rig.js';
import { nodeBinary, runNode, runtimeNodeMajor } from '../support/node-runtime.js';
import { REPO_ROOT } from '../support/repo.js';
import { startS3Server } from '../support/s3-server.js';
import {
  type DrainReport,
  drainQueue,
  type SourceQueue,
  type SqsHandler,
  syntheticSqsEvent,
} from '../support/sqs-event-source.js';
import { TestQueues } from '../support/sqs-queues.js';
import { startSqsServer } from '../support/sqs-server.js';
import { type BuiltFunction, sstBuild } from '../support/sst-build.js';
import {
  type BenchScenario,
  benchSize,
  countRequests,
  describeCalls,
  formatBytes,
  generatedObjectKey,
  median,
  now,
  perSecond,
  Report,
  type RequestCounter,
  round,
  s3Operation,
  sqsOperation,
  timed,
  withEnvironment,
  withTempDir,
} from './support.js';

/** Changes made in the simulated account for each run (`TIDEMARK_BENCH_CONSUMER_CHANGES`). */
const CHANGES = benchSize('CONSUMER_CHANGES', 500);
/** Concurrent handler invocations (drain loops) of each run, in order. */
const CONCURRENCY = [1, 8] as const;
/** Generated functions: each run changes every one of them once. */
const FUNCTIONS = 20;
/** Shares of the object changes: overwrites and deletions of existing objects; the rest are new objects. */
const OVERWRITE_SHARE = 0.25;
const DELETE_SHARE = 0.15;
const OBJECT_CHANGES = CHANGES - FUNCTIONS;
const OVERWRITES = Math.round(OBJECT_CHANGES * OVERWRITE_SHARE);
const DELETES = Math.round(OBJECT_CHANGES * DELETE_SHARE);
const NEW_OBJECTS = OBJECT_CHANGES - OVERWRITES - DELETES;
/** Generated objects: as many as the runs overwrite and delete, each object touched by one run only. */
const SCALE = { objects: CONCURRENCY.length * (OVERWRITES + DELETES), functions: FUNCTIONS };

const STORE_BUCKET = 'tidemark-store';
const STORE = `s3://${STORE_BUCKET}/store`;
const REGION = 'us-east-1';
const SEALING_KEY_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:tidemark-sealing-key-AbCdEf';
/** As deployed: a failed message is received again after this, and dead-lettered after its second failure. */
const VISIBILITY_TIMEOUT_S = 30;
const MAX_RECEIVE_COUNT = 2;
const QUEUE_SETTINGS = { visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_S, maxReceiveCount: MAX_RECEIVE_COUNT };
const DRAIN_DEADLINE_MS = 15 * 60_000;
/** Fresh processes each built handler is started in (`TIDEMARK_BENCH_CONSUMER_COLD_STARTS`); the median is shown. */
const COLD_STARTS = benchSize('CONSUMER_COLD_STARTS', 5);

/** One change made in the simulated account: the resource it touches and whether it deleted it. */
interface Change {
  readonly resource: ResourceRef;
  readonly deleted: boolean;
  readonly events: readonly SimulatedEvent[];
}

/**
 * The changes of run `run`: every generated function's memory changed once, new objects put, and generated
 * objects no other run touched overwritten or deleted. Each resource changes once, so each must get exactly
 * one version.
 */
function makeChanges(account: SimulatedAccount, run: number): Change[] {
  const ref = (type: string, id: string): ResourceRef => ({
    account: account.accountId,
    region: account.region,
    type,
    id,
  });
  const object = (key: string, deleted: boolean, events: SimulatedEvent[]): Change => ({
    resource: ref('AWS::S3::Object', `${MEDIA_BUCKET}/${key}`),
    deleted,
    events,
  });
  const changes: Change[] = [];
  for (let i = 1; i <= FUNCTIONS; i++) {
    const name = `fn-${String(i).padStart(4, '0')}`;
    const events = account.updateFunctionConfiguration(name, { memorySize: 256 + 128 * run });
    changes.push({ resource: ref('AWS::Lambda::Function', name), deleted: false, events });
  }
  for (let i = 0; i < NEW_OBJECTS; i++) {
    const key = `bench/consumer/run-${run}/upload-${String(i).padStart(5, '0')}.bin`;
    changes.push(object(key, false, account.putObject(MEDIA_BUCKET, key, `upload ${run}/${i} `.repeat(100))));
  }
  const first = run * (OVERWRITES + DELETES);
  for (let i = first; i < first + OVERWRITES; i++) {
    const key = generatedObjectKey(i);
    changes.push(object(key, false, account.putObject(MEDIA_BUCKET, key, `rewritten in run ${run}`)));
  }
  for (let i = first + OVERWRITES; i < first + OVERWRITES + DELETES; i++) {
    const key = generatedObjectKey(i);
    changes.push(object(key, true, account.deleteObject(MEDIA_BUCKET, key)));
  }
  return changes;
}

/**
 * Events in the order AWS delivers them: S3 notifications within seconds, CloudTrail events minutes later, so
 * the two events of an object change never share a batch (the second capture finds the object unchanged).
 */
function deliveryOrder(events: readonly SimulatedEvent[]): SimulatedEvent[] {
  const cloudTrail = (event: SimulatedEvent) => event['detail-type'] === 'AWS API Call via CloudTrail';
  return [...events.filter((event) => !cloudTrail(event)), ...events.filter(cloudTrail)];
}

/**
 * How many changes did not get exactly one new version: the next seq, chained to the version before it, deleted
 * or not as the change was.
 */
function wrongVersions(
  changes: readonly Change[],
  before: ReadonlyArray<Hashed<VersionRecord> | undefined>,
  observer: VersionStore,
): number {
  return changes.filter((change, i) => {
    const previous = before[i];
    const latest = observer.latest(change.resource);
    return (
      latest === undefined ||
      latest.record.seq !== (previous?.record.seq ?? 0) + 1 ||
      latest.record.prev !== (previous?.hash ?? null) ||
      latest.record.deleted !== change.deleted
    );
  }).length;
}

/** What one drain of the queue did, from its first receive until the last invocation returned. */
interface DrainRun {
  readonly busyMs: number;
  readonly wallMs: number;
  readonly invocations: number;
  readonly failures: number;
  /** Errors the handler threw (the whole batch then fails and is received again). */
  readonly errors: readonly string[];
}

/** Drains the queue with `loops` concurrent event source loops over one handler (one container). */
async function drain(
  queues: TestQueues,
  queue: SourceQueue,
  handler: SqsHandler,
  loops: number,
): Promise<DrainRun> {
  let lastDone = 0;
  const errors: string[] = [];
  const timedHandler: SqsHandler = async (event, context) => {
    try {
      return await handler(event, context);
    } catch (error) {
      // Keys vary; the kind of error is what matters.
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      errors.push(message.replace(/[0-9a-f]{40}\/\d{10}/g, '…'));
      throw error;
    } finally {
      lastDone = now();
    }
  };
  const start = now();
  const reports: DrainReport[] = await Promise.all(
    Array.from({ length: loops }, () =>
      drainQueue(queues.sqs, queue, timedHandler, { deadlineMs: DRAIN_DEADLINE_MS }),
    ),
  );
  return {
    busyMs: lastDone - start,
    wallMs: now() - start,
    invocations: reports.reduce((sum, report) => sum + report.invocations, 0),
    failures: reports.reduce((sum, report) => sum + report.failures, 0),
    errors,
  };
}

/** Each distinct error once, with how many times it was thrown. */
function describeErrors(errors: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const error of errors) counts.set(error, (counts.get(error) ?? 0) + 1);
  return [...counts].map(([error, count]) => `${count}x ${error}`).join('; ');
}

/** Everything a run needs: the account as AWS, the queues, the handler, and a store reader to check with. */
interface Rig {
  readonly account: SimulatedAccount;
  readonly queues: TestQueues;
  readonly handler: SqsHandler;
  readonly observer: VersionStore;
  readonly storeRequests: RequestCounter;
  readonly sqsRequests: RequestCounter;
}

/** Makes {@link CHANGES} changes, queues their events on a fresh queue and drains it with `loops` invocations. */
async function measureRun(rig: Rig, run: number, loops: number, out: Report, log: (line: string) => void) {
  const { account, queues, observer } = rig;
  const label = `${loops} concurrent`;
  const { queue, dlq } = await queues.create(`tidemark-bench-${run}`, QUEUE_SETTINGS);
  await observer.refresh();
  const changes = makeChanges(account, run);
  const before = changes.map((change) => observer.latest(change.resource));
  const bodies = deliveryOrder(changes.flatMap((change) => change.events)).map((event) =>
    JSON.stringify(event),
  );
  await queues.send(queue, bodies);
  account.resetCallCounts();
  rig.storeRequests.reset();
  rig.sqsRequests.reset();
  log(`${label}: ${changes.length} changes, ${bodies.length} events…`);
  const drained = await drain(queues, queue, rig.handler, loops);
  const calls = account.callCounts();
  const storeCounts = rig.storeRequests.counts();
  const sqsCounts = rig.sqsRequests.counts();
  const appended = await observer.refresh();
  const wrong = wrongVersions(changes, before, observer);
  const left = { queue: await queues.depth(queue), dlq: await queues.depth(dlq) };

  out.metric(
    `${label}: throughput`,
    perSecond(bodies.length, drained.busyMs),
    'events/s',
    `${perSecond(changes.length, drained.busyMs)} changes/s; ${bodies.length} events in ${round(drained.busyMs / 1000, 2)} s (${round(drained.wallMs / 1000, 2)} s until the empty queue was confirmed)${drained.failures > 0 ? `, waits of the ${VISIBILITY_TIMEOUT_S} s visibility timeout for failed messages included` : ''}`,
  );
  out.metric(
    `${label}: invocations`,
    drained.invocations,
    '',
    `${round(bodies.length / drained.invocations, 1)} messages each, ${round(drained.busyMs / drained.invocations)} ms each over the run`,
  );
  out.metric(
    `${label}: failed messages`,
    drained.failures,
    '',
    drained.failures === 0
      ? 'none'
      : `received again after the ${VISIBILITY_TIMEOUT_S} s visibility timeout (within the time above); handler threw: ${describeErrors(drained.errors)}`,
  );
  out.metric(`${label}: versions appended`, appended.versions, '', `${changes.length} changed resources`);
  out.metric(
    `${label}: AWS calls per event`,
    round(calls.total / bodies.length, 2),
    'calls',
    `${calls.total} to the simulated AWS (${round(calls.total / changes.length, 2)} per change): ${describeCalls(calls)}`,
  );
  out.metric(
    `${label}: store requests per event`,
    round(storeCounts.total / bodies.length, 2),
    'requests',
    `${storeCounts.total} to s3rver (${perSecond(storeCounts.total, drained.busyMs)}/s): ${describeCalls(storeCounts)}`,
  );
  out.metric(
    `${label}: SQS requests`,
    sqsCounts.total,
    'requests',
    `to fauxqs, by the event source loops: ${describeCalls(sqsCounts)}`,
  );
  out.must(
    `${label}: every change got exactly one new version, chained to the one before`,
    wrong === 0 && appended.versions === changes.length,
    `${wrong} changes without exactly their version; ${appended.versions} versions appended for ${changes.length} changes`,
  );
  out.must(
    `${label}: queue and DLQ empty`,
    left.queue === 0 && left.dlq === 0,
    `${left.queue} in the queue, ${left.dlq} in the DLQ`,
  );
  out.details[`concurrency${loops}`] = {
    changes: changes.length,
    events: bodies.length,
    ...drained,
    versionsAppended: appended.versions,
    wrongVersions: wrong,
    awsCalls: calls,
    storeRequests: storeCounts,
    sqsRequests: sqsCounts,
    left,
  };
}

/** Stores a baseline of the simulated account through an engine over `store` (not timed: the runs' starting point). */
async function storeBaseline(store: VersionStore, key: Buffer, out: Report): Promise<void> {
  const engine = await CaptureEngine.create({
    store,
    clients: new AwsClients(),
    sealer: new LocalKeySealer(key),
    registry,
  });
  const baseline = await timed(() => runBaseline(engine, { regions: [REGION] }));
  out.metric(
    'baseline (setup)',
    round(baseline.ms / 1000, 1),
    's',
    `${store.index.counts().resources.toLocaleString('en-US')} resources into the s3rver store; informational`,
  );
}

/**
 * The consumer of a new Lambda container, configured as the Pipeline stack configures it (the environment is set
 * around the whole scenario), and its first invocation: it reads the key from Secrets Manager and builds its index
 * from the store.
 */
async function coldStart(rig: Omit<Rig, 'handler'>, queue: SourceQueue, out: Report): Promise<SqsHandler> {
  const { handler } = (await import('../../packages/functions/src/consumer.js')) as { handler: SqsHandler };
  const events = rig.account.putObject(MEDIA_BUCKET, 'bench/consumer/cold-start.txt', 'first');
  await rig.queues.send(
    queue,
    events.map((event) => JSON.stringify(event)),
  );
  const cold = await drain(rig.queues, queue, handler, 1);
  out.metric(
    'cold start: first drain',
    round(cold.busyMs),
    'ms',
    `${cold.invocations} invocation(s) of a new container (Secrets Manager key, index built from the store: ${rig.observer.index.counts().versions.toLocaleString('en-US')} versions), ${events.length} events`,
  );
  return handler;
}

/** How cdk-assets (the publisher `sst deploy` uses) zips a folder asset: `zipDirectory(folder, zipFile, onWarning)`. */
type ZipDirectory = (
  directory: string,
  outputFile: string,
  onWarning: (message: string) => void,
) => Promise<void>;

/** The size of an asset folder as Lambda receives it: zipped exactly as `sst deploy` publishes it. */
async function zippedBytes(asset: string, zipFile: string): Promise<number> {
  const fromSst = createRequire(path.join(REPO_ROOT, 'node_modules', 'sst', 'package.json'));
  const { zipDirectory } = fromSst('cdk-assets/lib/private/archive.js') as { zipDirectory: ZipDirectory };
  await zipDirectory(asset, zipFile, () => undefined);
  return (await stat(zipFile)).size;
}

/** Bytes and files of an asset folder as Lambda unpacks it. */
async function unpacked(asset: string): Promise<{ bytes: number; files: number }> {
  const entries = (await readdir(asset, { recursive: true, withFileTypes: true })).filter((entry) =>
    entry.isFile(),
  );
  const sizes = await Promise.all(
    entries.map(async (entry) => (await stat(path.join(entry.parentPath, entry.name))).size),
  );
  return { bytes: sizes.reduce((sum, size) => sum + size, 0), files: entries.length };
}

/** `consumer` of `packages/functions/src/consumer.handler`. */
const handlerName = (fn: BuiltFunction) => path.basename(fn.handler.slice(0, fn.handler.lastIndexOf('.')));

/**
 * One cold start of a built handler in a fresh process: the consumer with an SQS batch of one S3 notification of
 * a new object (captured into the store), the schedule with its scheduled event (a baseline planned and queued).
 * An Error unless the invocation did all of it.
 */
async function coldStartOnce(
  node: string,
  fn: BuiltFunction,
  rig: LambdaRig,
  run: number,
): Promise<ColdStart<unknown>> {
  const { queue } = await rig.queues.create(`tidemark-cold-${handlerName(fn)}-${run}`, QUEUE_SETTINGS);
  const env = lambdaEnvironment(fn, await rig.variables(queue.url));
  if (fn.handler === CONSUMER_HANDLER) {
    const notification = await rig.putObject(
      `bench/cold-start/object-${run}.txt`,
      `cold start ${run} `.repeat(50),
    );
    const start = await builtColdStart<{ batchItemFailures?: unknown[] }>(
      node,
      fn,
      syntheticSqsEvent([JSON.stringify(notification)], queue),
      env,
    );
    if (start.result?.batchItemFailures?.length !== 0)
      throw new Error(`the consumer reported failures: ${JSON.stringify(start.result)}`);
    return start;
  }
  const start = await builtColdStart<{ planned?: number; unsent?: unknown[] }>(
    node,
    fn,
    rig.scheduledEvent(),
    env,
  );
  if (!start.result?.planned || start.result.unsent?.length !== 0)
    throw new Error(`the schedule queued no baseline: ${JSON.stringify(start.result)}`);
  return start;
}

/**
 * The functions as deployed: the real `sst build` (AWS a stub on 127.0.0.1), each of Tidemark's functions' asset
 * size zipped (as Lambda receives it) and unpacked, and its handler's cold start as built, in fresh processes of
 * its runtime's Node against local servers (s3rver, fauxqs, the stub).
 */
async function measureBuiltFunctions(out: Report, log: (line: string) => void): Promise<void> {
  await withTempDir('sst-build', async (folder) => {
    log('sst build (AWS: a stub on 127.0.0.1)…');
    const build = await sstBuild({ to: path.join(folder, 'dist') });
    const functions = build.functions.filter(
      (fn) => fn.handler === CONSUMER_HANDLER || fn.handler === SCHEDULE_HANDLER,
    );
    out.metric(
      'sst build',
      round(build.ms / 1000, 1),
      's',
      `every function bundled as SST bundles it, every stack synthesized; ${build.functions.length} Lambda functions in all; informational`,
    );
    for (const fn of functions) {
      const zipped = await zippedBytes(fn.asset, path.join(folder, `${handlerName(fn)}.zip`));
      const files = await unpacked(fn.asset);
      out.metric(
        `${handlerName(fn)}: asset zipped`,
        round(zipped / 1024, 1),
        'KiB',
        `${zipped.toLocaleString('en-US')} bytes: the .zip Lambda receives (${fn.runtime}, ${fn.architecture})`,
      );
      out.metric(
        `${handlerName(fn)}: asset unpacked`,
        round(files.bytes / 1024, 1),
        'KiB',
        `${files.bytes.toLocaleString('en-US')} bytes (${formatBytes(files.bytes)}) in ${files.files} files`,
      );
      out.details[`${handlerName(fn)}Asset`] = {
        zippedBytes: zipped,
        unpackedBytes: files.bytes,
        files: files.files,
      };
    }
    const rig = await LambdaRig.start();
    try {
      for (const fn of functions) {
        const node = await nodeBinary(runtimeNodeMajor(fn.runtime));
        const version = (
          await runNode(node, ['--version'], { env: { PATH: process.env.PATH ?? '' } })
        ).stdout.trim();
        const name = handlerName(fn);
        log(`${name}: ${COLD_STARTS} cold starts on Node ${version}…`);
        const starts: ColdStart<unknown>[] = [];
        let failure: string | undefined;
        for (let run = 0; run < COLD_STARTS && !failure; run++) {
          try {
            starts.push(await coldStartOnce(node, fn, rig, run));
          } catch (error) {
            failure = error instanceof Error ? error.message : String(error);
          }
        }
        const of = (pick: (start: ColdStart<unknown>) => number) => round(median(starts.map(pick)));
        if (starts.length > 0)
          out.metric(
            `${name}: cold start as built`,
            of((start) => start.importMs + start.invokeMs),
            'ms',
            `medians: import ${of((start) => start.importMs)} ms, first invocation ${of((start) => start.invokeMs)} ms, process spawn to exit ${of((start) => start.processMs)} ms; ${starts.length} fresh Node ${version} processes`,
          );
        out.must(
          `${name}: the handler as built starts and does its work on Node ${version} (${fn.runtime})`,
          failure === undefined,
          failure ?? `${starts.length} cold starts`,
        );
        out.details[`${name}ColdStarts`] = starts.map(({ importMs, invokeMs, processMs }) => ({
          importMs: round(importMs),
          invokeMs: round(invokeMs),
          processMs: round(processMs),
        }));
      }
    } finally {
      await rig.stop();
    }
  });
}

/**
 * The SQS consumer handler end to end: events on an SQS-protocol server (fauxqs), the handler run as Lambda's event
 * source mapping runs it, AWS answered by the simulated account, the store on an S3-protocol server (s3rver).
 */
export const consumerBench: BenchScenario = {
  id: 'consumer',
  title: `Consumer end to end: fauxqs -> handler -> s3rver store, ${CHANGES.toLocaleString('en-US')} changes with ${CONCURRENCY.join(' and ')} concurrent invocations`,
  async run(log) {
    if (OBJECT_CHANGES < 1)
      throw new Error(
        `TIDEMARK_BENCH_CONSUMER_CHANGES must exceed the ${FUNCTIONS} function changes, received ${CHANGES}`,
      );
    const out = new Report();
    for (const line of [
      `Simulated account + ${SCALE.objects.toLocaleString('en-US')} objects + ${FUNCTIONS} functions as AWS; queue on fauxqs; store s3://… on s3rver (own process); both on 127.0.0.1.`,
      'A baseline through runBaseline first (not timed): the runs capture on top of it, the steady state.',
      `Each run: ${CHANGES} changes (${FUNCTIONS} function configuration updates, ${NEW_OBJECTS} new objects, ${OVERWRITES} overwrites, ${DELETES} deletions; AWS`,
      'emits an S3 notification and a CloudTrail data event per object change), their events sent to a fresh queue as AWS',
      'delivers them (the S3 notifications first, the CloudTrail events minutes later: a second capture finds the object unchanged)',
      `(visibility ${VISIBILITY_TIMEOUT_S} s, DLQ after ${MAX_RECEIVE_COUNT} receives), then drained by drainQueue (receive 10, invoke, delete the done) with 1, then 8,`,
      'concurrent loops. Throughput: events from the first receive until the last invocation returned.',
      'The 8 concurrent invocations share one Node process, one container runtime and one engine (one SQLite index),',
      'on 2 cores beside fauxqs and s3rver: unlike 8 Lambda containers, each with its own CPU and index.',
      's3rver (one process, files on disk, ~15 ms per PUT and ~3-5 ms per GET here) bounds these rates: compare the runs',
      'and the calls and requests per event, not the rates with AWS. s3rver runs with a shim that makes its PUTs atomic and',
      'honours If-None-Match like S3 (test/support/s3-server-child.mjs); failed messages would be received again after the',
      'visibility timeout and are counted.',
      "AWS calls: only the simulated account's (callCounts()); store and SQS requests are counted apart, as sent over HTTP.",
      `Sizes: TIDEMARK_BENCH_CONSUMER_CHANGES=${CHANGES} per run.`,
      "First, the functions as deployed: the real `sst build` (AWS answered by a stub on 127.0.0.1), the consumer's and the",
      "schedule's asset zipped as `sst deploy` publishes it (cdk-assets) and unpacked, and each handler's cold start as built:",
      `a fresh process of the runtime's Node (from the npm registry's node package) in the asset folder imports the handler file and`,
      'invokes it once (the consumer captures one new object of an s3rver bucket into the store; the schedule plans a baseline',
      `and queues it on fauxqs; STS and Secrets Manager on the stub); median of ${COLD_STARTS} (TIDEMARK_BENCH_CONSUMER_COLD_STARTS).`,
      "This machine is not a Lambda arm64 container: compare cold starts between builds, not with Lambda's.",
    ])
      out.note(line);
    await measureBuiltFunctions(out, log);
    const [sqsServer, s3Server] = await Promise.all([
      startSqsServer(),
      startS3Server({ buckets: [STORE_BUCKET] }),
    ]);
    const storeRequests = countRequests(s3Server.endpoint, s3Operation);
    const sqsRequests = countRequests(sqsServer.endpoint, sqsOperation);
    const secrets = mockClient(SecretsManagerClient);
    const key = randomBytes(32);
    secrets.on(GetSecretValueCommand, { SecretId: SEALING_KEY_SECRET }).resolves({
      ARN: SEALING_KEY_SECRET,
      Name: 'tidemark-sealing-key',
      SecretString: key.toString('base64'),
      VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      VersionStages: ['AWSCURRENT'],
    });
    // The simulated account answers AWS whatever the credentials; s3rver accepts only its own.
    const machine = {
      AWS_ACCESS_KEY_ID: s3Server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3Server.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_SQS: sqsServer.endpoint,
      TIDEMARK_STORE_ENDPOINT_URL: s3Server.endpoint,
    };
    try {
      await withEnvironment(machine, () =>
        withTempDir('consumer', async (folder) => {
          const queues = new TestQueues(
            new SQSClient({ endpoint: sqsServer.endpoint, region: REGION }),
            REGION,
          );
          const first = await queues.create('tidemark-bench-cold', QUEUE_SETTINGS);
          const consumer = {
            TIDEMARK_STORE: STORE,
            TIDEMARK_QUEUE_URL: first.queue.url,
            TIDEMARK_REGIONS: REGION,
            TIDEMARK_HOME_REGION: REGION,
            TIDEMARK_OBJECT_BUCKETS: '*',
            TIDEMARK_SEALING_KEY_SECRET: SEALING_KEY_SECRET,
            TIDEMARK_CACHE_DIR: await mkdtemp(path.join(folder, 'lambda-tmp-')),
            POWERTOOLS_LOG_LEVEL: 'SILENT',
            POWERTOOLS_METRICS_DISABLED: 'true',
          };
          await withEnvironment(consumer, async () => {
            const account = await SimulatedAccount.start({ scale: SCALE });
            const observer = await VersionStore.open(STORE, {
              cacheDirectory: path.join(folder, 'observer'),
            });
            try {
              log('baseline into the s3rver store (not timed)…');
              await storeBaseline(observer, key, out);
              const base = { account, queues, observer, storeRequests, sqsRequests };
              log('cold start…');
              const handler = await coldStart(base, first.queue, out);
              for (const [run, loops] of CONCURRENCY.entries())
                await measureRun({ ...base, handler }, run, loops, out, log);
            } finally {
              observer.close();
              await account.stop();
            }
          });
        }),
      );
    } finally {
      secrets.restore();
      storeRequests.stop();
      sqsRequests.stop();
      await Promise.all([sqsServer.stop(), s3Server.stop()]);
    }
    return out.result(this.id, this.title);
  },
};
