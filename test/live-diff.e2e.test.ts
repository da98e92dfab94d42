import { createHash } from 'node:crypto';
import path from 'node:path';
import type { HistoryEntry, LiveDiff } from '@tidemark/core';
import { madeBy } from '@tidemark/simulation';
import { describe, expect, it } from 'vitest';
import { writeNdjson } from './support/events.js';
import { withSimulatedAccount } from './support/fixtures.js';

/** `AWS::Type id` of each entry. */
const named = (entries: ReadonlyArray<{ resource: { type: string; id: string } }>) =>
  entries.map(({ resource }) => `${resource.type} ${resource.id}`);

describe('tidemark diff --to live and tidemark changes', () => {
  const env = withSimulatedAccount();

  /** Baseline v1.0; then alice's and bob's changes, captured from their events, and an object deleted silently. */
  async function baselineThenChanges(): Promise<void> {
    expect((await env.cli.run('baseline', '--label', 'v1.0', '--json')).code).toBe(0);
    const ingest = async (name: string, events: readonly unknown[]) =>
      expect(
        (await env.cli.run('ingest', await writeNdjson(env.cli.folder, name, events), '--json')).code,
      ).toBe(0);
    await ingest(
      'alice.ndjson',
      env.account.updateFunctionConfiguration('booking-handler', { memorySize: 1024 }),
    );
    await ingest(
      'bob.ndjson',
      madeBy(
        env.account.putBucketPolicy('sailjada.com', {
          Version: '2012-10-17',
          Statement: [{ Sid: 'Private', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }],
        }),
        'bob',
      ),
    );
    env.account.deleteObject('sailjada.com', 'index.html');
  }

  /**
   * Every record and blob file of the store with its bytes' digest: what a command that writes nothing leaves as it
   * was. The SQLite index beside them is a cache every command brings up to date, so it is left out.
   */
  const storeListing = async () =>
    (await env.cli.storeFiles())
      .filter(({ file }) => !path.basename(file).startsWith('index.sqlite'))
      .map(({ file, text }) => `${file} ${createHash('sha256').update(text, 'latin1').digest('hex')}`)
      .sort();

  it('shows exactly what changed since v1.0, stores it only with --capture, then finds nothing more', async () => {
    await baselineThenChanges();
    const before = await storeListing();

    const live = await env.cli.json<LiveDiff>('diff', '--from', 'v1.0', '--to', 'live');
    const text = await env.cli.run('diff', '--from', 'v1.0', '--to', 'live');
    const afterRead = await storeListing();

    expect(live.added).toEqual([]);
    expect(named(live.removed)).toEqual(['AWS::S3::Object sailjada.com/index.html']);
    expect(named(live.changed)).toEqual([
      'AWS::Lambda::Function booking-handler',
      'AWS::S3::Bucket sailjada.com',
    ]);
    expect(live.changed[0]?.changes).toEqual([
      { path: 'Configuration.MemorySize', change: 'changed', before: 256, after: 1024 },
    ]);
    expect(live.changed[1]?.changes.map((change) => change.path)).toContain('Policy.Statement.0.Sid');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^0 added, 1 removed, 2 changed$/m);
    expect(text.stdout).toMatch(/^- AWS::S3::Object sailjada\.com\/index\.html \(us-east-1\)$/m);
    expect(text.stdout).toMatch(/^ {4}~ Configuration\.MemorySize: 256 → 1024$/m);
    expect(afterRead).toEqual(before);

    const captured = await env.cli.run('diff', '--from', 'v1.0', '--to', 'live', '--capture');
    const object = await env.cli.json<{ versions: HistoryEntry[] }>(
      'history',
      'AWS::S3::Object:sailjada.com/index.html',
    );
    const again = await env.cli.json<LiveDiff>('diff', '--from', 'now', '--to', 'live');

    expect(captured.code).toBe(0);
    expect(captured.stdout).toMatch(/^0 added, 1 removed, 2 changed$/m);
    expect(object.versions.map((version) => [version.cause.kind, version.deleted])).toEqual([
      ['baseline', false],
      ['drift-check', true],
    ]);
    expect([again.added, again.removed, again.changed]).toEqual([[], [], []]);
  });

  it('compares the other way with --from live, filters like every read command, and escapes names', async () => {
    await baselineThenChanges();
    env.account.putObject('sailjada.com', 'offers\x1b[2K\n.html', '<h1>Offers</h1>', {
      contentType: 'text/html',
    });

    const reversed = await env.cli.json<LiveDiff>('diff', '--from', 'live', '--to', 'v1.0');
    const sinceV1 = ['diff', '--from', 'v1.0', '--to', 'live'];
    const objects = await env.cli.json<LiveDiff>(...sinceV1, '--type', 'AWS::S3::Object');
    const booking = await env.cli.json<LiveDiff>(...sinceV1, '--id', 'booking-*');

    const objectsText = await env.cli.run(...sinceV1, '--type', 'AWS::S3::Object');

    expect(named(reversed.added)).toEqual(['AWS::S3::Object sailjada.com/index.html']);
    expect(named(reversed.removed)).toEqual(['AWS::S3::Object sailjada.com/offers\x1b[2K\n.html']);
    expect(objectsText.stdout.split('\n').slice(1, 4)).toEqual([
      '1 added, 1 removed, 0 changed',
      '+ AWS::S3::Object sailjada.com/offers\\x1b[2K\\n.html (us-east-1)',
      '- AWS::S3::Object sailjada.com/index.html (us-east-1)',
    ]);
    expect(reversed.changed[0]?.changes).toEqual([
      { path: 'Configuration.MemorySize', change: 'changed', before: 1024, after: 256 },
    ]);
    expect([named(objects.added), named(objects.removed), objects.changed]).toEqual([
      ['AWS::S3::Object sailjada.com/offers\x1b[2K\n.html'],
      ['AWS::S3::Object sailjada.com/index.html'],
      [],
    ]);
    expect([booking.removed, named(booking.changed)]).toEqual([
      [],
      ['AWS::Lambda::Function booking-handler'],
    ]);
  });

  it("lists who changed what, one line each, and only alice's changes with --by 'alice*'", async () => {
    await baselineThenChanges();
    await env.cli.run('diff', '--from', 'v1.0', '--to', 'live', '--capture');

    const all = await env.cli.run('changes', '--since', '1d');
    const alice = await env.cli.run('changes', '--since', '1d', '--by', 'alice*');

    expect(all.code).toBe(0);
    const lines = all.stdout.split('\n');
    expect(lines[0]).toMatch(/^3 changes from /);
    expect(lines[1]).toMatch(
      /^\S+ +drift check +deleted +AWS::S3::Object sailjada\.com\/index\.html \(us-east-1\)$/,
    );
    expect(lines[2]).toMatch(
      /^\S+ +bob +changed +AWS::S3::Bucket sailjada\.com \(us-east-1\) +PutBucketPolicy +Policy\.Statement\.0\.Action\.0, Policy\.Statement\.0\.Effect, Policy\.Statement\.0\.Resource\.0 \+1$/,
    );
    expect(lines[3]).toMatch(
      /^\S+ +alice +changed +AWS::Lambda::Function booking-handler \(us-east-1\) +UpdateFunctionConfiguration20150331v2 +Configuration\.MemorySize$/,
    );
    expect(alice.stdout.split('\n').slice(1)).toEqual([
      expect.stringMatching(/ alice +changed .* booking-handler /),
    ]);
  });

  it('refuses bad input with exit code 2, writing nothing', async () => {
    expect((await env.cli.run('baseline', '--types', 'AWS::Lambda::Function', '--json')).code).toBe(0);
    const before = await storeListing();

    const results = [
      await env.cli.run('diff', '--from', 'live', '--to', 'live'),
      await env.cli.run('diff', '--from', '1h', '--to', 'now', '--capture'),
      await env.cli.run('changes', '--since', 'bogus'),
      await env.cli.run('state', '--at', 'live'),
    ];

    expect(results.map((result) => [result.code, result.stdout])).toEqual([
      [2, ''],
      [2, ''],
      [2, ''],
      [2, ''],
    ]);
    expect(results.map((result) => result.stderr)).toEqual([
      'tidemark: --from and --to are both live: compare the live account with a stored moment',
      'tidemark: --capture stores what a live read found: it needs --from live or --to live, received --from 1h --to now',
      expect.stringMatching(/^tidemark: cannot read the time "bogus": expected now, an age like 2h or 3d/),
      'tidemark: live is the account as it is, not a stored moment: only diff --from and --to accept it',
    ]);
    expect(await storeListing()).toEqual(before);
  });
});
