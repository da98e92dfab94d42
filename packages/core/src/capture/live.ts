import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { canonicalJson, sha256Hex } from '../canonical/canonicalise.js';
import { CauseKind, GLOBAL_REGION } from '../constants.js';
import { ContentMismatchError, describeProblem } from '../errors.js';
import { globRegExp } from '../glob.js';
import { diffWithLive, type LiveDiff, type LiveSide } from '../query/live-diff.js';
import { diffStates, requireHeldRegion } from '../query/queries.js';
import type { ResourceDefinition } from '../resources/types.js';
import type { SecretSealer } from '../secrets/sealer.js';
import type { StateFilter } from '../store/index-resources.js';
import { resourceKey } from '../store/layout.js';
import type { VersionCause } from '../store/records.js';
import type { VersionStore } from '../store/version-store.js';
import type { JsonObject } from '../types/json.js';
import type { BlobRefs, Gap, ResourceRef } from '../types/resource.js';
import { BASELINE_IN_FLIGHT, selectDefinitions, sweepAll } from './baseline.js';
import type { ContentStore } from './content-store.js';
import type { CaptureContext } from './context.js';
import { prepareDocument } from './document.js';
import { type CaptureEngine, type CaptureHints, requireDefinition } from './engine.js';
import type { CaptureOutcome } from './outcome.js';
import { type SweepCapturer, Sweeper } from './sweep.js';
import type { CaptureFailure } from './tally.js';

/** Bytes of small content (table item chunks, certificates) a live read keeps in memory for comparisons. */
export const LIVE_CONTENT_HELD_BYTES = 64 * 2 ** 20;

/** What to read of the live account. */
export interface LiveReadOptions {
  /** Regions of regional types; global types are read once. */
  readonly regions: readonly string[];
  /** Only the resources this filter selects are described (a child type is listed through its parent). */
  readonly filter?: StateFilter;
  /** Descriptions in flight at once. @default BASELINE_IN_FLIGHT */
  readonly inFlight?: number;
}

/** One resource as the live account has it, prepared as a capture would store it, but not stored. */
export interface LiveState {
  readonly resource: ResourceRef;
  /** Whether it no longer exists (the store holds a version of it). */
  readonly deleted: boolean;
  /** sha256 of its canonical document, as a capture would record it; null when deleted. */
  readonly document: string | null;
  /** The document itself, when it was described (absent when the listing showed it unchanged, or it is deleted). */
  readonly body?: JsonObject;
  readonly blobs: BlobRefs;
  readonly gaps: readonly Gap[];
  /** The fingerprint the description gave (a distribution's ETag), as a capture would keep it. */
  readonly fingerprint?: string;
}

/** What a live read found. */
export interface LiveAccount {
  /** When the read completed. */
  readonly readAt: string;
  /** Every resource described or found deleted, by resource key; the others are as the store last knew them. */
  readonly states: ReadonlyMap<string, LiveState>;
  /** What could not be read (denied or failed listings and describes): those resources are as the store last knew. */
  readonly gaps: readonly Gap[];
  readonly failures: readonly CaptureFailure[];
  /** Content the read hashed, as the store would hold it: kept in memory when small, else read from the store. */
  readonly content: ContentStore;
}

/** What a capture of the live account (`--capture`) did. */
export interface LiveCapture {
  readonly capturedAt: string;
  readonly gaps: readonly Gap[];
  readonly failures: readonly CaptureFailure[];
}

/**
 * Describes the live account through the registry, as a baseline sweeps it (the same listings, deletions confirmed
 * the same way, the engine's rate limits), and prepares each document exactly as a capture would, but stores
 * nothing: content is hashed and discarded (small content is kept in memory), reads of earlier content go to the
 * store. Denied and failed reads are gaps, never thrown.
 */
export async function readLive(
  engine: CaptureEngine,
  sealer: SecretSealer,
  options: LiveReadOptions,
): Promise<LiveAccount> {
  const reader = new LiveReader(engine, sealer);
  const sweeper = new Sweeper(
    selectedOnly(reader, options.filter ?? {}),
    { kind: CauseKind.DRIFT_CHECK },
    options.inFlight ?? BASELINE_IN_FLIGHT,
  );
  await sweepAll(sweeper, reader.context, liveDefinitions(engine.registry, options.filter), options.regions);
  return {
    readAt: new Date().toISOString(),
    states: reader.states,
    gaps: sweeper.tally.gaps,
    failures: sweeper.tally.failures,
    content: reader.context.content,
  };
}

/**
 * Captures the live account as {@link readLive} reads it, through the engine, each change appended as a version
 * caused by a `drift-check`; unchanged resources append nothing.
 */
