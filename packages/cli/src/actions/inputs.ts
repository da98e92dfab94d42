import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import type { IngestInput } from '@tidemark/core/capture';
import { InputError } from '@tidemark/core/errors';
import { type ChangeEvent, parseEventInput, SkipReason } from '@tidemark/core/events';
import type { Io } from '../io.js';
import { printable } from '../render/printable.js';

/** How many parts that are not events are named on standard error; `--json` has every one. */
const MAX_NAMED_UNREADABLE = 20;

/** The events read from a command's inputs, and the parts of them that are not events. */
export interface InputEvents {
  /** Everything read, in input order: events, and parts that are not (reason `malformed`). */
  readonly events: readonly ChangeEvent[];
  /** One line per part that is not an event: `events.ndjson:3: not valid JSON at column 14: …`. */
  readonly unreadable: readonly string[];
}

/**
 * Reads and parses event inputs: each file named, or standard input for `-` or no file at all. Done before
 * anything else is opened: when nothing in the inputs is an event (empty, binary, not JSON, JSON of none of the
 * accepted shapes), an InputError naming the first problem, and nothing else should happen.
 */
export async function readEvents(files: readonly string[]): Promise<InputEvents> {
  const inputs = await readInputs(files);
  const read = inputs.map((input) => ({ input, events: parseEventInput(input.text, input.origin) }));
  const events = read.flatMap(({ events }) => events);
  const unreadable = read.flatMap(({ input, events }) => problemsOf(input, events));
  if (!events.some((event) => !isUnreadable(event))) {
    const more =
      unreadable.length > 1 ? ` (and ${unreadable.length - 1} more parts that are not events)` : '';
    throw new InputError(`no event in the input: ${unreadable[0]}${more}`);
  }
  return { events, unreadable };
}

/**
 * Names the parts of the input that are not events on standard error, one line each (at most
 * {@link MAX_NAMED_UNREADABLE}, then how many more).
 */
export function reportUnreadable(io: Io, unreadable: readonly string[]): void {
  for (const line of unreadable.slice(0, MAX_NAMED_UNREADABLE)) io.err(`tidemark: ${printable(line)}`);
  const more = unreadable.length - MAX_NAMED_UNREADABLE;
  if (more > 0) io.err(`tidemark: and ${more} more parts that are not events (--json lists every one)`);
}

/** Input that is not an event: not JSON, or JSON in none of the accepted shapes. */
type Unreadable = Extract<ChangeEvent, { kind: 'other' }>;

function isUnreadable(event: ChangeEvent): event is Unreadable {
  return event.kind === 'other' && event.reason === SkipReason.MALFORMED;
}

/** What is not an event in one input, as `file:line: detail`; an input with nothing in it is one problem. */
function problemsOf(input: IngestInput, events: readonly ChangeEvent[]): string[] {
  if (events.length === 0)
    return [`${input.origin}: ${input.text.trim() === '' ? 'empty' : 'holds no event'}`];
  return events.filter(isUnreadable).map((event) => `${input.origin}:${event.line ?? 1}: ${event.detail}`);
}

/** Each file named, or standard input for `-` or no file at all, as text. */
async function readInputs(files: readonly string[]): Promise<IngestInput[]> {
  const names = files.length === 0 ? ['-'] : files;
  return Promise.all(
    names.map(async (name) => {
      if (name === '-') return { text: await text(process.stdin), origin: 'stdin' };
      try {
        return { text: await readFile(name, 'utf8'), origin: name };
      } catch (error) {
        throw new InputError(
          `cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        );
      }
    }),
  );
}
