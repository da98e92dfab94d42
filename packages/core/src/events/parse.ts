import type { CloudTrailRecord } from '../types/cloudtrail.js';
import { type ChangeEvent, SkipReason } from './types.js';

/** A change event before its position in the input is known. */
type Draft = ChangeEvent extends infer E ? (E extends unknown ? Omit<E, 'source'> : never) : never;

/** How deep envelopes, arrays and JSON-in-strings may nest before the input is called malformed. */
const MAX_DEPTH = 8;
const CLOUDTRAIL_DETAIL_TYPE = /via CloudTrail$/;
const CLOUDTRAIL_FIELDS = [
  'eventSource',
  'eventVersion',
  'userIdentity',
  'eventID',
  'eventTime',
  'awsRegion',
];

/**
 * Reads change events from text in any of the shapes they arrive in: a CloudTrail record, a CloudTrail log
 * file (`{"Records":[…]}`), `LookupEvents` output (`{"Events":[{"CloudTrailEvent":"…"}]}`), an EventBridge "AWS API Call via CloudTrail" event, an S3 EventBridge or S3
 * notification, an SQS message or batch (`{"Records":[{"eventSource":"aws:sqs","body":"…"}]}`) or an SNS
 * notification holding any of these; as one JSON document, a JSON array, concatenated documents or NDJSON.
 * Never throws: what cannot be read becomes an event of kind `other` (reason `malformed`, with the input `line`
 * it starts on, or `not-a-change` for events that are not API calls). Each event's `source` is
 * `${origin}#${index}`.
 *
 * @example
 * parseEventInput(fs.readFileSync('trail.json', 'utf8'), 'trail.json');
 */
export function parseEventInput(text: string, origin: string): ChangeEvent[] {
  const drafts = new Drafts();
  collectText(String(text), drafts, 0, TOP);
  // Each draft is a fresh object: `source` is added in place, as its last key, rather than copying it.
  return drafts.done().map((draft, index) => Object.assign(draft, { source: `${origin}#${index}` }));
}

/**
 * How many parts of an input that are not events are reported one by one; the others are counted in one report,
 * so that an input of millions of bad lines stays small in memory.
 */
const MAX_LISTED_UNREADABLE = 1000;

function isUnreadable(draft: Draft): boolean {
  return draft.kind === 'other' && draft.reason === SkipReason.MALFORMED;
}

/** The drafts read so far: every event, and the first {@link MAX_LISTED_UNREADABLE} parts that are not. */
class Drafts {
  readonly #list: Draft[] = [];
  #listedUnreadable = 0;
  #omitted = 0;
  #firstOmitted?: Draft;

  /** Whether parts that are not events are only counted now. */
  get full(): boolean {
    return this.#listedUnreadable >= MAX_LISTED_UNREADABLE;
  }

  push(draft: Draft): void {
    if (!isUnreadable(draft) || !this.full) {
      this.#list.push(draft);
      if (isUnreadable(draft)) this.#listedUnreadable++;
      return;
    }
    this.#omitted++;
    this.#firstOmitted ??= draft;
  }

