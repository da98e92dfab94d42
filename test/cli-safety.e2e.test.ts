import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BaselineReport, StateEntry } from '@tidemark/core';
import { describe, expect, it } from 'vitest';
import type { CliResult } from './support/cli.js';
import { withCli, withSimulatedAccount } from './support/fixtures.js';

const FIXTURES = path.resolve(import.meta.dirname, '..', '..', 'shared', 'fixtures', 'cloudtrail');

/** A line a forged name tries to slip into the output. */
const FORGED = 'tidemark: store is consistent';

/** An S3 key that, printed raw, ends a line, forges one and erases what the terminal shows of it. */
const FORGING_KEY = `report.pdf\n ${FORGED}\x1b[2K`;

/** Whether any output holds a stack trace or a dumped error. */
function hasStackTrace(result: CliResult): boolean {
  return /^\s+at /m.test(result.stderr) || /^\w*Error:/m.test(result.stderr);
}

describe('event input in which nothing is an event', () => {
  const env = withCli();

  it.each([
    ['an empty file', ''],
    ['binary garbage', Buffer.from([0x00, 0xff, 0x1b, 0x5b, 0x32, 0x4a, 0x0a, 0x89, 0x50, 0x4e, 0x47])],
    ['null', 'null'],
    ['an empty object', '{}'],
    ['NDJSON of numbers', '1\n2\n3\n'],
  ])('exits 2 on %s, naming the problem on one line, and creates no store', async (_name, content) => {
    const file = path.join(env.cli.folder, 'input.json');
    await writeFile(file, content);

    const ingest = await env.cli.run('ingest', file);
    const map = await env.cli.run('events', 'map', file);

    for (const result of [ingest, map]) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^tidemark: no event in the input: .*input\.json/);
      expect(hasStackTrace(result)).toBe(false);
    }
    expect(existsSync(env.cli.store)).toBe(false);
    expect(existsSync(env.cli.keyFile)).toBe(false);
  });

  it('exits 2 on a 50 MB unterminated line within seconds, with a short message', async () => {
    const file = path.join(env.cli.folder, 'huge.json');
    await writeFile(file, `{"eventName": "${'x'.repeat(50 * 1024 * 1024)}`);
    const started = Date.now();

    const result = await env.cli.run('ingest', file);

    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tidemark: no event in the input: .*huge\.json:1: not valid JSON/);
    expect(result.stderr.length).toBeLessThan(500);
    expect(existsSync(env.cli.store)).toBe(false);
  });

  it('maps the events of a file that is partly events, names each other line as file:line, and exits 1', async () => {
    const event = await readFile(path.join(FIXTURES, 'lambda', 'DeleteFunction-1.json'), 'utf8');
    const file = path.join(env.cli.folder, 'mixed.ndjson');
    await writeFile(file, [JSON.stringify(JSON.parse(event)), '{"eventName": ', '{}', ''].join('\n'));

    const result = await env.cli.run('events', 'map', file);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/→ AWS::Lambda::Function basic-node-task/);
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/^tidemark: .*mixed\.ndjson:2: not valid JSON/),
      expect.stringMatching(/^tidemark: .*mixed\.ndjson:3: JSON object in none of the accepted shapes/),
    ]);
  });
});

describe('show --blob', () => {
  const env = withSimulatedAccount();
  const NOTES = 'sailjada.com/notes.txt';

  /** Captures an object of known content, and returns an empty folder to write it to. */
  async function captureNotes(): Promise<string> {
    env.account.putObject('sailjada.com', 'notes.txt', 'tide tables\n');
    await env.cli.json<BaselineReport>('baseline');
    const folder = path.join(env.cli.folder, 'out');
    await mkdir(folder);
    return folder;
  }

  it('refuses to replace a file or follow a symbolic link without --force, and replaces either with it', async () => {
    const folder = await captureNotes();
    const file = path.join(folder, 'notes.txt');
    const victim = path.join(folder, 'victim.txt');
    const link = path.join(folder, 'link.txt');
    await writeFile(file, 'mine');
    await writeFile(victim, 'precious');
    await symlink(victim, link);

    const overFile = await env.cli.run('show', NOTES, '--blob', file);
    const overLink = await env.cli.run('show', NOTES, '--blob', link);

    expect(overFile).toMatchObject({ code: 2, stdout: '' });
    expect(overFile.stderr).toBe(`tidemark: --blob ${file} exists: pass --force to replace it`);
    expect(overLink).toMatchObject({ code: 2, stdout: '' });
    expect(overLink.stderr).toBe(`tidemark: --blob ${link} is a symbolic link: pass --force to replace it`);
    expect(await readFile(file, 'utf8')).toBe('mine');
    expect(await readFile(victim, 'utf8')).toBe('precious');

    const forcedFile = await env.cli.run('show', NOTES, '--blob', file, '--force');
    const forcedLink = await env.cli.run('show', NOTES, '--blob', link, '--force');

    expect([forcedFile.code, forcedLink.code]).toEqual([0, 0]);
    expect(await readFile(file, 'utf8')).toBe('tide tables\n');
    expect(await readFile(link, 'utf8')).toBe('tide tables\n');
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await readdir(folder)).sort()).toEqual(['link.txt', 'notes.txt', 'victim.txt']);
  });

  it('writes the content alone to standard output for -', async () => {
    await captureNotes();

    const result = await env.cli.run('show', NOTES, '--blob', '-');

    expect(result.code).toBe(0);
    expect(result.bytes.toString('utf8')).toBe('tide tables\n');
    expect(result.stdout).toBe('');
  });

  it('leaves no file at the target when the content is damaged, missing or unreadable', async () => {
    const folder = await captureNotes();
    const hash = createHash('sha256').update('tide tables\n').digest('hex');
    const blob = path.join(env.cli.store, 'blobs', 'sha256', hash.slice(0, 2), hash);
    const bytes = await readFile(blob);
    const target = path.join(folder, 'notes.txt');

    await writeFile(blob, Buffer.from(bytes.map((byte, at) => (at === 0 ? byte ^ 0x20 : byte))));
    const damaged = await env.cli.run('show', NOTES, '--blob', target);
    await rm(blob);
    const missing = await env.cli.run('show', NOTES, '--blob', target);
    await mkdir(blob);
    const unreadable = await env.cli.run('show', NOTES, '--blob', target);

    for (const result of [damaged, missing, unreadable]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^tidemark: /);
      expect(hasStackTrace(result)).toBe(false);
    }
    expect(damaged.stderr).toMatch(/damaged/);
    expect(missing.stderr).toMatch(/missing/);
    expect(await readdir(folder)).toEqual([]);
  });
});

