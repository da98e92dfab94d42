import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IngestReport } from '@tidemark/core';
import { parseEventInput } from '@tidemark/core/events';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliHarness, CliResult } from '../support/cli.js';
import { withCli, withSimulatedAccount } from '../support/fixtures.js';

/**
 * Issue 8's reliability suite, input part: 10,000 generated inputs in all (see {@link RUNS}), files mixing real
 * CloudTrail events with lines that are no event at all (text that is not JSON, binary bytes, JSON of no accepted
 * shape, events cut short, arrays nested too deeply, SQS messages whose body is garbage), blank lines and CRLF
 * line ends. Run through the CLI's `main` in process (`events map` and `ingest`), or through `parseEventInput`
 * where a command per case would be too slow. Whatever the input:
 *
 * - exit 2 when nothing in it is an event (and `ingest` creates no store), 1 when part of it is not, 0 otherwise;
 * - every line on stderr is one `tidemark: …` line (no stack trace, no dumped error, no raw control character),
 *   and the lines that are not events are named as `file:line`, exactly those.
 */
/** `INPUT_SCALE` multiplies every count (`npm run bench -- reliability` runs ten times as many). */
const SCALE = Number(process.env.INPUT_SCALE ?? 1);
const RUNS = {
  /** `parseEventInput` on generated files: which lines it says are not events. */
  parseLines: 4_000 * SCALE,
  /** `parseEventInput` on arbitrary binary text: never throws, names only lines the text has. */
  parseBinary: 2_000 * SCALE,
  /** `tidemark events map` on one to three generated files. */
  map: 2_000 * SCALE,
  /** `tidemark ingest` on files in which nothing is an event. */
  ingestNothing: 1_700 * SCALE,
  /** `tidemark ingest` on files with events (some of objects of the simulated account) against that account. */
  ingestMixed: 300 * SCALE,
} as const;

const FIXTURES = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'cloudtrail');

/** A control character (C0, DEL or C1) other than the newline between lines of output. */
const CONTROL_BUT_NEWLINE = /[^\P{Cc}\n]/u;

/** How many parts that are not events `tidemark` names on stderr before it only counts them. */
const NAMED_ON_STDERR = 20;

/** One line of a generated file: an event, or something that is not one. */
interface Line {
  readonly event: boolean;
  readonly bytes: Buffer;
}

/** A generated input file: its lines, how they are separated, and blank lines among them. */
interface InputFile {
  readonly lines: readonly (Line | 'blank')[];
  readonly separator: '\n' | '\r\n';
  readonly trailingNewline: boolean;
}

/** The real CloudTrail and EventBridge events of the shared fixtures, each as one line of NDJSON. */
async function fixtureEvents(): Promise<string[]> {
  const files = (await readdir(FIXTURES, { recursive: true })).filter((file) => file.endsWith('.json'));
  return Promise.all(
    files.map(async (file) => JSON.stringify(JSON.parse(await readFile(path.join(FIXTURES, file), 'utf8')))),
  );
}

/** Lines that are no event, each by construction: none parses as an event of any accepted shape. */
function garbageLine(events: readonly string[]): fc.Arbitrary<Line> {
  const oneLine = (text: string) => text.replaceAll('\n', ' ');
  const garbage = fc.oneof(
    // Text that is not JSON: it starts with a character no JSON value starts with.
    fc.string({ unit: 'binary', maxLength: 80 }).map((text) => Buffer.from(`~${oneLine(text)}`)),
    // Bytes that are not UTF-8 text, starting with a control character.
    fc
      .uint8Array({ maxLength: 120 })
      .map((bytes) => Buffer.from([0x01, ...bytes.filter((byte) => byte !== 0x0a)])),
    // JSON values that are not objects.
    fc.oneof(fc.double(), fc.boolean(), fc.constant(null)).map((value) => JSON.stringify(value)),
    // JSON strings holding text that is not an event, or nothing.
    fc.string({ maxLength: 40 }).map((text) => JSON.stringify(text.trim() === '' ? text : `~${text}`)),
    // Objects of none of the accepted shapes.
    fc
      .dictionary(fc.stringMatching(/^x[A-Za-z0-9]{0,10}$/), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
      .map((object) => JSON.stringify(object)),
    // Real events cut short.
    fc
      .tuple(fc.constantFrom(...events), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }))
      .map(([event, at]) => event.slice(0, 1 + Math.floor(at * (event.length - 1)))),
    // A value nested in arrays, up to far deeper than any envelope.
    fc.integer({ min: 1, max: 40 }).map((depth) => `${'['.repeat(depth)}1${']'.repeat(depth)}`),
    // An SQS message whose body is not an event.
    fc
      .string({ maxLength: 40 })
      .map((body) =>
        JSON.stringify({ Records: [{ eventSource: 'aws:sqs', messageId: 'm-1', body: `~${body}` }] }),
      ),
  );
  return garbage.map((text) => ({ event: false, bytes: Buffer.isBuffer(text) ? text : Buffer.from(text) }));
}