  /** Adds what `other` read, after what this read. */
  absorb(other: Drafts): void {
    for (const draft of other.#list) this.push(draft);
    if (!other.#firstOmitted) return;
    this.#firstOmitted ??= other.#firstOmitted;
    this.#omitted += other.#omitted;
  }

  /** Every draft, the parts only counted reported as one, at the first of them. */
  done(): Draft[] {
    const first = this.#firstOmitted;
    if (first?.kind !== 'other') return this.#list;
    const more = this.#omitted - 1;
    const detail = `${first.detail} (and ${more} more parts after it that are not events, not listed one by one)`;
    return [...this.#list, more === 0 ? first : { ...first, detail }];
  }
}

type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** Where a text being read sits in the input. */
interface Place {
  /** The path to it inside a document (`Records[2] body: `); empty for the input itself. */
  readonly where: string;
  /** The input line the text (or the document holding it) starts on. */
  readonly line: number;
  /** Whether lines of the text are lines of the input (not of JSON held in a string). */
  readonly inInput: boolean;
}

const TOP: Place = { where: '', line: 1, inInput: true };

/** How much of a name or key read from the input a message repeats. */
const ECHO_LENGTH = 60;

/** `JSON.parse` as a value: what it parsed, or its error message. */
function tryParse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * `JSON.parse` of `text` with its raw control characters escaped, when `error` (of parsing it as it is) points at
 * one; `undefined` otherwise, as escaping cannot mend any other error.
 */
function parseEscaped(text: string, error: string): Parsed | undefined {
  const position = /position (\d+)/.exec(error);
  if (position?.[1] === undefined || text.charCodeAt(Number(position[1])) >= 0x20) return undefined;
  return tryParse(escapeControlCharacters(text));
}

/**
 * `JSON.parse`, retried with raw control characters inside strings escaped (real CloudTrail and AWS docs
 * samples have them); a failure keeps the first attempt's error.
 */
function parseJson(text: string): Parsed {
  const plain = tryParse(text);
  if (plain.ok) return plain;
  const escaped = parseEscaped(text, plain.error);
  return escaped?.ok ? escaped : plain;
}

/** How many pieces of escaped text are gathered before they are joined, so that memory stays near the text's size. */
const JOIN_EVERY = 4096;

/** Escapes raw control characters (U+0000–U+001F) that appear inside JSON strings; `text` itself when there are none. */
export function escapeControlCharacters(text: string): string {
  const joined: string[] = [];
  let out: string[] = [];
  let inString = false;
  let escaped = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!inString) {
      if (code === 0x22) inString = true;
      continue;
    }
    if (escaped) {
      escaped = false;
    } else if (code === 0x5c) {
      escaped = true;
    } else if (code === 0x22) {
      inString = false;
    } else if (code < 0x20) {
      out.push(text.slice(from, i), controlEscape(code));
      from = i + 1;
      if (out.length >= JOIN_EVERY) {
        joined.push(out.join(''));
        out = [];
      }
    }
  }
  if (from === 0) return text;
  out.push(text.slice(from));
  joined.push(out.join(''));
  return joined.join('');
}

function controlEscape(code: number): string {
  if (code === 0x0a) return '\\n';
  if (code === 0x0d) return '\\r';
  if (code === 0x09) return '\\t';
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A `JSON.parse` error of `text` as an event of kind `other`: at the input line it points to, with its column;
 * inside JSON held in a string, at the string's line, with the line and column within the string.
 */
function parseError(text: string, message: string, place: Place): Draft {
  const short = echo(message, 200);
  const position = /position (\d+)/.exec(message);
  if (!position?.[1]) return malformed(place, `not valid JSON: ${short}`);
  const { line, column } = lineAndColumn(text, Number(position[1]));
  if (!place.inInput) return malformed(place, `not valid JSON at line ${line} column ${column}: ${short}`);
  return malformed({ ...place, line: place.line + line - 1 }, `not valid JSON at column ${column}: ${short}`);
}

/** The 1-based line and column of `offset` in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** At most `length` characters of a text read from the input, for a message. */
function echo(text: string, length = ECHO_LENGTH): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/**
 * Calls `each` with every document of concatenated JSON objects/arrays (`{…}{…}`, or pretty-printed documents one
 * after another) and the number of lines before it, while `each` returns true. Whether the whole text is such
 * documents and `each` took every one.
 */
function eachDocument(text: string, each: (document: string, linesBefore: number) => boolean): boolean {
  let i = 0;
  let lines = 0;
  while (i < text.length) {
    for (; i < text.length && /\s/.test(text.charAt(i)); i++) if (text.charAt(i) === '\n') lines++;
    if (i >= text.length) break;
    const start = i;
    const linesBefore = lines;
    const first = text.charAt(i);
    if (first !== '{' && first !== '[') return false;
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (; i < text.length; i++) {
      const ch = text.charAt(i);
      if (ch === '\n') lines++;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
      } else if (ch === '"') {
        inString = true;
      } else if (ch === '{' || ch === '[') {
        depth++;
      } else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    if (depth !== 0 || !each(text.slice(start, i), linesBefore)) return false;
  }
  return true;
}

function malformed(place: Place, detail: string): Draft {
  return { kind: 'other', reason: SkipReason.MALFORMED, detail: `${place.where}${detail}`, line: place.line };
}

/** `place` moved down to the line `text` starts on after its leading blank lines, when it is the input's. */
function afterBlankLines(text: string, place: Place): Place {
  if (!place.inInput) return place;
  const start = text.search(/\S/);
  let blank = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < start; at = text.indexOf('\n', at + 1)) blank++;
  return blank === 0 ? place : { ...place, line: place.line + blank };
}

/** `place` for a part of the text: at its own input line, or (inside a string) named by `label`. */
function partOf(place: Place, lineOffset: number, label: string): Place {
  return place.inInput
    ? { ...place, line: place.line + lineOffset }
    : { ...place, where: `${place.where}${label}: ` };
}

function collectText(text: string, out: Drafts, depth: number, outer: Place): void {
  const unmarked = text.replace(/^\uFEFF/, '');
  const trimmed = unmarked.trim();
  if (trimmed === '') return;
  const place = afterBlankLines(unmarked, outer);
  if (depth > MAX_DEPTH) {
    out.push(malformed(place, 'nested too deeply'));
    return;
  }
  const whole = tryParse(trimmed);
  if (whole.ok) {
    collectValue(whole.value, out, depth, place);
    return;
  }
  // NDJSON comes before escaping the whole text: when the first line is a document on its own, the escaped
  // whole text cannot be one document either, so only the lines that fail are escaped.
  if (firstLineIsDocument(trimmed)) {
    collectLines(trimmed, out, depth, place);
    return;
  }
  // One document with raw control characters inside its strings.
  const escaped = parseEscaped(trimmed, whole.error);
  if (escaped?.ok) {
    collectValue(escaped.value, out, depth, place);
    return;
  }
  if (collectDocuments(trimmed, out, depth, place)) return;
  // NDJSON whose first line is bad: its other lines are still read, each bad one reported.
  if (someLineIsDocument(trimmed)) collectLines(trimmed, out, depth, place);
  else out.push(parseError(trimmed, whole.error, place));
}

/** Whether the text has several lines and the first is a JSON document on its own. */
function firstLineIsDocument(text: string): boolean {
  const end = text.indexOf('\n');
  return end !== -1 && parseJson(text.slice(0, end).trim()).ok;
}

/** How many lines that look like a JSON object or array are parsed to tell whether one of them is. */
const MAX_LINES_TRIED = 1000;

/**
 * Whether one of the text's lines is a JSON object or array on its own (of the first {@link MAX_LINES_TRIED}
 * lines that look like one).
 */
function someLineIsDocument(text: string): boolean {
  let tried = 0;
  for (let start = 0; start < text.length && tried < MAX_LINES_TRIED; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line.startsWith('"') || !mayBeDocument(line)) continue;
    tried++;
    if (parseJson(line).ok) return true;
  }
  return false;
}

