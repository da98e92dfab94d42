import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import {
  checkpointName,
  type HistoryEntry,
  readWatchCheckpoint,
  VersionStore,
  type WatchProgress,
  type WatchSummary,
} from '@tidemark/core';
import type { EventBridgeApiCallEnvelope } from '@tidemark/simulation';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withSimulatedAccount } from './support/fixtures.js';

type WatchLine = WatchProgress | ({ kind: 'summary' } & WatchSummary);

function policy(sid: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: sid,
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::sailjada.com/*',
      },
    ],
  };
}

const lines = (stdout: string): WatchLine[] =>
  stdout.split('\n').map((line) => JSON.parse(line) as WatchLine);

describe('tidemark watch against the simulated account', () => {
  const env = withSimulatedAccount();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints each capture as it goes and a summary, then captures nothing twice', async () => {
    env.account.putBucketPolicy('sailjada.com', policy('a'));
    env.account.updateFunctionConfiguration('image-resizer', { memorySize: 1024 });

    const first = await env.cli.run('watch', '--once');
    env.account.resetCallCounts();
    const second = await env.cli.run('watch', '--once', '--json');

    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^\S+Z {2}PutBucketPolicy by arn:aws:iam::\d{12}:user\/alice {2}AWS::S3::Bucket sailjada\.com \(us-east-1\) {2}new version v1$/m,
    );
    expect(first.stdout).toMatch(
      /UpdateFunctionConfiguration20150331v2 .*AWS::Lambda::Function image-resizer/,
    );
    expect(first.stdout).toContain('1 polls, 2 new events (0 named nothing to capture)');
    expect(first.stdout).toContain('2 new versions, 0 unchanged, 0 gaps, 0 failed');
    expect(lines(second.stdout).map((line) => line.kind)).toEqual(['poll', 'summary']);
    expect(lines(second.stdout).at(-1)).toMatchObject({ kind: 'summary', events: 0, stopped: 'once' });
    expect(env.account.callCounts()).toEqual({ GetCallerIdentity: 1, LookupEvents: 1, total: 2 });
  });

  it('on Ctrl-C finishes the capture in flight, saves the checkpoint, prints the summary and exits 0', async () => {
    const [event] = env.account.putBucketPolicy('sailjada.com', policy('a')) as EventBridgeApiCallEnvelope[];
    const send = S3Client.prototype.send;
    vi.spyOn(S3Client.prototype, 'send').mockImplementation(function (this: S3Client, ...args: unknown[]) {
      if (args[0] instanceof GetBucketPolicyCommand) process.emit('SIGINT');
      return (send as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    } as never);
    const listeners = process.listenerCount('SIGINT');

    const stopped = await env.cli.run('watch', '--interval', '1s');
    vi.restoreAllMocks();
    const again = await env.cli.run('watch', '--once', '--json');

    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain('stopping: finishing the captures in flight');
    expect(stopped.stdout).toMatch(/sailjada\.com \(us-east-1\) {2}new version v1\n/);
    expect(stopped.stdout).toContain('1 polls, 1 new events');
    expect(process.listenerCount('SIGINT')).toBe(listeners);
    const history = await env.cli.json<{ versions: HistoryEntry[] }>(
      'history',
      'AWS::S3::Bucket:sailjada.com',
    );
    expect(history.versions).toHaveLength(1);
    const store = await VersionStore.open(env.cli.store);
    const checkpoint = await readWatchCheckpoint(store, checkpointName(env.account.accountId, 'us-east-1'));
    store.close();
    expect(Object.keys(checkpoint?.seen ?? {})).toEqual([event?.detail.eventID]);
    expect(lines(again.stdout).filter((line) => line.kind === 'capture')).toEqual([]);
  });

  it('names a corrupt checkpoint and how to start again, and --from starts again', async () => {
    env.account.putBucketPolicy('sailjada.com', policy('a'));
    await env.cli.run('watch', '--once');
    const key = `checkpoints/watch/${env.account.accountId}/us-east-1.json`;
    await writeFile(path.join(env.cli.store, key), '{"schema":1,"from":');

    const corrupt = await env.cli.run('watch', '--once');
    const restarted = await env.cli.run('watch', '--once', '--from', '1h', '--json');

    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain(`tidemark: ${key} in `);
    expect(corrupt.stderr).toContain('to start again from a given time, use --from <time>');
    expect(restarted.code).toBe(0);
    expect(lines(restarted.stdout)).toContainEqual(
      expect.objectContaining({ kind: 'capture', status: 'unchanged', resource: expect.anything() }),
    );
  });

  it('refuses an interval that is not an age', async () => {
    const result = await env.cli.run('watch', '--interval', '2026-01-01');

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'tidemark: --interval 2026-01-01: expected an age of at least one second, such as 30s or 5m',
    );
  });

  it('says in its help that S3 object writes are not in CloudTrail event history', async () => {
    const result = await env.cli.run('watch', '--help');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Event history holds management events only: S3 object-level writes');
    expect(result.stdout).toContain('--once');
  });
});
