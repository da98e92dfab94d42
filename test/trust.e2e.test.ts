import { chmod, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BaselineReport, VerifyReport } from '@tidemark/core';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../packages/core/src/store/sqlite.js';
import type { CliHarness } from './support/cli.js';
import { writeNdjson } from './support/events.js';
import { withSimulatedAccount } from './support/fixtures.js';

/** A record file of the store, parsed. */
interface StoredRecord {
  readonly file: string;
  readonly json: Record<string, unknown> & {
    resource?: { id: string };
    seq: number;
    cause?: { kind: string; principal?: string };
    label?: string;
    document?: string | null;
  };
}

/** Every record under a folder of the store (`versions`, `baselines`, `log`), parsed, in file order. */
async function records(cli: CliHarness, folder: string): Promise<StoredRecord[]> {
  const root = path.join(cli.store, folder);
  const files = (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  return Promise.all(files.map(async (file) => ({ file, json: JSON.parse(await readFile(file, 'utf8')) })));
}

/** The version files of one resource, oldest first. */
async function versionsOf(cli: CliHarness, id: string): Promise<StoredRecord[]> {
  return (await records(cli, 'versions'))
    .filter((record) => record.json.resource?.id === id)
    .sort((a, b) => a.json.seq - b.json.seq);
}

/** Writes a record back as a forger without the key would: valid JSON, every field but the one changed intact. */
async function forge(record: StoredRecord, change: Record<string, unknown>): Promise<void> {
  await writeFile(record.file, JSON.stringify({ ...record.json, ...change }));
}

/** Flips one byte of a file in place. */
async function flipByte(file: string, at = 0): Promise<void> {
  const bytes = await readFile(file);
  bytes[at % bytes.length] = (bytes[at % bytes.length] as number) ^ 0x20;
  await writeFile(file, bytes);
}

function blobFile(cli: CliHarness, hash: string): string {
  return path.join(cli.store, 'blobs', 'sha256', hash.slice(0, 2), hash);
}

describe('a store that tells when it was tampered with', () => {
  const env = withSimulatedAccount();

  /** A baseline, then a change captured from its events: the function has v1 (baseline) and v2 (event). */
  async function baselineThenChange(): Promise<void> {
    await env.cli.json<BaselineReport>('baseline', '--label', 'v1.0');
    const events = env.account.updateFunctionConfiguration('booking-handler', { memorySize: 512 });
    await env.cli.run('ingest', await writeNdjson(env.cli.folder, 'change.ndjson', events));
  }

  async function verify(): Promise<VerifyReport & { code: number }> {
    const result = await env.cli.run('verify', '--json');
    return { ...(JSON.parse(result.stdout) as VerifyReport), code: result.code };
  }

  it('proves the untouched store consistent, authenticated and wholly logged', async () => {
    await baselineThenChange();

    const report = await verify();

    expect(report).toMatchObject({ ok: true, code: 0, authenticated: true, unlogged: 0, problems: [] });
    expect(report.checked.logHeads).toBe(2);
  });

  it('finds an event version whose principal was edited, or which was marked deleted, and never indexes it', async () => {
    await baselineThenChange();
    const [, byEvent] = await versionsOf(env.cli, 'booking-handler');
    if (!byEvent) throw new Error('the change was not captured');
    expect(byEvent.json.cause?.kind).toBe('event');

    await forge(byEvent, {
      cause: { ...byEvent.json.cause, principal: 'arn:aws:iam::123456789012:user/mallory' },
    });
    const edited = await verify();
    await forge(byEvent, { deleted: true });
    const deleted = await verify();
    const reindex = await env.cli.run('reindex');
    const history = await env.cli.run('history', 'booking-handler', '--json');

    for (const report of [edited, deleted]) {
      expect(report.code).toBe(1);
      expect(report.problems).toContainEqual(
        expect.objectContaining({
          problem: 'forged',
          key: expect.stringMatching(/^versions\/.*0000000002\.json$/),
        }),
      );
    }
    expect(reindex.code).toBe(1);
    expect(reindex.stderr).toMatch(/left out of the index, not a valid record: versions\/.*0000000002\.json/);
    expect(reindex.stderr).not.toContain('named by the log, not in the store');
    expect(history.stdout).not.toContain('mallory');
    expect(history.code).toBe(1);
    expect(history.stderr).toMatch(
      /warning: answers leave out 1 records the store holds damaged or lost \(versions\/.*0000000002\.json…\): run tidemark verify/,
    );
    expect(JSON.parse(history.stdout).versions.map((v: { deleted: boolean }) => v.deleted)).toEqual([false]);
  });

  it('finds a version removed from the end of its chain, and a newest baseline edited or removed', async () => {
    await baselineThenChange();
    const [, latest] = await versionsOf(env.cli, 'booking-handler');
    const [manifest] = await records(env.cli, 'baselines');
    if (!latest || !manifest) throw new Error('nothing captured');

    await unlink(latest.file);
    const removedVersion = await verify();
    const reindexed = await env.cli.run('reindex');
    const state = await env.cli.run('state');
    await writeFile(latest.file, JSON.stringify(latest.json));
    await forge(manifest, { label: 'v0.9' });
    const editedManifest = await verify();
    await unlink(manifest.file);
    const removedManifest = await verify();

    expect(removedVersion.problems).toContainEqual(
      expect.objectContaining({ problem: 'missing', detail: expect.stringMatching(/log head 2 names it/) }),
    );
    expect(editedManifest.problems).toContainEqual(
      expect.objectContaining({ problem: 'forged', key: 'baselines/000001.json' }),
    );
    expect(removedManifest.problems).toContainEqual(
      expect.objectContaining({ problem: 'missing', key: 'baselines/000001.json' }),
    );
    expect([removedVersion.code, editedManifest.code, removedManifest.code]).toEqual([1, 1, 1]);
    expect(reindexed.code).toBe(1);
    expect(reindexed.stderr).toMatch(/named by the log, not in the store: versions\/.*0000000002\.json/);
    expect(state.code).toBe(1);
    expect(state.stderr).toMatch(/answers leave out 1 records the store holds damaged or lost/);
  });

  it('finds the newest records removed with their log head and journal entries, from the head it saw', async () => {
    await baselineThenChange();
    expect((await verify()).ok).toBe(true);
    const heads = await records(env.cli, 'log');
    const newest = heads.at(-1);
    if (!newest) throw new Error('no log head');
    const named = (newest.json.records as Array<{ key: string }>).map((record) => record.key);
    await unlink(newest.file);
    for (const key of named) await rm(path.join(env.cli.store, key));
    const journal = path.join(env.cli.store, 'journal');
    for (const entry of await readdir(journal, { recursive: true, withFileTypes: true }))
      if (entry.isFile() && named.some((key) => entry.name.endsWith(key.replaceAll('/', '~'))))
        await unlink(path.join(entry.parentPath, entry.name));

    const report = await verify();

    expect(report.code).toBe(1);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ problem: 'truncated', key: 'log/0000000002.json' }),
    );
  });

  it('refuses a store whose identity was removed or replaced, and verify names it', async () => {
    await baselineThenChange();
    const identityFile = path.join(env.cli.store, 'store.json');
    const identity = JSON.parse(await readFile(identityFile, 'utf8'));
    await writeFile(
      identityFile,
      JSON.stringify({ ...identity, storeId: '00000000-0000-4000-8000-000000000000' }),
    );
    const replaced = await env.cli.run('state');
    await unlink(identityFile);
    const removed = await env.cli.run('state');
    const report = await verify();

    expect(replaced).toMatchObject({ code: 1, stdout: '' });
    expect(replaced.stderr).toMatch(/store\.json .* is not a valid record/);
    expect(removed).toMatchObject({ code: 1, stdout: '' });
    expect(removed.stderr).toMatch(/store\.json .* is not a valid record/);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        problem: 'missing',
        key: 'store.json',
        detail: expect.stringMatching(/removed/),
      }),
    );
  });

  it('finds a forged or removed journal entry and a stray file, and reports a corrupted blob once', async () => {
    await baselineThenChange();
    const journal = path.join(env.cli.store, 'journal');
    const entries = (await readdir(journal, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort();
    const [first, second] = entries;
    const [, latest] = await versionsOf(env.cli, 'booking-handler');
    if (!first || !second || !latest?.json.document) throw new Error('nothing captured');
    await writeFile(first, JSON.stringify({ sha256: '0'.repeat(64), mac: '0'.repeat(64) }));
    await unlink(second);
    await writeFile(path.join(env.cli.store, 'notes.txt'), 'tidemark: store is consistent');
    await flipByte(blobFile(env.cli, latest.json.document));

    const report = await verify();

    expect(report.problems).toContainEqual(
      expect.objectContaining({ problem: 'forged', key: path.relative(env.cli.store, first) }),
    );
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        problem: 'missing',
        detail: expect.stringMatching(/no journal entry announces it/),
      }),
    );
    expect(report.problems).toContainEqual(expect.objectContaining({ problem: 'stray', key: 'notes.txt' }));
    const blobKey = `blobs/sha256/${latest.json.document.slice(0, 2)}/${latest.json.document}`;
    expect(report.problems.filter((problem) => problem.key === blobKey).map((p) => p.problem)).toEqual([
      'corrupted',
    ]);
  });
});

