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
 * Never throws: what cannot be read becomes an event of kind `other` (reason `malformed`, or
 * `not-a-change` for events that are not API calls). Each event's `source` is `${origin}#${index}`.
 *
 * @example
 * parseEventInput(fs.readFileSync('trail.json', 'utf8'), 'trail.json');
 */
export function parseEventInput(text: string, origin: string): ChangeEvent[] {
  const drafts: Draft[] = [];
  collectText(String(text), drafts, 0, '');
  // Each draft is a fresh object: `source` is added in place, as its last key, rather than copying it.
  return drafts.map((draft, index) => Object.assign(draft, { source: `${origin}#${index}` }));
}

type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** `JSON.parse` as a value: what it parsed, or its error message. */
function tryParse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** `JSON.parse` of `text` with its raw control characters escaped; `undefined` when it has none to escape. */
function parseEscaped(text: string): Parsed | undefined {
  const escaped = escapeControlCharacters(text);
  return escaped === text ? undefined : tryParse(escaped);
}

/**
 * `JSON.parse`, retried with raw control characters inside strings escaped (real CloudTrail and AWS docs
 * samples have them); a failure keeps the first attempt's error.
 */
function parseJson(text: string): Parsed {
  const plain = tryParse(text);
  if (plain.ok) return plain;
  const escaped = parseEscaped(text);
  return escaped?.ok ? escaped : plain;
}

/** Escapes raw control characters (U+0000–U+001F) that appear inside JSON strings; `text` itself when there are none. */
export function escapeControlCharacters(text: string): string {
  const out: string[] = [];
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
    }
  }
  if (from === 0) return text;
  out.push(text.slice(from));
  return out.join('');
}

function controlEscape(code: number): string {
  if (code === 0x0a) return '\\n';
  if (code === 0x0d) return '\\r';
  if (code === 0x09) return '\\t';
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Where a `JSON.parse` error points, as `line L column C`, followed by its message. */
function describeParseError(text: string, message: string): string {
  const position = /position (\d+)/.exec(message);
  const short = message.length > 200 ? `${message.slice(0, 200)}…` : message;
  if (!position?.[1]) return `not valid JSON: ${short}`;
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `not valid JSON at line ${line} column ${column}: ${short}`;
}

/** Splits concatenated JSON objects/arrays (`{…}{…}` or pretty-printed documents one after another). */
function splitDocuments(text: string): string[] | undefined {
  const documents: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
    if (i >= text.length) break;
    const start = i;
    const first = text.charAt(i);
    if (first !== '{' && first !== '[') return undefined;
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (; i < text.length; i++) {
      const ch = text.charAt(i);
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
    if (depth !== 0) return undefined;
    documents.push(text.slice(start, i));
  }
  return documents;
}

function malformed(detail: string): Draft {
  return { kind: 'other', reason: SkipReason.MALFORMED, detail };
}

function collectText(text: string, out: Draft[], depth: number, where: string): void {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return;
  if (depth > MAX_DEPTH) {
    out.push(malformed(`${where}nested too deeply`));
    return;
  }
  const whole = tryParse(trimmed);
  if (whole.ok) {
    collectValue(whole.value, out, depth, where);
    return;
  }
  // NDJSON comes before escaping the whole text: when the first line is a document on its own, the escaped
  // whole text cannot be one document either, so only the lines that fail are escaped.
  if (collectLines(trimmed, out, depth, where)) return;
  // One document with raw control characters inside its strings.
  const escaped = parseEscaped(trimmed);
  if (escaped?.ok) {
    collectValue(escaped.value, out, depth, where);
    return;
  }
  if (collectDocuments(trimmed, out, depth, where)) return;
  out.push(malformed(`${where}${describeParseError(trimmed, whole.error)}`));
}

/**
 * NDJSON: when the first line is a JSON document on its own, reads each line, and reports each bad one with
 * its number, separately; `false` (and nothing read) otherwise. `\r\n` line ends and blank lines are accepted.
 */
function collectLines(text: string, out: Draft[], depth: number, where: string): boolean {
  const lines = text.split('\n');
  if (lines.length < 2 || !parseJson((lines[0] as string).trim()).ok) return false;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const parsed = parseJson(line);
    const at = `${where}line ${index + 1}: `;
    if (parsed.ok) collectValue(parsed.value, out, depth, at);
    else out.push(malformed(`${at}${describeParseError(line, parsed.error)}`));
  });
  return true;
}

/** Concatenated documents (`cat *.json`), when there are several and each parses; `false` otherwise. */
function collectDocuments(text: string, out: Draft[], depth: number, where: string): boolean {
  const documents = splitDocuments(text);
  if (!documents || documents.length < 2) return false;
  const parsed = documents.map(parseJson);
  if (!parsed.every((document) => document.ok)) return false;
  parsed.forEach((document, index) => {
    if (document.ok) collectValue(document.value, out, depth, `${where}document ${index + 1}: `);
  });
  return true;
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function collectValue(value: unknown, out: Draft[], depth: number, where: string): void {
  if (depth > MAX_DEPTH) {
    out.push(malformed(`${where}nested too deeply`));
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      collectValue(item, out, depth + 1, `${where}[${index}] `);
    });
    return;
  }
  if (typeof value === 'string') {
    collectText(value, out, depth + 1, `${where}string: `);
    return;
  }
  if (!isRecord(value)) {
    out.push(malformed(`${where}expected a JSON object, received ${value === null ? 'null' : typeof value}`));
    return;
  }
  collectObject(value, out, depth, where);
}

