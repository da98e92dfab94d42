import { randomBytes, randomUUID } from 'node:crypto';
import { type AwsCommand, mockClient } from 'aws-sdk-client-mock';
import {
  fault,
  type ResponseMetadata,
  retryBase,
  SimulatedFault,
  type SimulatedService,
  toSdkError,
} from './errors.js';
import type { FaultInjector, InjectedFault } from './faults.js';

/** What a handler knows about the call it answers. */
export interface CallContext {
  /** Region of the client that sent the command. */
  readonly region: string;
  /** HTTP status of a successful reply: 200 unless the handler sets another (206 for a ranged GET). */
  status: number;
}

/** The resource a call touches: ids for fault matching, ARN for error messages (absent for account-wide calls). */
export interface CallTarget {
  readonly ids: readonly string[];
  readonly arn?: string;
}

/** An SDK command class. */
export type CommandClass = abstract new (...args: never[]) => { readonly input: object };
/** The input type of an SDK command class. */
export type InputOf<C extends CommandClass> = InstanceType<C>['input'];
/** The output type of an SDK command class, without `$metadata`. */
export type OutputOf<C extends CommandClass> =
  InstanceType<C> extends AwsCommand<infer _Input, infer Output> ? Omit<Output, '$metadata'> : never;

/** How the simulation answers one SDK command. */
export interface OperationSpec<Input, Output> {
  /** IAM action the call needs (`s3:ListAllMyBuckets` for `ListBuckets`), matched by `deny()`. */
  readonly action: string | ((input: Input) => string);
  /** A HEAD request: its errors carry no code, only the status. */
  readonly head?: boolean;
  /** Never denied: AWS answers it whatever the policies say (`sts:GetCallerIdentity`). */
  readonly undeniable?: boolean;
  /** What the call touches. @default account-wide */
  target?(input: Input, call: CallContext): CallTarget;
  /** The response without `$metadata`, or a thrown {@link SimulatedFault}. */
  answer(input: Input, call: CallContext): Output | Promise<Output>;
}

/** One answered command, keyed by the SDK command class name. */
export interface Operation {
  readonly commandName: string;
  /** The API operation name (`GetObject`), as counted by `callCounts()`. */
  readonly name: string;
  // biome-ignore lint/suspicious/noExplicitAny: a registry holds operations of every input and output type
  readonly spec: OperationSpec<any, unknown>;
}

/**
 * Declares how one command is answered; input and output are typed from the SDK command class, so a response
 * with a misspelt or mistyped field does not compile.
 */
export function defineOperation<C extends CommandClass>(
  command: C,
  spec: OperationSpec<InputOf<C>, OutputOf<C>>,
): Operation {
  return { commandName: command.name, name: command.name.replace(/Command$/, ''), spec };
}

/** Everything the dispatcher needs to answer for one service. */
export interface ServiceProfile {
  readonly service: SimulatedService;
  /** The SDK client class whose `send` is replaced. */
  readonly client: Parameters<typeof mockClient>[0];
  readonly operations: readonly Operation[];
  /** The fault AWS answers when a call is denied or throttled. */
  injectedFault(kind: InjectedFault, action: string, target: CallTarget): SimulatedFault;
}

/** Counts answered commands by operation name, and collects the IAM actions they needed. */
export class CallCounter {
  #counts = new Map<string, number>();
  #total = 0;
  #actions = new Set<string>();