export async function captureLive(engine: CaptureEngine, options: LiveReadOptions): Promise<LiveCapture> {
  const sweeper = new Sweeper(
    selectedOnly(engine, options.filter ?? {}),
    { kind: CauseKind.DRIFT_CHECK },
    options.inFlight ?? BASELINE_IN_FLIGHT,
  );
  await sweepAll(sweeper, engine.context, liveDefinitions(engine.registry, options.filter), options.regions);
  return {
    capturedAt: new Date().toISOString(),
    gaps: sweeper.tally.gaps,
    failures: sweeper.tally.failures,
  };
}

/** What {@link diffLive} compares. */
export interface LiveDiffOptions {
  /** The stored moment. */
  readonly at: Date;
  /** Which moment the live account is. */
  readonly side: LiveSide;
  readonly filter?: StateFilter;
  /** Regions of regional types to read. @default the filter's region, else every region the store holds */
  readonly regions?: readonly string[];
  /** Store what the read found, as versions caused by a `drift-check` (through the engine). @default false */
  readonly capture?: boolean;
}

/**
 * The stored moment `at` against the live account read through `engine` (see {@link diffWithLive}); with
 * `capture`, what the read found is stored first (see {@link captureLive}) and the stored moment compared with it. Bad
 * input (a region the store holds nothing in, an unknown type) is an InputError before anything is read or stored.
 */
export async function diffLive(
  engine: CaptureEngine,
  sealer: SecretSealer,
  options: LiveDiffOptions,
): Promise<LiveDiff> {
  const { at, side, filter = {} } = options;
  const { store } = engine;
  requireHeldRegion(store, filter.region);
  const read = { regions: options.regions ?? liveRegions(store, filter), filter };
  if (!options.capture) return diffWithLive(store, at, await readLive(engine, sealer, read), side, filter);
  const captured = await captureLive(engine, read);
  const now = new Date(captured.capturedAt);
  const diff = await diffStates(store, side === 'to' ? at : now, side === 'to' ? now : at, filter);
  return { ...diff, gaps: captured.gaps, failures: captured.failures };
}

/** The regions a live read covers by default: the filter's, else every region the store holds resources in. */
function liveRegions(store: VersionStore, filter: StateFilter): string[] {
  if (filter.region !== undefined) return filter.region === GLOBAL_REGION ? [] : [filter.region];
  return store.index.scope().regions.filter((region) => region !== GLOBAL_REGION);
}

/** The top-level definitions to sweep for a filter: its type's, or its parent's for a child type; else all. */
function liveDefinitions(
  registry: readonly ResourceDefinition[],
  filter?: StateFilter,
): ResourceDefinition[] {
  const type = filter?.type;
  if (type === undefined) return selectDefinitions(registry);
  if (!requireDefinition(registry, type).listedByParent) return selectDefinitions(registry, [type]);
  const parent = registry.find((definition) => definition.children?.some((child) => child.type === type));
  return parent ? selectDefinitions(registry, [parent.type]) : [];
}

/**
 * A capturer that captures only the resources `filter` selects: the others are reported `unchanged` without being
 * read, so that their children (which the filter may select) are still listed.
 */
function selectedOnly(capturer: SweepCapturer, filter: StateFilter): SweepCapturer {
  const ids = filter.idGlob === undefined ? undefined : globRegExp(filter.idGlob);
  const selected = (resource: ResourceRef) =>
    (filter.type === undefined || resource.type === filter.type) &&
    (filter.region === undefined || resource.region === filter.region) &&
    (ids === undefined || ids.test(resource.id));
  return {
    account: capturer.account,
    store: capturer.store,
    context: capturer.context,
    definition: (type) => capturer.definition(type),
    capture: async (resource, cause, hints) =>
      selected(resource) ? capturer.capture(resource, cause, hints) : { status: 'unchanged', resource },
  };
}

/**
 * Describes resources as the capture engine would and keeps what it found in {@link states}, appending nothing:
 * a sweep's capturer whose outcomes are `unchanged` (read), `absent`, `gap` or `failed`.
 */
class LiveReader implements SweepCapturer {
  readonly account: string;
  readonly store: CaptureEngine['store'];
  readonly context: CaptureContext;
  readonly states = new Map<string, LiveState>();
  readonly #engine: CaptureEngine;
  readonly #sealer: SecretSealer;

  constructor(engine: CaptureEngine, sealer: SecretSealer) {
    this.account = engine.account;
    this.store = engine.store;
    this.context = { ...engine.context, content: heldContent(engine.store.content) };
    this.#engine = engine;
    this.#sealer = sealer;
  }