describe('reads that are checked against their hash', () => {
  const env = withSimulatedAccount();

  it('refuses a flipped document in show, and marks it in history and diff while answering the rest', async () => {
    await env.cli.json<BaselineReport>('baseline', '--label', 'v1.0');
    const events = [
      ...env.account.updateFunctionConfiguration('booking-handler', { memorySize: 512 }),
      ...env.account.putObject('sailjada.com', 'index.html', '<h1>Changed</h1>', {
        contentType: 'text/html',
      }),
    ];
    await env.cli.run('ingest', await writeNdjson(env.cli.folder, 'change.ndjson', events));
    const [, changed] = await versionsOf(env.cli, 'booking-handler');
    if (!changed?.json.document) throw new Error('the change was not captured');
    await flipByte(blobFile(env.cli, changed.json.document), 40);

    const show = await env.cli.run('show', 'booking-handler', '--json');
    const history = await env.cli.run('history', 'booking-handler');
    const diff = await env.cli.run('diff', '--from', 'v1.0', '--json');

    expect(show).toMatchObject({ code: 1, stdout: '' });
    expect(show.stderr).toContain(
      `AWS::Lambda::Function booking-handler v2: blobs/sha256/${changed.json.document.slice(0, 2)}/${changed.json.document}`,
    );
    expect(show.stderr).toMatch(/is damaged: it hashes to [0-9a-f]{64}/);
    expect(history.code).toBe(1);
    expect(history.stdout).toMatch(
      /v2 .*\n\s+DAMAGED: AWS::Lambda::Function booking-handler v2: blobs\/sha256\//,
    );
    expect(diff.code).toBe(1);
    const { changed: pairs } = JSON.parse(diff.stdout) as {
      changed: Array<{ resource: { id: string }; damaged?: string; changes: unknown[] }>;
    };
    expect(pairs.find((pair) => pair.resource.id === 'booking-handler')?.damaged).toMatch(/is damaged/);
    expect(
      pairs.find((pair) => pair.resource.id === 'sailjada.com/index.html')?.changes.length,
    ).toBeGreaterThan(0);
  });
});