  /** Counts one command. */
  add(name: string): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + 1);
    this.#total++;
  }

  /** Records the IAM action a command needed (allowed or not). */
  addAction(action: string): void {
    this.#actions.add(action);
  }

  /** The IAM actions of the commands seen, each once. */
  actions(): ReadonlySet<string> {
    return new Set(this.#actions);
  }

  /** Counts by operation name, and their total. */
  snapshot(): Record<string, number> & { total: number } {
    return { ...Object.fromEntries(this.#counts), total: this.#total };
  }

  /** Starts counting from zero, and forgets the actions seen. */
  reset(): void {
    this.#counts = new Map();
    this.#total = 0;
    this.#actions = new Set();
  }
}

/** The SDK's default attempts per call, and its cap on one retry delay. */
const DEFAULT_MAX_ATTEMPTS = 3;
const MAX_RETRY_DELAY = 20_000;

/** sinon keeps every call's arguments and result; clear that history now and then so benchmarks do not grow memory. */
const HISTORY_LIMIT = 1000;

/**
 * Replaces `send` of SDK client classes with the simulation, and runs every command through one path:
 * count it, resolve the caller's region, inject a fault if one is set, answer, and turn handler faults into the
 * SDK's own exception classes. A command no handler answers fails loudly instead of resolving to `undefined`.
 *
 * The mock replaces `send` above the SDK's retry middleware, so the dispatcher plays that part: a throttled or
 * transient fault is attempted again, up to the client's `maxAttempts`, and every attempt is counted as a request.
 * Clients given their own endpoint are left alone (see {@link hasCustomEndpoint}).
 */
export class ServiceDispatcher {
  readonly #faults: FaultInjector;
  readonly #counter: CallCounter;
  readonly #defaultRegion: string;
  readonly #restores: Array<() => void> = [];

  constructor(faults: FaultInjector, counter: CallCounter, defaultRegion: string) {
    this.#faults = faults;
    this.#counter = counter;
    this.#defaultRegion = defaultRegion;
  }

  /** Starts answering every command of the profile's client class, in every instance. */
  install(profile: ServiceProfile): void {
    const operations = new Map(profile.operations.map((operation) => [operation.commandName, operation]));
    const stub = mockClient(profile.client);
    const dispatch = (client: unknown, command: { input?: object } | undefined) =>
      this.#dispatch(profile, operations, client, command);
    const realSend = (stub.send as unknown as { wrappedMethod: (command: unknown) => unknown }).wrappedMethod;
    function simulatedSend(this: unknown, command: AwsCommand<object, never>) {
      if (stub.send.callCount > HISTORY_LIMIT) queueMicrotask(() => stub.resetHistory());
      if (hasCustomEndpoint(this)) return realSend.call(this, command);
      return dispatch(this, command);
    }
    stub.send.callsFake(simulatedSend as never);
    this.#restores.push(() => stub.restore());
  }

  /** Gives every client class its real `send` back. */
  restore(): void {
    for (const restore of this.#restores.splice(0)) restore();
  }

  async #dispatch(
    profile: ServiceProfile,
    operations: ReadonlyMap<string, Operation>,
    client: unknown,
    command: { input?: object } | undefined,
  ): Promise<unknown> {
    const commandName = command?.constructor?.name ?? String(command);
    const operation = operations.get(commandName);
    if (!operation) {
      this.#counter.add(commandName.replace(/Command$/, ''));
      throw new Error(`the simulated AWS account does not implement ${profile.service} ${commandName}`);
    }
    const { spec } = operation;
    const input = command?.input ?? {};
    const region = await clientRegion(client, this.#defaultRegion);
    const maxAttempts = await clientMaxAttempts(client);
    let totalRetryDelay = 0;
    for (let attempt = 1; ; attempt++) {
      this.#counter.add(operation.name);
      const call: CallContext = { region, status: 200 };
      const ids = requestIds(profile.service);
      try {
        const output = await this.#answer(profile, operation, input, call);
        return { ...(output as object), $metadata: metadata(call.status, ids, attempt, totalRetryDelay) };
      } catch (error) {
        if (!(error instanceof SimulatedFault)) throw error;
        const base = retryBase(error);
        if (base !== undefined && attempt < maxAttempts) {
          // The SDK would wait before retrying; the simulation only reports the delay it would have waited.
          totalRetryDelay += Math.min(MAX_RETRY_DELAY, base * 2 ** (attempt - 1));
          continue;
        }
        throw toSdkError(error, {
          service: profile.service,
          metadata: metadata(error.status, ids, attempt, totalRetryDelay),
          head: spec.head === true,
          headers: error.headers,
        });
      }
    }
  }

  /** One attempt: inject a fault if one is set for this call, else answer it. */
  async #answer(
    profile: ServiceProfile,
    operation: Operation,
    input: object,
    call: CallContext,
  ): Promise<unknown> {
    const { spec } = operation;
    const target = spec.target?.(input, call) ?? { ids: [] };
    const action = typeof spec.action === 'function' ? spec.action(input) : spec.action;
    this.#counter.addAction(action);
    const injected = this.#faults.check({
      actions: [action, `${profile.service}:${operation.name}`],
      resourceIds: target.ids,
    });
    if (typeof injected === 'object') throw fault(injected.code, injected.status, injected.message);
    if (injected && !(injected === 'denied' && spec.undeniable)) {
      throw profile.injectedFault(injected, action, target);
    }
    return spec.answer(input, call);
  }
}

/**
 * Whether a client was given its own endpoint (a local S3- or SQS-protocol server such as the store's): such
 * clients reach that server for real, so a test can run the simulated account beside real local servers.
 */
function hasCustomEndpoint(client: unknown): boolean {
  return (
    (client as { config?: { isCustomEndpoint?: unknown } } | undefined)?.config?.isCustomEndpoint === true
  );
}

/** The attempts a client makes per call (its `maxAttempts`, `AWS_MAX_ATTEMPTS`, or the SDK default of 3). */
async function clientMaxAttempts(client: unknown): Promise<number> {
  const configured = (client as { config?: { maxAttempts?: unknown } } | undefined)?.config?.maxAttempts;
  try {
    const value = typeof configured === 'function' ? await configured() : configured;
    return typeof value === 'number' && value >= 1 ? value : DEFAULT_MAX_ATTEMPTS;
  } catch {
    return DEFAULT_MAX_ATTEMPTS;
  }
}

/** The region a client was configured with, or the default when it has none. */
async function clientRegion(client: unknown, fallback: string): Promise<string> {
  const region = (client as { config?: { region?: unknown } } | undefined)?.config?.region;
  try {
    const value = typeof region === 'function' ? await region() : region;
    return typeof value === 'string' && value ? value : fallback;
  } catch {
    // "Region is missing": the real SDK would fail before sending; the simulation answers for its home region.
    return fallback;
  }
}

interface RequestIds {
  readonly requestId: string;
  readonly extendedRequestId?: string;
}

/** S3 request ids are 16 upper-case hex characters plus a base64 extended id; other services use UUIDs. */
function requestIds(service: SimulatedService): RequestIds {
  if (service !== 's3') return { requestId: randomUUID() };
  return {
    requestId: randomBytes(8).toString('hex').toUpperCase(),
    extendedRequestId: randomBytes(57).toString('base64'),
  };
}

function metadata(
  httpStatusCode: number,
  ids: RequestIds,
  attempts: number,
  totalRetryDelay: number,
): ResponseMetadata {
  return { httpStatusCode, ...ids, attempts, totalRetryDelay };
}