/** Whether a line starts and ends as one JSON object, array or string does: else it cannot be one. */
function mayBeDocument(line: string): boolean {
  const last = line.at(-1);
  return (
    (line[0] === '{' && last === '}') ||
    (line[0] === '[' && last === ']') ||
    (line[0] === '"' && last === '"')
  );
}

/**
 * NDJSON: reads each line, and reports each bad one with its number, separately. `\r\n` line ends and blank
 * lines are accepted. Once unreadable parts are only counted, a line that cannot be an object, array or string
 * is not parsed.
 */
function collectLines(text: string, out: Drafts, depth: number, place: Place): void {
  for (let start = 0, index = 0; start <= text.length; index++) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    const at = partOf(place, index, `line ${index + 1}`);
    if (out.full && !mayBeDocument(line)) out.push(malformed(at, 'not a JSON object'));
    else collectLine(line, out, depth, at);
  }
}

function collectLine(line: string, out: Drafts, depth: number, place: Place): void {
  const parsed = parseJson(line);
  if (parsed.ok) collectValue(parsed.value, out, depth, place);
  else out.push(parseError(line, parsed.error, place));
}

/** Concatenated documents (`cat *.json`), when there are several and each parses; `false` otherwise. */
function collectDocuments(text: string, out: Drafts, depth: number, place: Place): boolean {
  const read = new Drafts();
  let count = 0;
  const whole = eachDocument(text, (document, linesBefore) => {
    const parsed = parseJson(document);
    if (!parsed.ok) return false;
    count++;
    collectValue(parsed.value, read, depth, partOf(place, linesBefore, `document ${count}`));
    return true;
  });
  if (!whole || count < 2) return false;
  out.absorb(read);
  return true;
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `place` one step down a document, at `step` (`[2] `, `body: `). */
function inside(place: Place, step: string): Place {
  return { ...place, where: `${place.where}${step}` };
}

/**
 * Reads the events held in a JSON string at `place` (a message body, a record as text), whose lines are not the
 * input's; a string with nothing in it is no event either.
 */
function collectString(text: string, out: Drafts, depth: number, place: Place): void {
  if (text.replace(/^\uFEFF/, '').trim() === '') out.push(malformed(place, 'empty string'));
  else collectText(text, out, depth + 1, { ...place, inInput: false });
}

function collectValue(value: unknown, out: Drafts, depth: number, place: Place): void {
  if (depth > MAX_DEPTH) {
    out.push(malformed(place, 'nested too deeply'));
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      collectValue(item, out, depth + 1, inside(place, `[${index}] `));
    });
    return;
  }
  if (typeof value === 'string') {
    collectString(value, out, depth, inside(place, 'string: '));
    return;
  }
  if (!isRecord(value)) {
    out.push(malformed(place, `expected a JSON object, received ${value === null ? 'null' : typeof value}`));
    return;
  }
  collectObject(value, out, depth, place);
}

