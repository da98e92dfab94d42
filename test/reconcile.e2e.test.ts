import type { BaselineReport, HistoryEntry, StateDiff } from '@tidemark/core';
import { describe, expect, it } from 'vitest';
import { withSimulatedAccount } from './support/fixtures.js';

const HOME_PAGE = 'AWS::S3::Object:queenofsandiego.com/index.html';

describe('silent drift: changes a baseline finds without an event', () => {
  const env = withSimulatedAccount();

  it('records them as reconcile with the baseline label, and leaves unchanged resources alone', async () => {
    await env.cli.json<BaselineReport>('baseline', '--label', 'v1.0');
    env.account.putObject('queenofsandiego.com', 'index.html', '<h1>Edited in the console</h1>');
    env.account.updateFunctionConfiguration('booking-handler', { timeout: 30 });
    env.account.deleteObject('sailjada.com', 'about.html');

    const second = await env.cli.json<BaselineReport>('baseline', '--label', 'v1.1');

    const changed = Object.values(second.byType).reduce((sum, t) => sum + t.newVersions + t.deleted, 0);
    expect(changed).toBe(3);
    const page = await env.cli.json<{ versions: HistoryEntry[] }>('history', HOME_PAGE);
    expect(page.versions.map((v) => v.cause)).toEqual([
      { kind: 'baseline', label: 'v1.0' },
      { kind: 'reconcile', label: 'v1.1', detail: 'changed without an event' },
    ]);
    const untouched = await env.cli.json<{ versions: HistoryEntry[] }>('history', 'image-resizer');
    expect(untouched.versions.map((v) => v.cause)).toEqual([{ kind: 'baseline', label: 'v1.0' }]);
    const diff = await env.cli.json<StateDiff>('diff', '--from', 'v1.0', '--to', 'v1.1');
    expect(diff.removed.map((e) => e.resource.id)).toEqual(['sailjada.com/about.html']);
    expect(diff.changed.map((c) => [c.resource.id, c.to.cause.kind]).sort()).toEqual([
      ['booking-handler', 'reconcile'],
      ['queenofsandiego.com/index.html', 'reconcile'],
    ]);
  });

  it('records code fetched after a failed download as the baseline that fetched it, not as drift', async () => {
    env.account.failCodeDownloads('email-sender');
    const first = await env.cli.json<BaselineReport>('baseline', '--label', 'v1.0');

    await env.cli.json<BaselineReport>('baseline', '--label', 'v1.1');

    expect(first.gaps.filter((gap) => gap.type === 'AWS::Lambda::Function')).toEqual([
      expect.objectContaining({ id: 'email-sender', operation: 'lambda:GetFunction', code: 'HTTP500' }),
    ]);
    const { versions } = await env.cli.json<{ versions: HistoryEntry[] }>('history', 'email-sender');
    expect(versions.map((v) => [v.cause, Object.keys(v.blobs), v.gaps.length])).toEqual([
      [{ kind: 'baseline', label: 'v1.0' }, [], 1],
      [{ kind: 'baseline', label: 'v1.1' }, ['code'], 0],
    ]);
    const shown = await env.cli.run('history', 'email-sender');
    expect(shown.stdout).not.toContain('reconcile');
  });

  it('still records drift when the configuration changed too after a failed code download', async () => {
    env.account.failCodeDownloads('email-sender');
    await env.cli.json<BaselineReport>('baseline', '--label', 'v1.0');
    env.account.updateFunctionConfiguration('email-sender', { timeout: 30 });

    await env.cli.json<BaselineReport>('baseline', '--label', 'v1.1');

    const { versions } = await env.cli.json<{ versions: HistoryEntry[] }>('history', 'email-sender');
    expect(versions.map((v) => v.cause)).toEqual([
      { kind: 'baseline', label: 'v1.0' },
      { kind: 'reconcile', label: 'v1.1', detail: 'changed without an event' },
    ]);
  });

  it('shows reconcile versions and deletions in the history', async () => {
    await env.cli.json<BaselineReport>('baseline', '--label', 'v1.0');
    env.account.deleteObject('sailjada.com', 'about.html');
    await env.cli.json<BaselineReport>('baseline', '--label', 'v1.1');

    const shown = await env.cli.run('history', 'AWS::S3::Object:sailjada.com/about.html');

    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/v1 .* baseline v1\.0\n/);
    expect(shown.stdout).toMatch(/v2 .* reconcile v1\.1 \(deleted without an event\) DELETED/);
  });
});
