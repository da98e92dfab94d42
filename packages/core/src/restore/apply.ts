import { randomBytes } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import pLimit from 'p-limit';
import { classifyAwsError, errorCode, errorMessage } from '../aws/classify.js';
import type { AwsClients } from '../aws/clients.js';
import type { CaptureEngine } from '../capture/engine.js';
import { CauseKind, RESTORE_USER_AGENT } from '../constants.js';
import { describeProblem } from '../errors.js';
import { fieldChanges } from '../query/changes.js';
import { endpointRegion } from '../resources/service.js';
import { isSealed, type SecretSealer } from '../secrets/sealer.js';
import { resourceKey } from '../store/layout.js';
import type { VersionCause } from '../store/records.js';
import type { Json } from '../types/json.js';
import type { ResourceRef } from '../types/resource.js';
import type { ResourcePlan, RestorePlan } from './plan.js';
import type { RestoreContext, RestoreSpec, RestoreStep } from './types.js';

/** Resources restored at once (each waits for those it refers to). */
const RESOURCES_IN_FLIGHT = 16;

/** How one step went. */
export interface StepOutcome {
  readonly operation: string;
  readonly status: 'applied' | 'denied' | 'failed';
  /** The AWS error code and message when it did not apply. */
  readonly error?: string;
}

/** How restoring one resource went. */
export type ResourceStatus =
  /** Every step applied, and the state captured after it is the one restored to. */
  | 'restored'
  /** Every step applied; the state captured after differs from the captured one in `differs`. */
  | 'restored-with-differences'
  /** Some steps did not apply. */
  | 'partial'
  /** No step applied. */
  | 'failed'
  /** The live state changed after the plan was made: nothing was sent, so that change is not overwritten. */
  | 'conflict'
  /** The plan had nothing to send (nothing to do, kept, or cannot be restored). */
  | 'skipped'
  /** The plan's calls are for the user to make: Tidemark does not send them for this type. */
  | 'by-hand'
  /** The calls were sent, but the state after them could not be captured to check them. */
  | 'unverified';

/** The outcome of one resource's restore. */
export interface ResourceOutcome {
  readonly resource: ResourceRef;
  readonly target: ResourceRef;
  readonly action: ResourcePlan['action'];
  readonly status: ResourceStatus;
  readonly steps: readonly StepOutcome[];
  /** Why: a conflict, the live state that could not be read. */
  readonly message?: string;
  /** Fields of the state after the restore that still differ from the captured one. */
  readonly differs?: readonly string[];
}

/** What `restore --apply` did. */
export interface RestoreReport {
  /** This restore's id: its calls' user agent and the causes of its captures carry it. */
  readonly restoreId: string;
  readonly at: string;
  readonly resources: readonly ResourceOutcome[];
}

/** What applying a plan needs besides the engine. */
export interface ApplyOptions {
  /** The id the plan's calls carry (see {@link restoreUserAgent}). @default a new one */
  readonly restoreId?: string;
  /** The clients the writes are sent with: their user agent must carry the restore's id. */
  readonly clients: AwsClients;
  readonly sealer: SecretSealer;
}

/** A new restore id: 12 hex digits. */
export function newRestoreId(): string {
  return randomBytes(6).toString('hex');
}

/**
 * Applies a plan. For each resource, in the plan's order (each after those it refers to): captures its current state
 * (cause `restore`, phase `before`), so the restore can itself be undone; compares it with the state the plan was
 * made against and sends nothing when it changed since (a conflict); sends the steps one by one, a denied or failed
 * step reported and the next ones still sent; then captures it again (phase `after`) and compares that with the
 * state restored to. Never throws for one resource's failure.
 */
export async function applyRestore(
  engine: CaptureEngine,
  plan: RestorePlan,
  options: ApplyOptions,
): Promise<RestoreReport> {
  const restoreId = options.restoreId ?? newRestoreId();
  const context = restoreContext(engine, options);
  const cause = (phase: 'before' | 'after'): VersionCause => ({
    kind: CauseKind.RESTORE,
    restoreId,
    phase,
    at: plan.at,
  });
  const limit = pLimit(RESOURCES_IN_FLIGHT);
  const done = new Map<string, Promise<ResourceOutcome>>();
  for (const resourcePlan of plan.resources) {
    const waits = resourcePlan.after.map((key) => done.get(key)).filter((wait) => wait !== undefined);
    done.set(
      resourceKey(resourcePlan.resource),
      Promise.all(waits).then(() =>
        limit(() =>
          restoreResource(engine, context, resourcePlan, cause).catch(
            (error: unknown): ResourceOutcome => ({
              resource: resourcePlan.resource,
              target: resourcePlan.target,
              action: resourcePlan.action,
              status: 'failed',
              steps: [],
              message: describeProblem(error),
            }),
          ),
        ),
      ),
    );
  }
  return { restoreId, at: plan.at, resources: await Promise.all(done.values()) };
}

