import { sha256Hex } from '../canonical/canonicalise.js';
import { isJsonObject } from '../resources/support.js';
import type { Json, JsonObject } from '../types/json.js';

/** The longest readable part of a logical id: with the type and the hash, well under CloudFormation's 255. */
const READABLE_LENGTH = 180;

/**
 * The logical id of a template resource: its type without `AWS::` and colons, the identifier's letters and digits
 * (each word capitalised), and 8 hex digits of the hash of type, region and identifier, so that identifiers that differ
 * only by punctuation or case still get different ids. Deterministic, alphanumeric, as CloudFormation requires.
 *
 * @example
 * logicalId('AWS::S3::Bucket', 'us-east-1', 'sailjada.com'); // 'S3BucketSailjadaCom' + 8 hex digits
 */
export function logicalId(type: string, region: string, id: string): string {
  const kind = type.replace(/^AWS::/, '').replaceAll('::', '');
  const readable = id
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
    .slice(0, READABLE_LENGTH);
  const hash = sha256Hex(`${type}\n${region}\n${id}`).slice(0, 8).toUpperCase();
  return `${kind}${readable}${hash}`;
}

/** The template parameter naming the bucket the `assets/` folder of an export is uploaded to (code zips). */
export const ASSETS_BUCKET_PARAMETER = 'AssetsBucket';

/** The S3 key (in the AssetsBucket) and the file name (under `assets/`) of content in an export. */
export function assetKey(hash: string, extension: string): string {
  return `assets/${hash}.${extension}`;
}

/**
 * Template properties from `fields`, without those that are undefined, null, or empty lists and objects: a setting
 * not captured, or captured empty, is left to CloudFormation's default.
 */
export function properties(fields: Readonly<Record<string, Json | undefined>>): JsonObject {
  const result: JsonObject = {};
  for (const [name, value] of Object.entries(fields)) if (!isEmpty(value)) result[name] = value as Json;
  return result;
}

/** Whether a value says nothing: undefined, null, an empty list or object. */
export function isEmpty(value: Json | undefined): value is undefined | null {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * The fields of a document object renamed to their CloudFormation names (`{ Id: 'ID' }`: CloudFormation name →
 * document name), the others dropped; undefined when none is there.
 *
 * @example
 * renamed({ ID: 'r1', Status: 'Enabled', Extra: 1 }, { Id: 'ID', Status: 'Status' }); // { Id: 'r1', Status: 'Enabled' }
 */
export function renamed(
  source: Json | undefined,
  names: Readonly<Record<string, string>>,
): JsonObject | undefined {
  if (!isJsonObject(source)) return undefined;
  const result = properties(
    Object.fromEntries(Object.entries(names).map(([to, from]) => [to, source[from]])),
  );
  return Object.keys(result).length > 0 ? result : undefined;
}

/**
 * A `{ key: value }` tag map as CloudFormation's `[{ Key, Value }]`, in key order, without the `aws:` tags AWS sets
 * (CloudFormation refuses them); undefined when there are none.
 */
export function tagList(tags: Json | undefined): Json[] | undefined {
  if (!isJsonObject(tags)) return undefined;
  const list = Object.keys(tags)
    .filter((key) => !key.startsWith('aws:'))
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] ?? '' }));
  return list.length > 0 ? list : undefined;
}

/** The objects of a list, or of a map the document keys by name (`normalise`), in the map's key order. */
export function objectsOf(value: Json | undefined): JsonObject[] {
  const items = Array.isArray(value)
    ? value
    : isJsonObject(value)
      ? Object.keys(value)
          .sort()
          .map((key) => value[key] as Json)
      : [];
  return items.filter((item): item is JsonObject => isJsonObject(item));
}

/** A string field, else undefined. */
export function text(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