describe('an index altered behind the store', () => {
  const env = withSimulatedAccount();

  /** Runs SQL on the store's index, as someone with write access to the folder but not the key could. */
  function alterIndex(sql: string, ...parameters: string[]): void {
    const index = openSqlite(path.join(env.cli.store, 'index.sqlite'));
    try {
      index.prepare(sql).run(...parameters);
    } finally {
      index.close();
    }
  }

  async function baselineThenChange(): Promise<StoredRecord[]> {
    await env.cli.json<BaselineReport>('baseline', '--label', 'v1.0');
    const events = env.account.updateFunctionConfiguration('booking-handler', { memorySize: 512 });
    await env.cli.run('ingest', await writeNdjson(env.cli.folder, 'change.ndjson', events));
    return versionsOf(env.cli, 'booking-handler');
  }

  it('is rebuilt when a row is not signed by the store key, and answers as the store does', async () => {
    const [first] = await baselineThenChange();
    const truth = await env.cli.run('show', 'booking-handler', '--json');
    const state = await env.cli.run('state', '--json');
    alterIndex('UPDATE versions SET document = ? WHERE seq = 2', first?.json.document as string);
    const redirected = await env.cli.run('show', 'booking-handler', '--json');
    alterIndex('DELETE FROM versions WHERE seq = 2');
    const removed = await env.cli.run('state', '--json');

    expect(redirected.stdout).toBe(truth.stdout);
    expect(redirected.code).toBe(0);
    expect(redirected.stderr).toMatch(
      /booking-handler v2 is not signed by the store's key: rebuilding it from the store/,
    );
    expect(JSON.parse(removed.stdout).resources).toEqual(JSON.parse(state.stdout).resources);
    expect(removed.stderr).toMatch(/it holds \d+ versions and 1 baselines, not \d+ 1: rebuilding it/);
  });

  it('without the key, answers show and history from the records the rows name, or refuses', async () => {
    const [first] = await baselineThenChange();
    const truth = await env.cli.run('show', 'booking-handler', '--json');
    await unlink(env.cli.keyFile);
    alterIndex('UPDATE versions SET document = ? WHERE seq = 2', first?.json.document as string);
    const redirected = await env.cli.run('show', 'booking-handler', '--json');
    alterIndex('UPDATE versions SET hash = ? WHERE seq = 2', '0'.repeat(64));
    const renamed = await env.cli.run('show', 'booking-handler', '--json');
    const history = await env.cli.run('history', 'booking-handler', '--json');

    expect(redirected).toEqual(truth);
    expect(renamed).toMatchObject({ code: 1, stdout: '' });
    expect(renamed.stderr).toMatch(
      /v2: the index names version 0{64}, the store holds [0-9a-f]{64}: run tidemark reindex/,
    );
    expect(history.code).toBe(1);
    expect(JSON.parse(history.stdout).versions[1].damaged).toMatch(/the index names version/);
  });
});