async function restoreResource(
  engine: CaptureEngine,
  context: RestoreContext,
  plan: ResourcePlan,
  cause: (phase: 'before' | 'after') => VersionCause,
): Promise<ResourceOutcome> {
  const { resource, target, action } = plan;
  const outcome = (status: ResourceStatus, rest: Partial<ResourceOutcome> = {}): ResourceOutcome => ({
    resource,
    target,
    action,
    status,
    steps: [],
    ...rest,
  });
  if (plan.steps.length === 0) return outcome('skipped');
  if (!plan.sends) return outcome('by-hand', { message: plan.reason ?? 'make the planned calls yourself' });
  const before = await engine.capture(target, cause('before'));
  if (before.status === 'gap' || before.status === 'failed')
    return outcome('failed', {
      message: `its live state could not be captured before the restore: ${
        before.status === 'gap' ? `${before.gap.operation} ${before.gap.code}` : before.error
      }`,
    });
  if (changedSincePlan(engine, plan))
    return outcome('conflict', {
      message: 'it changed after the plan was made: nothing was sent; plan again to see the change',
    });
  const definition = engine.definition(resource.type);
  const steps: StepOutcome[] = [];
  for (const step of plan.steps) steps.push(await sendStep(context, definition.restore, step));
  const applied = steps.filter((step) => step.status === 'applied').length;
  const after = await engine.capture(target, cause('after'));
  if (applied < steps.length) return outcome(applied === 0 ? 'failed' : 'partial', { steps });
  if (after.status === 'gap' || after.status === 'failed')
    return outcome('unverified', {
      steps,
      message: `its state after the restore could not be captured: ${
        after.status === 'gap' ? `${after.gap.operation} ${after.gap.code}` : after.error
      }`,
    });
  const differs = await remainingDifferences(engine, plan);
  return outcome(differs.length === 0 ? 'restored' : 'restored-with-differences', {
    steps,
    ...(differs.length > 0 ? { differs } : {}),
  });
}

async function sendStep(
  context: RestoreContext,
  restore: Pick<RestoreSpec, 'apply'> | undefined,
  step: RestoreStep,
): Promise<StepOutcome> {
  try {
    if (!restore?.apply) throw new Error('this type has no apply');
    await restore.apply(context, step);
    return { operation: step.operation, status: 'applied' };
  } catch (error) {
    return {
      operation: step.operation,
      status: classifyAwsError(error) === 'denied' ? 'denied' : 'failed',
      error: `${errorCode(error)}: ${errorMessage(error)}`,
    };
  }
}

/** The latest version of a resource, unless it is deleted or was never captured. */
function current(
  engine: CaptureEngine,
  resource: ResourceRef,
): { document: string; blobs: Readonly<Record<string, string>> } | undefined {
  const latest = engine.store.latest(resource)?.record;
  return latest && !latest.deleted && latest.document
    ? { document: latest.document, blobs: latest.blobs }
    : undefined;
}

/**
 * Whether the state captured just before applying differs from the one the plan was made against: another document,
 * or other content where the plan's read named it.
 */
function changedSincePlan(engine: CaptureEngine, plan: ResourcePlan): boolean {
  const now = current(engine, plan.target);
  if ((now?.document ?? null) !== plan.liveDocument) return true;
  return Object.entries(plan.liveBlobs).some(([name, hash]) => now?.blobs[name] !== hash);
}

/**
 * The fields (and content, as `$blobs.<name>`) in which the state captured after the restore still differs from the
 * one restored to; none when restored exactly. A removal leaves nothing to compare.
 */
async function remainingDifferences(engine: CaptureEngine, plan: ResourcePlan): Promise<string[]> {
  const after = current(engine, plan.target);
  if (!after || plan.capturedDocument === null) return after ? ['(exists)'] : [];
  const content = Object.keys({ ...plan.capturedBlobs, ...after.blobs })
    .filter((name) => plan.capturedBlobs[name] !== after.blobs[name])
    .map((name) => `$blobs.${name}`);
  if (after.document === plan.capturedDocument) return content;
  const [restored, captured] = await Promise.all([
    engine.store.readDocument(after.document),
    engine.store.readDocument(plan.capturedDocument),
  ]);
  return [...fieldChanges(captured, restored).map((change) => change.path), ...content];
}

/** The context steps are sent in: the restore's clients, the engine's rate limits, the store's checked blobs. */
function restoreContext(engine: CaptureEngine, options: ApplyOptions): RestoreContext {
  const { homeRegion } = engine.context;
  const context: RestoreContext = {
    client: (service, region) =>
      options.clients.client(service.client, endpointRegion(service, region, homeRegion)),
    limited: (service, call) => engine.context.limit(service)(call),
    blob: (hash) => engine.store.readBlob(hash),
    resolve: (value) => resolveValue(value, context, options.sealer),
  };
  return context;
}

/** `value` with blob references replaced by their bytes and sealed secrets unsealed. */
async function resolveValue(value: Json, context: RestoreContext, sealer: SecretSealer): Promise<unknown> {
  if (isSealed(value)) return sealer.unseal(value);
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveValue(item, context, sealer)));
  if (value === null || typeof value !== 'object') return value;
  const hash = value.$blob;
  if (typeof hash === 'string' && Object.keys(value).length === 1) return buffer(await context.blob(hash));
  const entries = await Promise.all(
    Object.entries(value).map(
      async ([key, child]) => [key, await resolveValue(child, context, sealer)] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** The user agent a restore's calls carry after `tidemark/1`, which event causes read back as `restore`. */
export function restoreUserAgent(restoreId: string): [string, string] {
  return [RESTORE_USER_AGENT, restoreId];
}
