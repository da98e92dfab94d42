import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type BaselineReport,
  type BaselineSummary,
  type HistoryEntry,
  type IngestReport,
  type StateDiff,
  type StateEntry,
  type VerifyReport,
  VersionStore,
} from '@tidemark/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubCredentials } from './support/environment.js';
import { writeNdjson } from './support/events.js';
import { withSimulatedAccount } from './support/fixtures.js';
import { type S3Server, startS3Server } from './support/s3-server.js';

const STORE_BUCKET = 'tidemark-store';
const HOME_PAGE = 'AWS::S3::Object:queenofsandiego.com/index.html';

describe('tidemark with its store in an S3 bucket', () => {
  let server: S3Server;
  let caches: string;
  // The simulated account is AWS; the store is on the S3-protocol server, reached at --store-endpoint-url.
  const env = withSimulatedAccount();

  beforeAll(async () => {
    server = await startS3Server({ buckets: [STORE_BUCKET] });
    stubCredentials(server.credentials);
    caches = await mkdtemp(path.join(tmpdir(), 'tidemark-caches-'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server?.stop();
    await rm(caches, { recursive: true, force: true });
  });

  /** The prefix of this test's store in the bucket. */
  let prefix: string;

  /** `tidemark --store s3://… --store-endpoint-url … <args> --json` (the later `--store` wins over the harness's). */
  function tidemark<T>(...args: string[]): Promise<T> {
    const store = `s3://${STORE_BUCKET}/${prefix}`;
    return env.cli.json<T>('--store', store, '--store-endpoint-url', server.endpoint, ...args);
  }

  /** Makes the next commands keep their index in a new, empty cache folder. */
  async function freshCache(): Promise<void> {
    vi.stubEnv('TIDEMARK_CACHE_DIR', await mkdtemp(path.join(caches, 'cache-')));
  }

  it('captures into the bucket, and answers every read from the bucket alone in a fresh cache', async () => {
    prefix = 'capture';
    await freshCache();
    const baseline = await tidemark<BaselineReport>('baseline', '--label', 'v1.0');
    const events = [
      ...env.account.putObject('queenofsandiego.com', 'index.html', '<h1>2027 season</h1>', {
        contentType: 'text/html',
      }),
      ...env.account.updateFunctionConfiguration('image-resizer', { memorySize: 2048 }),
    ];
    const ingest = await tidemark<IngestReport>(
      'ingest',
      await writeNdjson(env.cli.folder, 'e.ndjson', events),
    );

    await freshCache();
    const { versions } = await tidemark<{ versions: HistoryEntry[] }>('history', HOME_PAGE);
    const diff = await tidemark<StateDiff>('diff', '--from', 'v1.0', '--to', 'now');
    const before = await tidemark<{ resources: StateEntry[] }>('state', '--at', 'v1.0');
    const { baselines } = await tidemark<{ baselines: BaselineSummary[] }>('baselines');
    const old = path.join(env.cli.folder, 'old.html');
    await tidemark('show', HOME_PAGE, '--at', 'v1.0', '--blob', old);

    expect(baseline.failures).toEqual([]);
    expect(ingest.captures.map((capture) => [capture.resource.id, capture.status]).sort()).toEqual([
      ['image-resizer', 'appended'],
      ['queenofsandiego.com/index.html', 'appended'],
    ]);
    expect(versions.map((version) => version.cause.kind)).toEqual(['baseline', 'event']);
    expect(diff.changed.map((change) => change.resource.id).sort()).toEqual([
      'image-resizer',
      'queenofsandiego.com/index.html',
    ]);
    expect(before.resources).toHaveLength(baseline.manifest?.entries ?? -1);
    expect(baselines.map((summary) => summary.label)).toEqual(['v1.0']);
    expect(await readFile(old, 'utf8')).not.toContain('2027 season');
    expect(existsSync(env.cli.store)).toBe(false);
  });

  it('reindexes and verifies a store in a bucket', async () => {
    prefix = 'admin';
    await freshCache();
    await tidemark<BaselineReport>('baseline', '--label', 'v1.0');

    await freshCache();
    const counts = await tidemark<{ versions: number; baselines: number }>('reindex');
    const report = await tidemark<VerifyReport>('verify');

    expect(counts.baselines).toBeGreaterThanOrEqual(1);
    expect(counts.versions).toBeGreaterThan(10);
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.checked.versions).toBe(counts.versions);
  });

  it('publishes an index snapshot after a capture, so a fresh cache downloads it instead of every record', async () => {
    prefix = 'snapshot';
    vi.stubEnv('TIDEMARK_SNAPSHOT_AFTER', '10');
    await freshCache();
    const baseline = await tidemark<BaselineReport>('baseline', '--label', 'v1.0');

    const cache = await mkdtemp(path.join(caches, 'cold-'));
    const store = await VersionStore.open(`s3://${STORE_BUCKET}/${prefix}`, {
      endpointUrl: server.endpoint,
      cacheDirectory: cache,
    });
    try {
      expect(store.restoredFrom?.counts.versions).toBe(baseline.manifest?.entries);
      expect(store.baselines().map((summary) => summary.record.label)).toEqual(['v1.0']);
    } finally {
      store.close();
      vi.stubEnv('TIDEMARK_SNAPSHOT_AFTER', undefined);
    }
  });

  it('treats a store emptied and made again under its name as another store, whatever its cache held', async () => {
    prefix = 'recreated';
    await freshCache();
    await tidemark<BaselineReport>('baseline', '--label', 'v1.0');
    await rm(path.join(server.directory, STORE_BUCKET, prefix), { recursive: true, force: true });
    const store = `s3://${STORE_BUCKET}/${prefix}`;
    const run = (...args: string[]) =>
      env.cli.run('--store', store, '--store-endpoint-url', server.endpoint, ...args);

    const emptied = await run('state');
    const again = await run('baseline', '--label', 'v1.0', '--types', 'AWS::Lambda::Function');
    const state = await tidemark<{ resources: StateEntry[] }>('state');

    expect(emptied).toMatchObject({
      code: 2,
      stderr: `tidemark: no Tidemark store at ${store}: a capture (baseline, ingest, watch) creates one`,
    });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('was built from another store at this location: rebuilding it');
    expect(new Set(state.resources.map((entry) => entry.resource.type))).toEqual(
      new Set(['AWS::Lambda::Function']),
    );
  });

  it('refuses a mistyped store prefix with exit 2, creating nothing', async () => {
    const typo = await env.cli.run(
      '--store',
      `s3://${STORE_BUCKET}/typo`,
      '--store-endpoint-url',
      server.endpoint,
      'verify',
    );

    expect(typo).toMatchObject({ code: 2, stdout: '' });
    expect(typo.stderr).toContain(`no Tidemark store at s3://${STORE_BUCKET}/typo`);
    expect(existsSync(path.join(server.directory, STORE_BUCKET, 'typo'))).toBe(false);
  });

  it('explains a malformed store location and a missing bucket', async () => {
    const malformed = await env.cli.run('--store', 's3://Not_A_Bucket/x', 'state');
    const missing = await env.cli.run(
      '--store',
      's3://no-such-bucket/x',
      '--store-endpoint-url',
      server.endpoint,
      'state',
    );

    expect(malformed).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('invalid store bucket "Not_A_Bucket"'),
    });
    expect(missing).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('the store bucket no-such-bucket does not exist'),
    });
  });
});