function collectObject(value: JsonRecord, out: Draft[], depth: number, where: string): void {
  // A CloudTrail log file, an SQS batch, an S3 notification batch.
  if (Array.isArray(value.Records)) {
    value.Records.forEach((item, index) => {
      collectValue(item, out, depth + 1, `${where}Records[${index}] `);
    });
    return;
  }
  // `aws cloudtrail lookup-events` output, or one of its events: the record is a JSON string.
  if (Array.isArray(value.Events)) {
    value.Events.forEach((item, index) => {
      collectValue(item, out, depth + 1, `${where}Events[${index}] `);
    });
    return;
  }
  if (typeof value.CloudTrailEvent === 'string') {
    collectText(value.CloudTrailEvent, out, depth + 1, `${where}CloudTrailEvent: `);
    return;
  }
  // One SQS message (or an SNS notification) carrying another event as its body.
  if (value.eventSource === 'aws:sqs' || (typeof value.body === 'string' && 'receiptHandle' in value)) {
    if (typeof value.body === 'string') collectText(value.body, out, depth + 1, `${where}body: `);
    else out.push(malformed(`${where}SQS message without a string body`));
    return;
  }
  if (value.Type === 'Notification' && typeof value.Message === 'string') {
    collectText(value.Message, out, depth + 1, `${where}Message: `);
    return;
  }
  if (typeof value['detail-type'] === 'string') {
    out.push(fromEnvelope(value, value['detail-type'], where));
    return;
  }
  if (value.eventSource === 'aws:s3' && isRecord(value.s3)) {
    out.push(fromS3Record(value, where));
    return;
  }
  if (value.Event === 's3:TestEvent') {
    out.push({ kind: 'other', reason: SkipReason.NOT_A_CHANGE, detail: `${where}S3 test event` });
    return;
  }
  if (nonEmpty(value.eventName) && CLOUDTRAIL_FIELDS.some((name) => name in value)) {
    out.push({ kind: 'cloudtrail', record: value as CloudTrailRecord });
    return;
  }
  const keys = Object.keys(value).slice(0, 8).join(', ');
  out.push(malformed(`${where}JSON object in none of the accepted shapes (keys: ${keys || 'none'})`));
}

/** An EventBridge event: a CloudTrail API call, an S3 object notification, or something else. */
function fromEnvelope(envelope: JsonRecord, detailType: string, where: string): Draft {
  const detail = envelope.detail;
  const account = nonEmpty(envelope.account);
  const region = nonEmpty(envelope.region);
  if (CLOUDTRAIL_DETAIL_TYPE.test(detailType)) {
    if (!isRecord(detail) || !nonEmpty(detail.eventName)) {
      return malformed(`${where}"${detailType}" event without a CloudTrail record in detail`);
    }
    return {
      kind: 'cloudtrail',
      record: detail as CloudTrailRecord,
      ...(account ? { account } : {}),
      ...(region ? { region } : {}),
    };
  }
  if (envelope.source === 'aws.s3' && detailType.startsWith('Object ')) {
    const bucket = isRecord(detail) && isRecord(detail.bucket) ? nonEmpty(detail.bucket.name) : undefined;
    const key = isRecord(detail) && isRecord(detail.object) ? nonEmpty(detail.object.key) : undefined;
    if (!isRecord(detail) || !bucket || !key)
      return malformed(`${where}"${detailType}" S3 event without bucket or key`);
    return withDefined({
      kind: 's3-notification',
      detailType,
      account,
      region,
      time: nonEmpty(envelope.time),
      id: nonEmpty(envelope.id),
      bucket,
      key,
      reason: nonEmpty(detail.reason),
      requester: nonEmpty(detail.requester),
    });
  }
  const source = nonEmpty(envelope.source) ?? 'unknown source';
  return {
    kind: 'other',
    reason: SkipReason.NOT_A_CHANGE,
    detail: `${where}${source} "${detailType}" is not an API call or an object change`,
  };
}

/** A native S3 event notification record (S3 → SQS/SNS/Lambda), keys URL-encoded. */
function fromS3Record(record: JsonRecord, where: string): Draft {
  const s3 = record.s3 as JsonRecord;
  const bucket = isRecord(s3.bucket) ? nonEmpty(s3.bucket.name) : undefined;
  const encodedKey = isRecord(s3.object) ? nonEmpty(s3.object.key) : undefined;
  let key: string | undefined;
  try {
    key = encodedKey === undefined ? undefined : decodeURIComponent(encodedKey.replace(/\+/g, ' '));
  } catch {
    key = undefined;
  }
  if (!bucket || !key) return malformed(`${where}S3 notification without bucket or key`);
  const eventName = nonEmpty(record.eventName) ?? '';
  const detailType = eventName.startsWith('ObjectCreated')
    ? 'Object Created'
    : /^(ObjectRemoved|LifecycleExpiration)/.test(eventName)
      ? 'Object Deleted'
      : `Object ${eventName}`;
  const identity = isRecord(record.userIdentity) ? nonEmpty(record.userIdentity.principalId) : undefined;
  return withDefined({
    kind: 's3-notification',
    detailType,
    region: nonEmpty(record.awsRegion),
    time: nonEmpty(record.eventTime),
    bucket,
    key,
    reason: eventName || undefined,
    requester: identity,
  });
}

/** Drops `undefined` fields, so optional fields are absent rather than present and undefined. */
function withDefined<T extends object>(value: T): Draft {
  const defined: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) defined[key] = item;
  return defined as unknown as Draft;
}
