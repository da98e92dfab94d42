import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type ChangeEvent,
  coalesce,
  ingestEvents,
  type MappedEvent,
  mapEvents,
  parseEventInput,
  registry,
  runBaseline,
} from '@tidemark/core';
import { MEDIA_BUCKET, SITE_DOMAINS, SimulatedAccount } from '@tidemark/simulation';
import {
  type BenchScenario,
  describeCalls,
  formatBytes,
  perSecond,
  REPO_ROOT,
  Report,
  repeated,
  round,
  timed,
  withSimulatedRig,
  withTempDir,
} from './support.js';

/** Events in the parse + map input. */
const STREAM_EVENTS = 100_000;
/** One line in this many is a real recorded event from the shared fixtures; the others come from the simulation. */
const FIXTURE_EVERY = 4;
/** Events per second through parse + map + coalesce on one core that the project aims for (not a must). */
const GOAL_PER_SECOND = 50_000;
/** Object changes made in the simulated account for the end-to-end ingest. */
const INGEST_PUTS_NEW = 800;
const INGEST_OVERWRITES = 100;
const INGEST_DELETES = 100;
const ACCOUNT_ID = '123456789012';
const FIXTURES = path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'cloudtrail');

/** The real CloudTrail/EventBridge fixtures, each as one NDJSON line. */
async function fixtureLines(): Promise<string[]> {
  if (!existsSync(FIXTURES)) return [];
  const files = (await readdir(FIXTURES, { recursive: true }))
    .filter((file) => file.endsWith('.json'))
    .sort();
  return Promise.all(
    files.map(async (file) => JSON.stringify(JSON.parse(await readFile(path.join(FIXTURES, file), 'utf8')))),
  );
}

/** Events the simulated account emits for a mix of object, bucket and function changes, as NDJSON lines. */
async function simulatedLines(): Promise<string[]> {
  const account = await SimulatedAccount.start({ accountId: ACCOUNT_ID });
  try {
    const buckets = [MEDIA_BUCKET, ...SITE_DOMAINS];
    const functions = ['booking-handler', 'email-sender', 'image-resizer'];
    for (let i = 0; i < 600; i++) {
      const bucket = buckets[i % buckets.length] as string;
      account.putObject(bucket, `uploads/2024/photo-${String(i).padStart(5, '0')}.jpg`, `image ${i}`, {
        contentType: 'image/jpeg',
      });
      // Delete an object put four puts earlier: the same bucket.
      if (i % 6 === 5)
        account.deleteObject(bucket, `uploads/2024/photo-${String(i - 4).padStart(5, '0')}.jpg`);
    }
    for (let i = 0; i < 20; i++)
      account.putBucketPolicy(SITE_DOMAINS[i % SITE_DOMAINS.length] as string, {
        Version: '2012-10-17',
        Statement: [{ Sid: `public-read-${i}`, Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }],
      });
    for (let i = 0; i < 60; i++)
      account.updateFunctionConfiguration(functions[i % 3] as string, { memorySize: 128 + 64 * (i % 8) });
    for (let i = 0; i < 20; i++)
      account.updateFunctionCode(functions[i % 3] as string, { 'index.mjs': `export const v = ${i};` });
    return account.events().map((event) => JSON.stringify(event));
  } finally {
    await account.stop();
  }
}

/** `count` lines: every `FIXTURE_EVERY`-th a fixture, the others simulated, each pool cycled in order. */
function buildStream(fixtures: readonly string[], simulated: readonly string[], count: number): string {
  const lines: string[] = [];
  let f = 0;
  let s = 0;
  for (let i = 0; i < count; i++) {
    if (fixtures.length > 0 && i % FIXTURE_EVERY === 0) lines.push(fixtures[f++ % fixtures.length] as string);
    else lines.push(simulated[s++ % simulated.length] as string);
  }
  return `${lines.join('\n')}\n`;
}

