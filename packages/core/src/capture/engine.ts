import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import type { CaptureObserver } from '../alerts/evaluator.js';
import type { AwsClients } from '../aws/clients.js';
import { canonicalJson, sha256Hex } from '../canonical/canonicalise.js';
import {
  CauseKind,
  DEFAULT_PART_SIZE,
  DEFAULT_TABLE_ITEM_LIMIT_BYTES,
  DOWNLOADS_IN_FLIGHT,
} from '../constants.js';
import { describeProblem, UnknownResourceTypeError } from '../errors.js';
import { endpointRegion, type RateLimit } from '../resources/service.js';
import type { ResourceDefinition } from '../resources/types.js';
import type { SecretSealer } from '../secrets/sealer.js';
import type { Hashed, VersionCause, VersionRecord } from '../store/records.js';
import type { VersionDraft, VersionStore } from '../store/version-store.js';
import type { BlobRefs, ResourceRef } from '../types/resource.js';
import { ServiceLimits } from './call-limits.js';
import type { ContentStore } from './content-store.js';
import {
  type CaptureContext,
  type CaptureCounters,
  type ObjectSelection,
  type TableItemSettings,
  withStoreBucketExcluded,
} from './context.js';
import { prepareDocument } from './document.js';
import type { CaptureOutcome } from './outcome.js';

/** Everything the capture engine works with. */
export interface CaptureEngineOptions {
  readonly store: VersionStore;
  readonly clients: AwsClients;
  readonly sealer: SecretSealer;
  readonly registry: readonly ResourceDefinition[];
  /** The account the credentials belong to; asked of STS when absent. */
  readonly account?: string;
  /** Region for account-level calls (STS). @default us-east-1 */
  readonly homeRegion?: string;
  /** Which S3 objects have their content captured. @default every object */
  readonly objects?: ObjectSelection;
  /** @default 8 MiB */
  readonly partSize?: number;
  /** How table items are captured. @default scanned up to 2 GiB a table, no export destination */
  readonly tableItems?: Partial<TableItemSettings>;
  /** Take a native snapshot of each Lightsail instance captured. @default false */
  readonly lightsailSnapshots?: boolean;
  /** Rate limits replacing a service's declared ones, by service name (`{ route53: { requestsPerSecond: 2 } }`). */
  readonly rateLimits?: Readonly<Record<string, Partial<RateLimit>>>;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Called after every capture, for progress displays. */
  readonly onCapture?: (outcome: CaptureOutcome) => void;
  /** Sees every capture's outcome and the cause asked for: the alert evaluator. */
  readonly observer?: CaptureObserver;
}

/** What a caller knows of a resource before it is captured. */
export interface CaptureHints {
  /** The listing's fingerprint: when it equals the latest version's, nothing is read at all. */
  readonly fingerprint?: string | undefined;
  /** The only parts of the resource events changed since its latest version (see `PartialChange`). */
  readonly parts?: readonly string[];
}

/**
 * The one capture engine behind baselines, ingested events, and later the deployed consumer and `watch`:
 * describes a resource, prepares its document, and appends a version when it changed.
 */
export class CaptureEngine {
  readonly account: string;
  readonly store: VersionStore;
  readonly context: CaptureContext;
  readonly registry: readonly ResourceDefinition[];
  readonly #sealer: SecretSealer;
  readonly #now: () => Date;
  readonly #onCapture: ((outcome: CaptureOutcome) => void) | undefined;
  readonly #observer: CaptureObserver | undefined;

  private constructor(options: CaptureEngineOptions, account: string) {
    this.account = account;
    this.store = options.store;
    this.registry = options.registry;
    this.#sealer = options.sealer;
    this.#now = options.now ?? (() => new Date());
    this.#onCapture = options.onCapture;
    this.#observer = options.observer;
    const counters: CaptureCounters = { bytesDownloaded: 0, bytesStored: 0, bytesDeduplicated: 0 };
    const limits = new ServiceLimits(options.rateLimits);
    const homeRegion = options.homeRegion ?? 'us-east-1';
    const downloads = pLimit(DOWNLOADS_IN_FLIGHT);
    this.context = {
      account,
      homeRegion,
      clients: options.clients,
      content: countingContent(options.store.content, counters),
      client: (service, region) =>
        options.clients.client(service.client, endpointRegion(service, region, homeRegion)),
      limit: (service) => limits.of(service),
      downloads: (fn) => downloads(() => fn()),
      objects: withStoreBucketExcluded(options.objects ?? {}, options.store.ownBucket),
      partSize: options.partSize ?? DEFAULT_PART_SIZE,
      counters,
      tableItems: { maxBytes: DEFAULT_TABLE_ITEM_LIMIT_BYTES, ...options.tableItems },
      lightsailSnapshots: options.lightsailSnapshots ?? false,
    };
  }

  /** Creates an engine, asking STS which account the credentials belong to unless told. */
  static async create(options: CaptureEngineOptions): Promise<CaptureEngine> {
    const account =
      options.account ??
      (await options.clients.sts(options.homeRegion ?? 'us-east-1').send(new GetCallerIdentityCommand({})))
        .Account;
    if (!account) throw new Error('STS GetCallerIdentity returned no account');
    return new CaptureEngine(options, account);
  }

  /** The definition of a type, or an error naming the known types. */
  definition(type: string): ResourceDefinition {
    return requireDefinition(this.registry, type);
  }