function eventLine(events: readonly string[]): fc.Arbitrary<Line> {
  return fc.constantFrom(...events).map((text) => ({ event: true, bytes: Buffer.from(text) }));
}

/** A file of up to `maxLines` lines, events among them with the given weight (0: none). */
function inputFile(
  events: readonly string[],
  maxLines: number,
  eventWeight: number,
): fc.Arbitrary<InputFile> {
  const line = fc.oneof(
    { arbitrary: garbageLine(events), weight: 3 },
    ...(eventWeight > 0 ? [{ arbitrary: eventLine(events), weight: eventWeight }] : []),
    { arbitrary: fc.constant('blank' as const), weight: 1 },
  );
  return fc.record({
    lines: fc.array(line, { maxLength: maxLines }),
    separator: fc.constantFrom('\n' as const, '\r\n' as const),
    trailingNewline: fc.boolean(),
  });
}

/** The file's bytes. */
function bytesOf(file: InputFile): Buffer {
  const separator = Buffer.from(file.separator);
  const parts = file.lines.flatMap((line, index) => [
    ...(index > 0 ? [separator] : []),
    line === 'blank' ? Buffer.alloc(0) : line.bytes,
  ]);
  return Buffer.concat([...parts, ...(file.trailingNewline ? [separator] : [])]);
}

/** The 1-based numbers of the lines that are not events. */
function garbageLines(file: InputFile): number[] {
  return file.lines.flatMap((line, index) => (line !== 'blank' && !line.event ? [index + 1] : []));
}

function eventCount(file: InputFile): number {
  return file.lines.filter((line) => line !== 'blank' && line.event).length;
}

/** Whether a file has nothing but blank lines. */
function isEmpty(file: InputFile): boolean {
  return file.lines.every((line) => line === 'blank');
}

/** A generated file as written, under its name. */
interface Named {
  readonly name: string;
  readonly file: InputFile;
}

/**
 * Whether the problems named for one file (`empty`, or the line numbers named) are right for it: an empty file is
 * one problem; in a file with events, its lines that are not, each in order (a prefix of them when `cut` by the
 * limit on stderr); in a file with no event, one or more of those lines, in order (text that is no JSON at all is
 * named once, where it goes wrong).
 */
function expectNamedRight(file: InputFile, named: ReadonlyArray<number | 'empty'>, cut: boolean): void {
  if (isEmpty(file)) {
    expect(named).toEqual(['empty']);
    return;
  }
  const garbage = garbageLines(file);
  if (eventCount(file) > 0) {
    expect(named).toEqual(cut ? garbage.slice(0, named.length) : garbage);
    return;
  }
  if (!cut) expect(named.length).toBeGreaterThan(0);
  for (const [at, line] of named.entries()) {
    expect(garbage).toContain(line);
    if (at > 0) expect(line).toBeGreaterThan(named[at - 1] as number);
  }
}

/** What one problem on stderr names: the file (its index in `inputs`) and `empty` or a line number. */
function parseProblem(problem: string, inputs: readonly Named[]): { input: number; at: number | 'empty' } {
  const input = inputs.findIndex(({ name }) => problem.startsWith(`${name}:`));
  expect(input).toBeGreaterThanOrEqual(0);
  const rest = problem.slice((inputs[input] as Named).name.length);
  if (rest === ': empty') return { input, at: 'empty' };
  const line = /^:(\d+): \S/.exec(rest);
  expect(line).not.toBeNull();
  return { input, at: Number(line?.[1]) };
}

/**
 * Every stderr line is one `tidemark: …` line: no stack trace, no dumped error, no raw control character; nor any
 * in what the human renderers print (`--json` is JSON as it is).
 */
function expectCleanDiagnostics(result: CliResult, json: boolean): void {
  if (result.stderr !== '') for (const line of result.stderr.split('\n')) expect(line).toMatch(/^tidemark: /);
  expect(result.stderr).not.toMatch(/^\s+at |Error:/m);
  expect(result.stderr).not.toMatch(CONTROL_BUT_NEWLINE);
  if (!json) expect(result.stdout).not.toMatch(CONTROL_BUT_NEWLINE);
}

/**
 * The exit code and stderr of a command on these files, from how they were made: 2 and one line naming the first
 * problem when there is no event at all; else 1 and each problem named in file order (at most
 * {@link NAMED_ON_STDERR}, then how many more), or 0 and nothing on stderr.
 */
