import type { CaptureEngine } from '../capture/engine.js';
import { heldContent, readLiveResource } from '../capture/live.js';
import { describeProblem, InputError } from '../errors.js';
import { fieldChanges } from '../query/changes.js';
import { confirmedEntry, mapBounded, type StateEntry, stateAt } from '../query/queries.js';
import type { SecretSealer } from '../secrets/sealer.js';
import type { StateFilter } from '../store/index-resources.js';
import { resourceKey } from '../store/layout.js';
import type { JsonObject } from '../types/json.js';
import type { Gap, ResourceRef } from '../types/resource.js';
import { copyTarget, type RestoreCopy } from './copy.js';
import { dependencyOrder } from './order.js';
import { type PlannedChange, type ResourceState, RestoreAction } from './types.js';

/** What to restore, to when, and how. */
export interface RestorePlanOptions {
  /** The moment restored to. */
  readonly at: Date;
  /** Resources named one by one; with none, every resource `filter` selects. */
  readonly resources?: readonly ResourceRef[];
  readonly filter?: StateFilter;
  /** Remove what did not exist at `at` (objects created since, items written since). @default false */
  readonly prune?: boolean;
  /** Restore to a copy rather than in place. */
  readonly copy?: RestoreCopy;
}

/** The plan for one resource: what will be done, and the states it was planned against. */
export interface ResourcePlan extends PlannedChange {
  /** The resource as captured. */
  readonly resource: ResourceRef;
  /** Where it is restored: the resource itself, or its copy. */
  readonly target: ResourceRef;
  /** The version restored to (its record's hash); null when it did not exist at the moment restored to. */
  readonly version: string | null;
  /** sha256 of the captured document; null when it did not exist then. */
  readonly capturedDocument: string | null;
  /** sha256 of the live document as planned against; null when it does not exist. Applying re-checks it. */
  readonly liveDocument: string | null;
  /** The live content the plan's read named (code by `CodeSha256`, table chunks; not object bytes): re-checked too. */
  readonly liveBlobs: Readonly<Record<string, string>>;
  /** The content restored to, by blob name. */
  readonly capturedBlobs: Readonly<Record<string, string>>;
  /** Paths of the fields that differ between the live and the captured state (secrets named, never shown). */
  readonly differs: readonly string[];
  /** Whether `--apply` sends the steps; false when they are for the user to make (the type has no `apply`). */
  readonly sends: boolean;
  /** Keys of the resources of the plan this one refers to, restored before it. */
  readonly after: readonly string[];
}

/** A restore plan: every resource in the order its steps are applied. Pure data: `--json` prints it. */
export interface RestorePlan {
  /** The moment restored to. */
  readonly at: string;
  /** When the live state was read. */
  readonly readAt: string;
  readonly prune: boolean;
  readonly resources: readonly ResourcePlan[];
  /** Resources whose live state could not be read: not in the plan. */
  readonly gaps: readonly Gap[];
  readonly failures: readonly { readonly resource: ResourceRef; readonly error: string }[];
}

/**
 * Plans a restore: reads the captured state at `at` of every selected resource (and, to say what `--prune` would
 * remove, those the store knows were created since), reads each one's live state through the registry as a capture
 * would, and asks each type's `restore.plan` for the calls that make live equal captured. Reads only. `engine` reaches
 * the account restored into: another one's (`copy.account`) when restoring there.
 */