  /**
   * Captures one resource and appends a version when it changed. Never throws: every failure is an outcome.
   * With a listing fingerprint equal to the latest version's, nothing is read at all. A baseline that finds a
   * change since the latest version records it as silent drift (`reconcile`); a first capture stays `baseline`,
   * and so does one that only adds content the latest version could not fetch.
   */
  async capture(
    resource: ResourceRef,
    cause: VersionCause,
    hints: CaptureHints = {},
  ): Promise<CaptureOutcome> {
    const outcome = await this.#capture(resource, cause, hints).catch(
      (error: unknown): CaptureOutcome => ({ status: 'failed', resource, error: describeError(error) }),
    );
    this.#onCapture?.(outcome);
    this.#observer?.observe(outcome, cause);
    return outcome;
  }

  async #capture(resource: ResourceRef, cause: VersionCause, hints: CaptureHints): Promise<CaptureOutcome> {
    const { fingerprint, parts } = hints;
    const definition = this.definition(resource.type);
    const latest = this.store.latest(resource);
    const current = latest && !latest.record.deleted && latest.record.document ? latest : undefined;
    if (fingerprint !== undefined && current?.record.fingerprint === fingerprint)
      return { status: 'unchanged', resource, version: current };
    const previous = current && {
      document: await this.store.readDocument(current.record.document as string),
      blobs: current.record.blobs,
      ...(current.record.fingerprint === undefined ? {} : { fingerprint: current.record.fingerprint }),
    };
    const described = await definition.describe(this.context, resource.id, resource.region, previous, parts);
    if (described.status === 'gap') return { status: 'gap', resource, gap: described.gap };
    const base = { resource, capturedAt: this.#now().toISOString() };
    let draft: VersionDraft;
    if (described.status === 'not-found') {
      if (!current) return { status: 'absent', resource };
      draft = {
        ...base,
        cause: recordedCause(cause, latest),
        deleted: true,
        document: null,
        blobs: {},
        gaps: [],
      };
    } else {
      const document = prepareDocument(definition, described.raw, this.#sealer);
      const bytes = Buffer.from(canonicalJson(document), 'utf8');
      const hash = sha256Hex(bytes);
      const blobs = described.blobs ?? {};
      const changed =
        current?.record.document !== hash || canonicalJson(current.record.blobs) !== canonicalJson(blobs);
      if (changed) await this.store.content.putBytes(bytes);
      draft = {
        ...base,
        cause: recordedCause(cause, latest, { document: hash, blobs }),
        deleted: false,
        document: hash,
        blobs,
        ...(described.fingerprint === undefined ? {} : { fingerprint: described.fingerprint }),
        gaps: [...(described.gaps ?? [])],
      };
    }
    // A draft rebuilt from the latest version's parts holds only what changed since it: when another writer appended
    // first, it is captured again as a whole instead of being appended over a version it was not built from.
    const result = await this.store.append(draft, parts ? { basedOn: latest?.hash ?? null } : {});
    if (result.conflict) return this.#capture(resource, cause, { ...(fingerprint ? { fingerprint } : {}) });
    return result.appended && result.version
      ? { status: 'appended', resource, version: result.version }
      : { status: 'unchanged', resource, ...(result.version ? { version: result.version } : {}) };
  }
}

/** The definition of a type in a registry, or an error naming the known types. */
export function requireDefinition(registry: readonly ResourceDefinition[], type: string): ResourceDefinition {
  const definition = registry.find((candidate) => candidate.type === type);
  if (!definition)
    throw new UnknownResourceTypeError(
      type,
      registry.map((d) => d.type),
    );
  return definition;
}

/** What a capture found of a resource that exists: its document's hash and its content blobs. */
interface FoundState {
  readonly document: string;
  readonly blobs: BlobRefs;
}

/**
 * The cause a new version records: what a baseline finds changed since an existing version happened without
 * an event capturing it (silent drift), so it is a `reconcile` with the baseline's label; unless the baseline
 * only completes that version (see {@link completesCapture}). `found` is absent when the resource is gone.
 */
function recordedCause(
  cause: VersionCause,
  latest: Hashed<VersionRecord> | undefined,
  found?: FoundState,
): VersionCause {
  if (cause.kind !== CauseKind.BASELINE || !latest) return cause;
  if (found && completesCapture(latest.record, found)) return cause;
  const detail = !found
    ? 'deleted without an event'
    : latest.record.deleted
      ? 'created again without an event'
      : 'changed without an event';
  return { kind: CauseKind.RECONCILE, label: cause.label, detail };
}

/**
 * Whether a capture only adds content an earlier capture of the same document could not fetch (it recorded a
 * gap, such as a failed code download): the same document, every earlier blob unchanged, and more blobs. That
 * completes the earlier capture; nothing changed in the account.
 */
function completesCapture(previous: VersionRecord, found: FoundState): boolean {
  const before = Object.entries(previous.blobs);
  return (
    !previous.deleted &&
    previous.gaps.length > 0 &&
    previous.document === found.document &&
    before.every(([name, hash]) => found.blobs[name] === hash) &&
    Object.keys(found.blobs).length > before.length
  );
}

/** Wraps a content store so every write is counted as stored or deduplicated bytes. */
function countingContent(content: ContentStore, counters: CaptureCounters): ContentStore {
  const count = <T extends { size: number; written: boolean }>(stored: T): T => {
    if (stored.written) counters.bytesStored += stored.size;
    else counters.bytesDeduplicated += stored.size;
    return stored;
  };
  return {
    has: (hash) => content.has(hash),
    putStream: async (source, options) => count(await content.putStream(source, options)),
    putBytes: async (bytes) => count(await content.putBytes(bytes)),
    read: (hash) => content.read(hash),
  };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${describeProblem(error.cause)}` : '';
  return `${error.name}: ${error.message}${cause}`;
}