function collectObject(value: JsonRecord, out: Drafts, depth: number, place: Place): void {
  // A CloudTrail log file, an SQS batch, an S3 notification batch.
  if (Array.isArray(value.Records)) {
    value.Records.forEach((item, index) => {
      collectValue(item, out, depth + 1, inside(place, `Records[${index}] `));
    });
    return;
  }
  // `aws cloudtrail lookup-events` output, or one of its events: the record is a JSON string.
  if (Array.isArray(value.Events)) {
    value.Events.forEach((item, index) => {
      collectValue(item, out, depth + 1, inside(place, `Events[${index}] `));
    });
    return;
  }
  if (typeof value.CloudTrailEvent === 'string') {
    collectString(value.CloudTrailEvent, out, depth, inside(place, 'CloudTrailEvent: '));
    return;
  }
  // One SQS message (or an SNS notification) carrying another event as its body.
  if (value.eventSource === 'aws:sqs' || (typeof value.body === 'string' && 'receiptHandle' in value)) {
    if (typeof value.body === 'string') collectString(value.body, out, depth, inside(place, 'body: '));
    else out.push(malformed(place, 'SQS message without a string body'));
    return;
  }
  if (value.Type === 'Notification' && typeof value.Message === 'string') {
    collectString(value.Message, out, depth, inside(place, 'Message: '));
    return;
  }
  if (typeof value['detail-type'] === 'string') {
    out.push(fromEnvelope(value, value['detail-type'], place));
    return;
  }
  if (value.eventSource === 'aws:s3' && isRecord(value.s3)) {
    out.push(fromS3Record(value, place));
    return;
  }
  if (value.Event === 's3:TestEvent') {
    out.push({ kind: 'other', reason: SkipReason.NOT_A_CHANGE, detail: `${place.where}S3 test event` });
    return;
  }
  if (nonEmpty(value.eventName) && CLOUDTRAIL_FIELDS.some((name) => name in value)) {
    out.push({ kind: 'cloudtrail', record: value as CloudTrailRecord });
    return;
  }
  const keys = Object.keys(value)
    .slice(0, 8)
    .map((key) => echo(key))
    .join(', ');
  out.push(malformed(place, `JSON object in none of the accepted shapes (keys: ${keys || 'none'})`));
}