export async function planRestore(
  engine: CaptureEngine,
  sealer: SecretSealer,
  options: RestorePlanOptions,
): Promise<RestorePlan> {
  const { store } = engine;
  // Copies are checked before anything is read: a type that cannot be copied is bad input.
  const candidates = restoreCandidates(engine, options).map((candidate) => ({
    ...candidate,
    target: copyTarget(candidate.resource, options.copy, engine.definition(candidate.resource.type)),
  }));
  if (options.copy) requireDistinctCopies(candidates, options.prune === true);
  const reader = {
    store,
    definition: (type: string) => engine.definition(type),
    // A plan compares, it keeps nothing: large content is named by the document, not downloaded.
    context: { ...engine.context, content: heldContent(store.content), metadataOnly: true },
  };
  const gaps: Gap[] = [];
  const failures: { resource: ResourceRef; error: string }[] = [];
  const planned = await mapBounded(candidates, async ({ resource, captured, target }) => {
    try {
      const live = await readLiveResource(reader, sealer, target);
      if (live.status === 'gap') {
        gaps.push(live.gap);
        return undefined;
      }
      const liveState = live.status === 'read' && !live.state.deleted ? live.state : undefined;
      // A copy under another bucket or name never goes over what is there; in another account, what is there is
      // restored as in place (the plan shows it, and the user chose that account).
      const renamed = options.copy?.bucket !== undefined || options.copy?.name !== undefined;
      if (renamed && liveState) return takenCopy(resource, target, liveState.body);
      return await planResource(engine, {
        resource,
        target,
        captured: captured && (await confirmedEntry(store, captured)),
        live: liveState && {
          document: liveState.body ?? (await store.readDocument(liveState.document as string)),
          blobs: liveState.blobs,
          hash: liveState.document as string,
          ...(liveState.fingerprint === undefined ? {} : { fingerprint: liveState.fingerprint }),
        },
        prune: options.prune === true,
      });
    } catch (error) {
      failures.push({ resource, error: describeProblem(error) });
      return undefined;
    }
  });
  const resources = dependencyOrder(planned.filter((plan) => plan !== undefined)).map(
    ({ document: _document, ...plan }) => plan,
  );
  return {
    at: options.at.toISOString(),
    readAt: new Date().toISOString(),
    prune: options.prune === true,
    resources,
    gaps,
    failures,
  };
}

/**
 * Copies that would write over each other (objects of two buckets with one key, `--to-bucket`), or delete what is
 * there (`--prune` with a copy): an InputError.
 */
function requireDistinctCopies(candidates: ReadonlyArray<{ target: ResourceRef }>, prune: boolean): void {
  if (prune)
    throw new InputError(
      '--prune cannot be used with a copy (--to-bucket, --to-name, --to-account-profile): a copy never deletes',
    );
  const seen = new Set<string>();
  for (const { target } of candidates) {
    const key = resourceKey(target);
    if (seen.has(key))
      throw new InputError(`two resources would be restored to ${target.id}: narrow the selection (--id)`);
    seen.add(key);
  }
}

/**
 * The plan of a copy whose target already exists: nothing is written over it, as it is something else (or an
 * earlier copy, which the user deletes first).
 */
function takenCopy(
  resource: ResourceRef,
  target: ResourceRef,
  document: JsonObject | undefined,
): Omit<ResourcePlan, 'after'> & { readonly document?: JsonObject } {
  return {
    ...(document ? { document } : {}),
    resource,
    target,
    version: null,
    capturedDocument: null,
    liveDocument: null,
    liveBlobs: {},
    capturedBlobs: {},
    differs: [],
    sends: false,
    action: RestoreAction.CANNOT,
    reason: `${target.id} already exists: a copy is restored only where nothing is (choose another name, or delete it first)`,
    steps: [],
  };
}

/** A resource to plan: the version it had at the moment restored to (absent when created since). */
interface Candidate {
  readonly resource: ResourceRef;
  readonly captured?: StateEntry;
}

/**
 * The resources a restore considers: those that existed at `at`, and those the store knows exist now but did not
 * then (created since). Named resources that the store never held are an InputError.
 */
