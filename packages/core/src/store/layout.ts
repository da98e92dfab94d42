import { sha256Hex } from '../canonical/canonicalise.js';
import type { ResourceRef } from '../types/resource.js';

/**
 * The store's keys. They are plain `/`-separated names, so the same layout works in a local folder and in
 * an S3 bucket:
 *
 * - `blobs/sha256/<first 2 hex>/<sha256>`: content (object bytes, code zips, canonical documents), written once
 * - `versions/<resource id>/<seq>.json`: a resource's version records, its hash chain, `seq` from 1
 * - `baselines/<seq>.json`: baseline manifests, a hash chain of their own
 * - `checkpoints/<name>.json`: small mutable progress markers (where `watch` stopped reading CloudTrail)
 * - `journal/<yyyymmdd>/<hhmmss.sssZ>~<record key, / as ~>`: an empty key written just before each version or
 *   baseline record, in time order, so an index can catch up by listing only what is new
 * - `index/snapshots/<yyyymmddThhmmss.sssZ>-<sha256>.sqlite.gz`: published copies of an index, a cache that
 *   can always be thrown away; `index/latest.json` (mutable) names the newest
 * - `store.json`: the store's identity, written with its first record: a random id and the id of its key
 * - `log/<seq>.json`: the log heads, a hash chain each link of which names the records written since the one
 *   before and is signed with the store's key: what proves that nothing was removed
 * - `labels/<base64url of the label>`: a baseline label, taken when the baseline starts
 * - `baseline-runs/<label>/…`: the progress of a baseline fanned out over many functions
 * - `alerts/<yyyymmdd>/<dedup key>.json`: an alert fired, written once (which is what stops it firing twice), and
 *   `…<dedup key>.deliveries.json` beside it, where it was delivered
 * - `config/alerts.yaml`: the alert rules of a deployed pipeline, written by the user
 */
export const StoreLayout = {
  BLOBS: 'blobs/sha256/',
  VERSIONS: 'versions/',
  BASELINES: 'baselines/',
  CHECKPOINTS: 'checkpoints/',
  JOURNAL: 'journal/',
  INDEX_SNAPSHOTS: 'index/snapshots/',
  /** The pointer to the newest index snapshot, replaced by each publication. */
  INDEX_POINTER: 'index/latest.json',
  IDENTITY: 'store.json',
  LOG: 'log/',
  LABELS: 'labels/',
  /** Fanned-out baseline runs in progress (see `pipeline/run-records.ts`). */
  BASELINE_RUNS: 'baseline-runs/',
  ALERTS: 'alerts/',
  /** The alert rules of a deployed pipeline. */
  ALERT_RULES: 'config/alerts.yaml',
} as const;

const SEQ_DIGITS = 10;

/** The key of a resource, readable: `account/region/type/id`. */
export function resourceKey(ref: ResourceRef): string {
  return `${ref.account}/${ref.region}/${ref.type}/${ref.id}`;
}

/** A resource's folder name: a hash of its key (ids hold `/` and exceed key lengths). */
export function resourceFolder(ref: ResourceRef): string {
  return sha256Hex(resourceKey(ref)).slice(0, 40);
}

export function blobKey(hash: string): string {
  return `${StoreLayout.BLOBS}${hash.slice(0, 2)}/${hash}`;
}

export function versionPrefix(ref: ResourceRef): string {
  return `${StoreLayout.VERSIONS}${resourceFolder(ref)}/`;
}

export function versionKey(ref: ResourceRef, seq: number): string {
  return `${versionPrefix(ref)}${String(seq).padStart(SEQ_DIGITS, '0')}.json`;
}

export function baselineKey(seq: number): string {
  return `${StoreLayout.BASELINES}${String(seq).padStart(6, '0')}.json`;
}

/** The key of the log head `seq`. */
export function logHeadKey(seq: number): string {
  return `${StoreLayout.LOG}${String(seq).padStart(SEQ_DIGITS, '0')}.json`;
}

/** The key that holds a baseline label while it is taken: any label, in characters every backend accepts. */
export function labelKey(label: string): string {
  return `${StoreLayout.LABELS}${Buffer.from(label, 'utf8').toString('base64url')}`;
}

/** The label a `labels/` key holds. */
export function labelOfKey(key: string): string {
  return Buffer.from(key.slice(StoreLayout.LABELS.length), 'base64url').toString('utf8');
}

/** The key of a named checkpoint; names are `/`-separated words (`watch/123456789012/us-east-1`). */
export function checkpointKey(name: string): string {
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(name)) throw new Error(`invalid checkpoint name ${name}`);
  return `${StoreLayout.CHECKPOINTS}${name}.json`;
}

/** The key of an index snapshot published at `at` whose gzipped bytes hash to `hash`. */
export function indexSnapshotKey(at: Date, hash: string): string {
  return `${StoreLayout.INDEX_SNAPSHOTS}${at.toISOString().replaceAll(/[-:]/g, '')}-${hash}.sqlite.gz`;
}

/** A version or baseline key, decoded. */
export type RecordAddress =
  | { readonly kind: 'version'; readonly folder: string; readonly seq: number }
  | { readonly kind: 'baseline'; readonly seq: number };

/** What a version or baseline key names, or undefined when the key is not one. */
export function recordAddress(key: string): RecordAddress | undefined {
  const version = /^versions\/([0-9a-f]{40})\/(\d{10,})\.json$/.exec(key);
  if (version) return { kind: 'version', folder: version[1] as string, seq: Number(version[2]) };
  const baseline = /^baselines\/(\d{6,})\.json$/.exec(key);
  return baseline ? { kind: 'baseline', seq: Number(baseline[1]) } : undefined;
}

/** `2026-01-02T03:04:05.678Z` as the journal writes it: `20260102/030405.678Z`. */
function journalTime(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}/${iso.slice(11, 19).replaceAll(':', '')}${iso.slice(19)}`;
}

/** The journal key announcing a record written at `at` (by the writer's clock). */
export function journalKey(recordKey: string, at: Date): string {
  return `${StoreLayout.JOURNAL}${journalTime(at)}~${recordKey.replaceAll('/', '~')}`;
}

/** The key every journal entry written at or after `at` sorts after (a listing's `startAfter`). */
export function journalStartAfter(at: Date): string {
  return `${StoreLayout.JOURNAL}${journalTime(at)}`;
}

/** A journal entry: when it was written (ISO) and the record key it announces. */
export interface JournalEntry {
  readonly writtenAt: string;
  readonly recordKey: string;
}

/** The entry a journal key holds, or undefined when the key is not a journal entry. */
export function journalEntry(key: string): JournalEntry | undefined {
  const match = /^journal\/(\d{4})(\d{2})(\d{2})\/(\d{2})(\d{2})(\d{2})(\.\d{3}Z)~(.+)$/.exec(key);
  if (!match) return undefined;
  const [, year, month, day, hours, minutes, seconds, millis, encoded] = match;
  const recordKey = (encoded as string).replaceAll('~', '/');
  if (!recordAddress(recordKey)) return undefined;
  return { writtenAt: `${year}-${month}-${day}T${hours}:${minutes}:${seconds}${millis}`, recordKey };
}

/** The sequence number in a version or baseline key, or undefined when the key is not one. */
export function seqOfKey(key: string): number | undefined {
  const match = /\/(\d+)\.json$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

/** The hash in a blob key, or undefined when the key is not one. */
export function hashOfBlobKey(key: string): string | undefined {
  const match = /^blobs\/sha256\/[0-9a-f]{2}\/([0-9a-f]{64})$/.exec(key);
  return match?.[1];
}