describe('names that hold terminal controls', () => {
  const env = withSimulatedAccount();

  /** Every line printed by the human renderers, from stdout and stderr. */
  function lines(...results: CliResult[]): string[] {
    return results.flatMap((result) => [...result.stdout.split('\n'), ...result.stderr.split('\n')]);
  }

  it('prints them escaped in baseline, state, history and error messages, so no line is forged', async () => {
    env.account.putObject('sailjada.com', FORGING_KEY, 'quarterly figures');

    const baseline = await env.cli.run('baseline');
    const state = await env.cli.run('state', '--type', 'AWS::S3::Object');
    const history = await env.cli.run('history', `sailjada.com/${FORGING_KEY}`);
    const unknown = await env.cli.run('history', `sailjada.com/${FORGING_KEY}x`);

    const printed = lines(baseline, state, history, unknown);
    expect(printed.filter((line) => line.trim().startsWith(FORGED))).toEqual([]);
    expect(printed.join('\n')).not.toMatch(/[^\P{Cc}\n]/u);
    const escaped = `sailjada.com/report.pdf\\n ${FORGED}\\x1b[2K`;
    expect(state.stdout.split('\n').filter((line) => line.includes(escaped))).toHaveLength(1);
    expect(history.stdout.split('\n')[0]).toBe(`AWS::S3::Object ${escaped} (us-east-1): 1 versions`);
    expect(unknown).toMatchObject({ code: 2, stderr: `tidemark: no resource ${escaped}x in the store` });
  });

  it('leaves --json as JSON, names included as they are', async () => {
    env.account.putObject('sailjada.com', FORGING_KEY, 'quarterly figures');
    await env.cli.json<BaselineReport>('baseline');

    const { resources } = await env.cli.json<{ resources: StateEntry[] }>(
      'state',
      '--type',
      'AWS::S3::Object',
    );

    expect(resources.map((entry) => entry.resource.id)).toContain(`sailjada.com/${FORGING_KEY}`);
  });
});

describe('records a schema refuses', () => {
  const env = withSimulatedAccount();

  it('are named by verify on one line, with each problem readable', async () => {
    await env.cli.json<BaselineReport>('baseline');
    const versions = path.join(env.cli.store, 'versions');
    const [first] = (await readdir(versions, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
    const record = JSON.parse(await readFile(first as string, 'utf8'));
    await writeFile(first as string, JSON.stringify({ ...record, seq: 'one', capturedAt: 7 }));

    const result = await env.cli.run('verify');

    expect(result.code).toBe(1);
    const key = path
      .relative(env.cli.store, first as string)
      .split(path.sep)
      .join('/');
    const invalid = result.stdout
      .split('\n')
      .filter((line) => /^\s*invalid\s/.test(line) && line.includes(key));
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatch(/expected number, received string/);
    expect(invalid[0]).toMatch(/seq/);
    expect(invalid[0]).toMatch(/capturedAt/);
    expect(result.stdout).not.toMatch(/"code"|ZodError|^\s*[[{]/m);
  });

  it('that stop a command are printed on stderr one problem per line', async () => {
    await env.cli.json<BaselineReport>('baseline');
    const manifest = path.join(env.cli.store, 'baselines', '000002.json');
    await writeFile(manifest, JSON.stringify({ schema: 1, seq: 'two', label: 7 }));

    const result = await env.cli.run('baseline');

    expect(result).toMatchObject({ code: 1, stdout: '' });
    const [first, ...issues] = result.stderr.split('\n');
    expect(first).toBe(`tidemark: baselines/000002.json in ${env.cli.store} is not a valid record:`);
    expect(issues).toContain('  seq: Invalid input: expected number, received string');
    expect(issues).toContain('  label: Invalid input: expected string, received number');
    for (const issue of issues) expect(issue).toMatch(/^ {2}\w+: Invalid input: /);
  });
});