function restoreCandidates(engine: CaptureEngine, options: RestorePlanOptions): Candidate[] {
  const { store } = engine;
  const filter = options.filter ?? {};
  const then = new Map(
    stateAt(store, options.at, filter).map((entry) => [resourceKey(entry.resource), entry]),
  );
  const now = stateAt(store, new Date(), filter).filter((entry) => !then.has(resourceKey(entry.resource)));
  // Restoring into another account, the resources the store holds of that account are targets, never sources.
  const source = ({ resource }: Candidate) => resource.account !== options.copy?.account;
  const all: Candidate[] = [
    ...[...then.values()].map((captured) => ({ resource: captured.resource, captured })),
    ...now.map((entry) => ({ resource: entry.resource })),
  ].filter(source);
  if (options.resources === undefined) return all;
  const byKey = new Map(all.map((candidate) => [resourceKey(candidate.resource), candidate]));
  const named = new Map(options.resources.map((resource) => [resourceKey(resource), resource]));
  return [...named.values()].map((resource) => {
    const candidate = byKey.get(resourceKey(resource));
    if (!candidate)
      throw new InputError(
        `${resource.type} ${resource.id} existed neither at ${options.at.toISOString()} nor since: nothing to restore`,
      );
    return candidate;
  });
}

/** A live state with its document's hash. */
interface LiveInput extends ResourceState {
  readonly hash: string;
}

/** The plan of one resource: nothing when live equals captured, else what its type's `restore` plans. */
async function planResource(
  engine: CaptureEngine,
  input: {
    resource: ResourceRef;
    target: ResourceRef;
    captured: StateEntry | undefined;
    live: LiveInput | undefined;
    prune: boolean;
  },
): Promise<Omit<ResourcePlan, 'after'> & { readonly document?: JsonObject }> {
  const { resource, target, captured, live } = input;
  const capturedState = captured?.document
    ? { document: await engine.store.readDocument(captured.document), blobs: captured.blobs }
    : undefined;
  const base = {
    ...((capturedState ?? live) ? { document: (capturedState ?? live)?.document } : {}),
    resource,
    target,
    version: captured?.version ?? null,
    capturedDocument: captured?.document ?? null,
    liveDocument: live?.hash ?? null,
    liveBlobs: live?.blobs ?? {},
    capturedBlobs: captured?.blobs ?? {},
    differs:
      capturedState && live ? fieldChanges(live.document, capturedState.document).map((c) => c.path) : [],
  };
  if (sameState(capturedState, captured?.document, live))
    return { ...base, action: RestoreAction.NOTHING, steps: [], sends: false };
  const restore = engine.definition(resource.type).restore;
  if (!restore)
    return {
      ...base,
      sends: false,
      action: RestoreAction.CANNOT,
      reason: `Tidemark cannot restore ${resource.type} yet: compare with tidemark diff and change it by hand`,
      steps: [],
    };
  const change: PlannedChange = restore.plan({
    resource,
    target,
    ...(capturedState ? { captured: capturedState } : {}),
    ...(live ? { live: { document: live.document, blobs: live.blobs, ...fingerprintOf(live) } } : {}),
    prune: input.prune,
  });
  if (restore.apply || change.steps.length === 0)
    return { ...base, ...change, sends: change.steps.length > 0 };
  const byHand = `Tidemark does not send these calls for ${resource.type} yet: make them yourself (AWS CLI, console)`;
  return { ...base, ...change, sends: false, reason: change.reason ? `${change.reason}; ${byHand}` : byHand };
}

function fingerprintOf(state: ResourceState): { fingerprint?: string } {
  return state.fingerprint === undefined ? {} : { fingerprint: state.fingerprint };
}

/**
 * Whether the live state is the captured one: both absent, or the same document and the same content wherever the
 * live read named it (object bytes are not read for a plan: their document's `ETag` and version id say what they are).
 */
function sameState(
  captured: ResourceState | undefined,
  capturedHash: string | null | undefined,
  live: LiveInput | undefined,
): boolean {
  if (!captured || !live) return !captured && !live;
  return (
    capturedHash === live.hash &&
    Object.entries(live.blobs).every(([name, hash]) => captured.blobs[name] === hash)
  );
}