  definition(type: string): ResourceDefinition {
    return this.#engine.definition(type);
  }

  async capture(
    resource: ResourceRef,
    _cause: VersionCause,
    hints: CaptureHints = {},
  ): Promise<CaptureOutcome> {
    try {
      return await this.#read(resource, hints.fingerprint);
    } catch (error) {
      return { status: 'failed', resource, error: describeProblem(error) };
    }
  }

  async #read(resource: ResourceRef, fingerprint: string | undefined): Promise<CaptureOutcome> {
    const read = await readLiveResource(this, this.#sealer, resource, fingerprint);
    if (read.status === 'gap') return { status: 'gap', resource, gap: read.gap };
    if (read.status === 'absent') return { status: 'absent', resource };
    this.states.set(resourceKey(resource), read.state);
    return { status: 'unchanged', resource };
  }
}

/** What {@link readLiveResource} found: the live state, a resource that exists neither live nor in the store, or a gap. */
export type LiveResourceRead =
  | { readonly status: 'read'; readonly state: LiveState }
  | { readonly status: 'absent' }
  | { readonly status: 'gap'; readonly gap: Gap };

/**
 * Describes one resource as the capture engine would and prepares its document exactly as a capture stores it, but
 * stores nothing (content goes to `reader.context.content`). `fingerprint` is the listing's: equal to the latest
 * version's, that version is the live state and nothing is read.
 */
export async function readLiveResource(
  reader: Pick<SweepCapturer, 'store' | 'context' | 'definition'>,
  sealer: SecretSealer,
  resource: ResourceRef,
  fingerprint?: string,
): Promise<LiveResourceRead> {
  const definition = reader.definition(resource.type);
  const latest = reader.store.latest(resource);
  const current = latest && !latest.record.deleted && latest.record.document ? latest.record : undefined;
  const found = (state: Omit<LiveState, 'resource'>): LiveResourceRead => ({
    status: 'read',
    state: { resource, ...state },
  });
  // As a capture: a listing fingerprint equal to the latest version's means that version is the live state.
  if (fingerprint !== undefined && current?.fingerprint === fingerprint)
    return found({ deleted: false, document: current.document, blobs: current.blobs, gaps: current.gaps });
  const previous = current && {
    document: await reader.store.readDocument(current.document as string),
    blobs: current.blobs,
    ...(current.fingerprint === undefined ? {} : { fingerprint: current.fingerprint }),
  };
  const described = await definition.describe(reader.context, resource.id, resource.region, previous);
  if (described.status === 'gap') return { status: 'gap', gap: described.gap };
  if (described.status === 'not-found')
    return current ? found({ deleted: true, document: null, blobs: {}, gaps: [] }) : { status: 'absent' };
  const canonical = canonicalJson(prepareDocument(definition, described.raw, sealer));
  return found({
    deleted: false,
    document: sha256Hex(canonical),
    // As a stored document reads back: keys in canonical order, so a diff shows both sides alike.
    body: JSON.parse(canonical) as JsonObject,
    blobs: described.blobs ?? {},
    gaps: [...(described.gaps ?? [])],
    ...(described.fingerprint === undefined ? {} : { fingerprint: described.fingerprint }),
  });
}

/**
 * A content store that stores nothing: content is hashed (and checked against an expected hash) and discarded,
 * except small content held in memory up to {@link LIVE_CONTENT_HELD_BYTES}; what it holds is read from memory,
 * everything else from `store`.
 */
export function heldContent(store: ContentStore): ContentStore {
  const held = new Map<string, Buffer>();
  let heldBytes = 0;
  return {
    has: async (hash) => held.has(hash) || store.has(hash),
    putStream: async (source, options) => {
      const digest = createHash('sha256');
      let size = 0;
      for await (const chunk of source) {
        digest.update(chunk);
        size += chunk.length;
      }
      const hash = digest.digest('hex');
      if (options?.expectedHash && hash !== options.expectedHash)
        throw new ContentMismatchError(options.expectedHash, hash);
      return { hash, size, written: false };
    },
    putBytes: async (bytes) => {
      const hash = sha256Hex(bytes);
      if (!held.has(hash) && heldBytes + bytes.length <= LIVE_CONTENT_HELD_BYTES) {
        held.set(hash, Buffer.from(bytes));
        heldBytes += bytes.length;
      }
      return { hash, size: bytes.length, written: false };
    },
    read: async (hash) => {
      const bytes = held.get(hash);
      return bytes ? Readable.from([bytes]) : store.read(hash);
    },
  };
}