/** An EventBridge event: a CloudTrail API call, or a service's own notification. */
function fromEnvelope(envelope: JsonRecord, detailType: string, place: Place): Draft {
  const detail = envelope.detail;
  const account = nonEmpty(envelope.account);
  const region = nonEmpty(envelope.region);
  if (CLOUDTRAIL_DETAIL_TYPE.test(detailType)) {
    if (!isRecord(detail) || !nonEmpty(detail.eventName)) {
      return malformed(place, `"${echo(detailType)}" event without a CloudTrail record in detail`);
    }
    return {
      kind: 'cloudtrail',
      record: detail as CloudTrailRecord,
      ...(account ? { account } : {}),
      ...(region ? { region } : {}),
    };
  }
  const eventBridgeSource = nonEmpty(envelope.source);
  if (!eventBridgeSource || !isRecord(detail))
    return malformed(place, `"${echo(detailType)}" event without a source or a detail object`);
  return withDefined({
    kind: 'notification',
    eventBridgeSource,
    detailType,
    detail,
    resources: Array.isArray(envelope.resources)
      ? envelope.resources.filter((resource): resource is string => typeof resource === 'string')
      : [],
    account,
    region,
    time: nonEmpty(envelope.time),
    id: nonEmpty(envelope.id),
  });
}

/** A native S3 event notification record (S3 → SQS/SNS/Lambda), keys URL-encoded. */
function fromS3Record(record: JsonRecord, place: Place): Draft {
  const s3 = record.s3 as JsonRecord;
  const bucket = isRecord(s3.bucket) ? nonEmpty(s3.bucket.name) : undefined;
  const encodedKey = isRecord(s3.object) ? nonEmpty(s3.object.key) : undefined;
  let key: string | undefined;
  try {
    key = encodedKey === undefined ? undefined : decodeURIComponent(encodedKey.replace(/\+/g, ' '));
  } catch {
    key = undefined;
  }
  if (!bucket || !key) return malformed(place, 'S3 notification without bucket or key');
  const eventName = nonEmpty(record.eventName) ?? '';
  const detailType = eventName.startsWith('ObjectCreated')
    ? 'Object Created'
    : /^(ObjectRemoved|LifecycleExpiration)/.test(eventName)
      ? 'Object Deleted'
      : `Object ${eventName}`;
  const identity = isRecord(record.userIdentity) ? nonEmpty(record.userIdentity.principalId) : undefined;
  return withDefined({
    kind: 'notification',
    eventBridgeSource: 'aws.s3',
    detailType,
    detail: definedFields({
      bucket: { name: bucket },
      object: { key },
      reason: eventName || undefined,
      requester: identity,
    }),
    resources: [],
    region: nonEmpty(record.awsRegion),
    time: nonEmpty(record.eventTime),
  });
}

/** Drops `undefined` fields, so optional fields are absent rather than present and undefined. */
function withDefined<T extends object>(value: T): Draft {
  return definedFields(value) as unknown as Draft;
}

/** The fields of an object that are not `undefined`. */
function definedFields(value: object): Record<string, unknown> {
  const defined: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) defined[key] = item;
  return defined;
}