function skipReasons(mapped: readonly MappedEvent[]): string {
  const counts = new Map<string, number>();
  for (const event of mapped)
    if (event.skipped) counts.set(event.skipped.reason, (counts.get(event.skipped.reason) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
}

async function parseAndMap(out: Report, log: (line: string) => void): Promise<void> {
  const fixtures = await fixtureLines();
  const simulated = await simulatedLines();
  const text = buildStream(fixtures, simulated, STREAM_EVENTS);
  out.note(
    `Parse + map: ${STREAM_EVENTS.toLocaleString('en-US')} NDJSON events (1 in ${FIXTURE_EVERY} from the ${fixtures.length} real fixtures in ../shared/fixtures/cloudtrail, the rest from ${simulated.length} simulated events), cycled.`,
  );
  if (fixtures.length === 0)
    out.note('The shared fixtures were not found: the stream is simulated events only.');
  out.note('Times are the median of 3 runs after 1 warm-up.');
  out.metric('input size', Buffer.byteLength(text), 'bytes', formatBytes(Buffer.byteLength(text)));

  log('parseEventInput…');
  let parsed: ChangeEvent[] = [];
  const parse = await repeated(() => {
    parsed = parseEventInput(text, 'bench.ndjson');
    return parsed.length;
  });
  log('mapEvents…');
  let mapped: MappedEvent[] = [];
  const map = await repeated(() => {
    mapped = mapEvents(parsed, registry, { defaultAccount: ACCOUNT_ID });
    return mapped.length;
  });
  log('coalesce…');
  const coalesced = await repeated(() => coalesce(mapped).length);
  const total = parse.medianMs + map.medianMs + coalesced.medianMs;
  const withResources = mapped.filter((event) => event.resources.length > 0).length;

  out.metric('events parsed', parse.result);
  out.metric(
    'parseEventInput',
    round(parse.medianMs),
    'ms',
    `${perSecond(parse.result, parse.medianMs).toLocaleString('en-US')} events/s`,
  );
  out.metric(
    'mapEvents',
    round(map.medianMs),
    'ms',
    `${perSecond(map.result, map.medianMs).toLocaleString('en-US')} events/s`,
  );
  out.metric(
    'coalesce',
    round(coalesced.medianMs),
    'ms',
    `${perSecond(map.result, coalesced.medianMs).toLocaleString('en-US')} events/s`,
  );
  out.goal(
    'parse + map + coalesce',
    perSecond(STREAM_EVENTS, total),
    'events/s',
    { atLeast: GOAL_PER_SECOND },
    [`${round(total)} ms in all`],
  );
  out.metric('events naming a resource', withResources, '', `skipped: ${skipReasons(mapped)}`);
  out.metric('distinct resources after coalesce', coalesced.result);
  out.must('every input line becomes one event', parse.result === STREAM_EVENTS, parse.result);
  out.details.parseMap = {
    inputBytes: Buffer.byteLength(text),
    events: STREAM_EVENTS,
    fixtures: fixtures.length,
    simulatedPool: simulated.length,
    parseMs: parse.runsMs,
    mapMs: map.runsMs,
    coalesceMs: coalesced.runsMs,
    eventsWithResources: withResources,
    distinctResources: coalesced.result,
  };
}

async function ingestEndToEnd(out: Report, log: (line: string) => void): Promise<void> {
  const changes = INGEST_PUTS_NEW + INGEST_OVERWRITES + INGEST_DELETES;
  await withTempDir('ingest', (folder) =>
    withSimulatedRig(folder, { objects: INGEST_OVERWRITES + INGEST_DELETES, functions: 0 }, async (rig) => {
      const { account, engine } = rig;
      log('ingest: baseline first (not timed)…');
      await runBaseline(engine, { regions: ['us-east-1'] });
      const before = account.events().length;
      const generated = (i: number) =>
        `generated/batch-${String(Math.floor(i / 100)).padStart(3, '0')}/object-${String(i).padStart(6, '0')}.bin`;
      for (let i = 0; i < INGEST_PUTS_NEW; i++)
        account.putObject(
          MEDIA_BUCKET,
          `bench/ingest/upload-${String(i).padStart(5, '0')}.bin`,
          'x'.repeat(2048 + i),
          {
            contentType: 'application/octet-stream',
          },
        );
      for (let i = 0; i < INGEST_OVERWRITES; i++)
        account.putObject(MEDIA_BUCKET, generated(i), `rewritten ${i}`.repeat(200));
      for (let i = 0; i < INGEST_DELETES; i++)
        account.deleteObject(MEDIA_BUCKET, generated(INGEST_OVERWRITES + i));
      const events = account.events().slice(before);
      const text = `${events.map((event) => JSON.stringify(event)).join('\n')}\n`;

      account.resetCallCounts();
      log(`ingest: ${events.length} events…`);
      const run = await timed(() => ingestEvents(engine, [{ text, origin: 'bench-ingest.ndjson' }]));
      const calls = account.callCounts();
      const report = run.result;
      const appended = report.captures.filter((capture) => capture.status === 'appended');
      const deletions = appended.filter((capture) => capture.deleted).length;
      out.note(
        `Ingest end to end: ${changes.toLocaleString('en-US')} object changes in the simulated account (${INGEST_PUTS_NEW} new objects, ${INGEST_OVERWRITES} overwrites, ${INGEST_DELETES} deletions; AWS emits an S3 notification and a CloudTrail data event for each), ingested through ingestEvents on top of a baseline; one run.`,
      );
      out.metric('ingest: events in', events.length);
      out.metric(
        'ingest: resources captured',
        report.captures.length,
        '',
        `${appended.length} new versions (${deletions} deletions), ${report.failures.length} failed`,
      );
      out.metric('ingest: wall time', round(run.ms), 'ms');
      out.metric(
        'ingest: throughput',
        perSecond(events.length, run.ms),
        'events/s',
        `${perSecond(report.captures.length, run.ms)} resources/s`,
      );
      out.metric('ingest: AWS calls', calls.total, 'calls', describeCalls(calls));
      out.metric('ingest: AWS calls per event', round(calls.total / events.length, 2));
      out.metric(
        'ingest: AWS calls per resource',
        round(calls.total / Math.max(1, report.captures.length), 2),
      );
      out.details.ingest = {
        changes,
        events: events.length,
        captures: report.captures.length,
        appended: appended.length,
        deletions,
        failures: report.failures,
        wallMs: run.ms,
        sdkCalls: calls,
      };
    }),
  );
}

/** Events per second through parse + map + coalesce, and through `ingestEvents` against the simulation. */
export const eventsBench: BenchScenario = {
  id: 'events',
  title: 'Events: parse + map throughput, and ingest end to end',
  async run(log) {
    const out = new Report();
    await parseAndMap(out, log);
    await ingestEndToEnd(out, log);
    return out.result(this.id, this.title);
  },
};
