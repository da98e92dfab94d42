import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BaselineReport, MappedEvent, StateEntry } from '@tidemark/core';
import { describe, expect, it } from 'vitest';
import type { CliResult } from './support/cli.js';
import { overrideEnvironment } from './support/environment.js';
import { withCli, withSimulatedAccount } from './support/fixtures.js';

const FIXTURES = path.resolve(import.meta.dirname, '..', '..', 'shared', 'fixtures', 'cloudtrail');

describe('tidemark without AWS', () => {
  const env = withCli();

  it('maps events to resources without calling AWS', async () => {
    const files = ['lambda/DeleteFunction-1.json', 's3/PutBucketAcl-1.json'].map((f) =>
      path.join(FIXTURES, f),
    );

    const { events } = await env.cli.json<{ events: MappedEvent[] }>('events', 'map', ...files);

    expect(events).toHaveLength(2);
    expect(events[0]?.resources[0]).toMatchObject({ type: 'AWS::Lambda::Function', id: 'basic-node-task' });
    expect(events[1]).toMatchObject({ resources: [], skipped: { reason: 'unresolvable' } });
  });

  it('explains a store that is not there, a bad region and a missing file with exit code 2, creating nothing', async () => {
    const unknown = await env.cli.run('history', 'no-such-thing');
    const badRegion = await env.cli.run('baseline', '--regions', 'mars-1');
    const missingFile = await env.cli.run('ingest', path.join(env.cli.folder, 'absent.json'));

    expect([unknown.code, badRegion.code, missingFile.code]).toEqual([2, 2, 2]);
    expect(unknown.stderr).toBe(
      `tidemark: no Tidemark store at ${env.cli.store}: a capture (baseline, ingest, watch) creates one`,
    );
    expect(existsSync(env.cli.store)).toBe(false);
    expect(badRegion.stderr).toBe('tidemark: invalid region mars-1: expected names like eu-west-1');
    expect(missingFile.stderr).toMatch(/cannot read .*absent\.json: ENOENT/);
  });

  it('reports an unknown option of a subcommand on one line that names where its usage is', async () => {
    const result = await env.cli.run('state', '--bogus');

    expect(result.code).toBe(2);
    expect(result.stderr).toBe("tidemark state: unknown option '--bogus'; see tidemark state --help");
    expect(result.stdout).toBe('');
  });

  it('prints help for every command', async () => {
    const result = await env.cli.run('--help');

    expect(result.code).toBe(0);
    for (const command of [
      'baseline',
      'ingest',
      'events',
      'state',
      'show',
      'history',
      'diff',
      'baselines',
      'verify',
      'reindex',
      'watch',
      'dlq',
    ])
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });
});

describe('tidemark against the simulated account', () => {
  const env = withSimulatedAccount();

  it('captures buckets in every selected region, each with its own region', async () => {
    await env.cli.json<BaselineReport>('baseline', '--regions', 'us-east-1,us-west-2');

    const west = await env.cli.json<{ resources: StateEntry[] }>('state', '--region', 'us-west-2');

    expect(west.resources.map((e) => e.resource.type)).toContain('AWS::S3::Bucket');
    expect(west.resources.length).toBeGreaterThan(1);
    expect(west.resources.every((e) => e.resource.region === 'us-west-2')).toBe(true);
  });

  it('resolves a bare id whatever the default region, and says when a region is not in the store', async () => {
    await env.cli.json<BaselineReport>('baseline');
    const restore = overrideEnvironment({ AWS_REGION: 'eu-central-1' });
    let results: [{ resource: { region: string } }, CliResult, CliResult, CliResult, CliResult];
    try {
      results = [
        await env.cli.json<{ resource: { region: string } }>('history', 'sailjada.com/index.html'),
        await env.cli.run('state', '--region', 'eu-central-1'),
        await env.cli.run('show', 'sailjada.com/index.html', '--region', 'eu-central-1'),
        await env.cli.run('history', 'no-such-thing'),
        await env.cli.run('state', '--at', 'last tuesday'),
      ];
    } finally {
      restore();
    }
    const [history, state, show, unknown, badTime] = results;

    expect(history.resource.region).toBe('us-east-1');
    expect(unknown).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'tidemark: no resource no-such-thing in the store',
    });
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toMatch(/cannot read the time "last tuesday": expected now/);
    for (const result of [state, show]) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        'tidemark: the store holds no resource in eu-central-1; its regions are global, us-east-1',
      );
    }
  });

  it('writes a function code zip whose sha256 is the function CodeSha256', async () => {
    await env.cli.json<BaselineReport>('baseline');
    const zip = path.join(env.cli.folder, 'booking.zip');

    const shown = await env.cli.json<{ document: { Configuration: { CodeSha256: string } } }>(
      'show',
      'AWS::Lambda::Function:booking-handler',
      '--blob',
      zip,
      '--blob-name',
      'code',
    );

    const digest = createHash('sha256')
      .update(await readFile(zip))
      .digest('base64');
    expect(digest).toBe(shown.document.Configuration.CodeSha256);
  });

  it('fails verify with exit code 1 when a stored object is corrupted', async () => {
    await env.cli.json<BaselineReport>('baseline');
    const files = await env.cli.storeFiles();
    const blob = files.find((f) => f.file.includes(`${path.sep}blobs${path.sep}`));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(blob?.file as string, 'bit rot');

    const result = await env.cli.run('verify');

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/corrupted\s+blobs\/sha256\//);
  });
});