function expectVerdict(result: CliResult, inputs: readonly Named[], json = false): void {
  expectCleanDiagnostics(result, json);
  const events = inputs.reduce((sum, { file }) => sum + eventCount(file), 0);
  if (events === 0) {
    expect(result).toMatchObject({ code: 2, stdout: '' });
    const only =
      /^tidemark: no event in the input: (.*?)(?: \(and \d+ more parts that are not events\))?$/.exec(
        result.stderr,
      );
    expect(only).not.toBeNull();
    const first = parseProblem(only?.[1] as string, inputs);
    expect(first.input).toBe(0);
    expectNamedRight((inputs[0] as Named).file, [first.at], true);
    return;
  }
  const lines =
    result.stderr === '' ? [] : result.stderr.split('\n').map((line) => line.slice('tidemark: '.length));
  const more = /^and (\d+) more parts that are not events \(--json lists every one\)$/.exec(
    lines.at(-1) ?? '',
  );
  const problems = (more ? lines.slice(0, -1) : lines).map((problem) => parseProblem(problem, inputs));
  if (more) expect(problems).toHaveLength(NAMED_ON_STDERR);
  expect(result.code).toBe(problems.length > 0 ? 1 : 0);
  const lastInput = problems.at(-1)?.input ?? -1;
  inputs.forEach(({ file }, index) => {
    const named = problems.filter(({ input }) => input === index).map(({ at }) => at);
    const cut = more !== null && index >= lastInput;
    if (!cut || named.length > 0) expectNamedRight(file, named, cut);
  });
  const order = problems.map(({ input }) => input);
  expect(order).toEqual([...order].sort((a, b) => a - b));
}

let events: string[] = [];
beforeAll(async () => {
  events = await fixtureEvents();
});

describe('parseEventInput on generated files', () => {
  it('says exactly which lines are not events, and reads every event line', () => {
    fc.assert(
      fc.property(inputFile(events, 25, 2), (file) => {
        const read = parseEventInput(bytesOf(file).toString('utf8'), 'input');

        const unreadable = read.flatMap((event) =>
          event.kind === 'other' && event.reason === 'malformed' ? [event.line ?? 0] : [],
        );
        expect(read.length - unreadable.length).toBe(eventCount(file));
        if (isEmpty(file)) expect(read).toEqual([]);
        else expectNamedRight(file, unreadable, false);
      }),
      { numRuns: RUNS.parseLines },
    );
  });

  it('never throws on arbitrary bytes, and names only lines the text has', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const text = Buffer.from(bytes).toString('utf8');

        const read = parseEventInput(text, 'bytes');

        const lines = text.split('\n').length;
        for (const event of read)
          if (event.kind === 'other' && event.reason === 'malformed') {
            expect(event.line).toBeGreaterThanOrEqual(1);
            expect(event.line).toBeLessThanOrEqual(lines);
          }
      }),
      { numRuns: RUNS.parseBinary },
    );
  });
});

describe('tidemark events map and ingest on generated files', () => {
  const env = withCli();

  /** Writes generated files into the harness's folder, under names unique to the run. */
  async function write(cli: CliHarness, run: number, files: readonly InputFile[]) {
    return Promise.all(
      files.map(async (file, index) => {
        const name = path.join(cli.folder, `run-${run}-${index}.ndjson`);
        await writeFile(name, bytesOf(file));
        return { name, file };
      }),
    );
  }

  it('events map exits 2, 1 or 0 as the input is no event, partly events or all events, naming each other line', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(inputFile(events, 10, 2), { minLength: 1, maxLength: 3 }), async (files) => {
        const named = await write(env.cli, run++, files);

        const result = await env.cli.run('events', 'map', ...named.map(({ name }) => name));

        expectVerdict(result, named);
      }),
      { numRuns: RUNS.map },
    );
  });

  it('ingest exits 2 having created nothing when nothing in the input is an event', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(inputFile(events, 12, 0), async (file) => {
        const named = await write(env.cli, run++, [file]);

        const result = await env.cli.run('ingest', named[0]?.name as string);

        expectVerdict(result, named);
        expect(existsSync(env.cli.store)).toBe(false);
        expect(existsSync(env.cli.keyFile)).toBe(false);
      }),
      { numRuns: RUNS.ingestNothing },
    );
  });
});

describe('tidemark ingest on generated files with events', () => {
  const env = withSimulatedAccount();

  it('captures what the events name, names each line that is not one, and exits 1 for those, else 0', async () => {
    const objects = ['tide.txt', 'moon.txt', 'wind.txt'].map((key) => `sailjada.com/fuzz/${key}`);
    const objectOf = new Map<string, string>();
    for (const id of objects)
      for (const event of env.account.putObject('sailjada.com', id.slice('sailjada.com/'.length), id))
        objectOf.set(JSON.stringify(event), id);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        inputFile([...events, ...objectOf.keys()], 12, 2).filter((file) => eventCount(file) > 0),
        async (file) => {
          const name = path.join(env.cli.folder, `run-${run++}.ndjson`);
          await writeFile(name, bytesOf(file));

          // Alerts on the captured changes would be diagnostics of their own: this is about the input's.
          const result = await env.cli.run('ingest', name, '--json', '--no-alerts');

          expectVerdict(result, [{ name, file }], true);
          const report = JSON.parse(result.stdout) as IngestReport;
          expect(report.events).toHaveLength(eventCount(file) + garbageLines(file).length);
          expect(report.failures).toEqual([]);
          const named = file.lines.flatMap((line) =>
            line !== 'blank' && line.event ? [objectOf.get(line.bytes.toString())] : [],
          );
          const captured = report.captures.map((capture) => capture.resource.id);
          for (const id of named) if (id) expect(captured).toContain(id);
        },
      ),
      { numRuns: RUNS.ingestMixed },
    );
  });
});