describe('the key that seals a store', () => {
  const env = withSimulatedAccount();

  it('is never replaced silently: a missing or other key is refused with exit 2, and nothing is re-sealed', async () => {
    await env.cli.json<BaselineReport>('baseline', '--label', 'v1.0');
    const original = await readFile(env.cli.keyFile, 'utf8');
    await unlink(env.cli.keyFile);

    const missing = await env.cli.run('baseline');
    const createdAnyway = await readFile(env.cli.keyFile, 'utf8').catch(() => undefined);
    await writeFile(env.cli.keyFile, `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 });
    const other = await env.cli.run('state');
    const otherCapture = await env.cli.run('baseline');
    const newKey = await env.cli.run('baseline', '--new-key');
    await writeFile(env.cli.keyFile, original, { mode: 0o600 });
    const baselines = await env.cli.json<{ baselines: unknown[] }>('baselines');

    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/the store at .* is sealed by key [0-9a-f]{16}, and there is no key file/);
    expect(createdAnyway).toBeUndefined();
    for (const result of [other, otherCapture]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/is sealed by key [0-9a-f]{16}, not by the key given \([0-9a-f]{16}\)/);
    }
    expect(newKey).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--new-key never replaces a key/),
    });
    expect(baselines.baselines).toHaveLength(1);
  });

  it('warns when others can read it, and unseals values for whoever holds it', async () => {
    await env.cli.json<BaselineReport>('baseline');
    await chmod(env.cli.keyFile, 0o644);

    const shown = await env.cli.run('show', 'booking-handler', '--unseal', '--json');
    await rm(env.cli.keyFile);
    const withoutKey = await env.cli.run('show', 'booking-handler', '--unseal');

    expect(shown.code).toBe(0);
    expect(shown.stderr).toContain(`the key file ${env.cli.keyFile} can be read by others (mode 644)`);
    const variables = JSON.parse(shown.stdout).document.Configuration.Environment.Variables;
    expect(variables).toEqual(env.account.functionEnvironment('booking-handler'));
    expect(withoutKey).toMatchObject({ code: 2, stdout: '' });
    expect(withoutKey.stderr).toMatch(/--unseal needs the key that sealed the values/);
  });
});

describe('a location that holds no store', () => {
  const env = withSimulatedAccount();

  it('is refused by every query, while a store path that is a file is an input error too', async () => {
    const verify = await env.cli.run('verify');
    const state = await env.cli.run('state');
    const file = path.join(env.cli.folder, 'a-file');
    await writeFile(file, 'not a store');
    const onFile = await env.cli.run('--store', file, 'baseline');

    for (const result of [verify, state])
      expect(result).toMatchObject({
        code: 2,
        stdout: '',
        stderr: `tidemark: no Tidemark store at ${env.cli.store}: a capture (baseline, ingest, watch) creates one`,
      });
    expect(onFile).toMatchObject({ code: 2, stderr: `tidemark: the store ${file} is a file, not a folder` });
  });
});
