import { randomBytes, randomUUID } from 'node:crypto';
import {
  fault,
  type ResponseMetadata,
  type ServiceExceptions,
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
  /** The `user-agent` header the SDK sent, as CloudTrail records it in `userAgent`. */
  readonly userAgent: string;
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
  InstanceType<C> extends {
    resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: infer Output }>;
  }
    ? Omit<Output, '$metadata'>
    : never;

/** An SDK client class (`S3Client`): the dispatcher patches `send` of its prototype. */
export type ClientClass = abstract new (
  configuration: never,
) => { send(command: never, ...rest: never[]): unknown };

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
  /** The exception classes of the service's SDK client, for the errors it answers. */
  readonly exceptions: ServiceExceptions;
  /** The SDK client class whose instances the simulation answers. */
  readonly client: ClientClass;
  readonly operations: readonly Operation[];
  /** The fault AWS answers when a call is denied or throttled. */
  injectedFault(kind: InjectedFault, action: string, target: CallTarget): SimulatedFault;
}

/** Counts answered commands by operation name and by service, the faults answered, and the IAM actions needed. */
export class CallCounter {
  #counts = new Map<string, number>();
  #byService = new Map<string, number>();
  #faults = new Map<string, number>();
  #total = 0;
  #actions = new Map<string, number>();

  /** Counts one command (one attempt) of a service. */
  add(name: string, service: string): void {
    increment(this.#counts, name);
    increment(this.#byService, service);
    this.#total++;
  }

  /** Counts one fault answered, as `service:Code` (`route53:Throttling`). */
  addFault(service: string, code: string): void {
    increment(this.#faults, `${service}:${code}`);
  }

  /** Attempts by service (`iam`, `route53`…). */
  byService(): Record<string, number> {
    return Object.fromEntries(this.#byService);
  }

  /** Faults answered, by `service:Code`. */
  faults(): Record<string, number> {
    return Object.fromEntries(this.#faults);
  }

  /** Records the IAM action a command needed (allowed or not). */
  addAction(action: string): void {
    increment(this.#actions, action);
  }

  /** The IAM actions of the commands seen, each once. */
  actions(): ReadonlySet<string> {
    return new Set(this.#actions.keys());
  }

  /** Attempts by the IAM action they needed (`iam:GetRole`). */
  byAction(): Record<string, number> {
    return Object.fromEntries(this.#actions);
  }

  /** Counts by operation name, and their total. */
  snapshot(): Record<string, number> & { total: number } {
    return { ...Object.fromEntries(this.#counts), total: this.#total };
  }

  /** Starts counting from zero, and forgets the actions seen. */
  reset(): void {
    this.#counts = new Map();
    this.#byService = new Map();
    this.#faults = new Map();
    this.#total = 0;
    this.#actions = new Map();
  }
}

/**
 * Where the simulation sits in every client's middleware stack: first of the deserialize step (high priority), so
 * below `finalizeRequest` (the retry middleware, signing and any middleware a caller adds there see every attempt)
 * and in place of the deserializer and what the SDK places around it, which never run for a simulated call.
 * `override`: a client hooked by a second copy of this module (two bundles in one process) is not an error.
 */
const MIDDLEWARE_OPTIONS = {
  name: 'tidemarkSimulationMiddleware',
  step: 'deserialize',
  priority: 'high',
  tags: ['TIDEMARK_SIMULATION'],
  override: true,
} as const;

/** The keys simulated calls are signed with (the SDK signs every request before the simulation answers it). */
const SIMULATED_CREDENTIALS = { accessKeyId: 'SIMULATED', secretAccessKey: 'SIMULATED' } as const;

/** The reply of one attempt, in the shape the SDK's deserializer gives the middleware above it. */
interface AttemptResult {
  readonly output: object & { $metadata: ResponseMetadata };
  readonly response: {
    readonly statusCode: number;
    readonly headers: Record<string, string>;
    body: undefined;
  };
}

/** What a deserialize-step middleware is given: the command input (and the serialized, signed request). */
interface AttemptArguments {
  readonly input: object;
  readonly request?: { readonly headers?: Record<string, string> };
}

type SimulationMiddleware = (
  next: (args: AttemptArguments) => Promise<AttemptResult>,
  context: { readonly commandName?: string },
) => (args: AttemptArguments) => Promise<AttemptResult>;

type CredentialProvider = ((options?: object) => Promise<object>) & {
  attributed?: unknown;
  memoized?: unknown;
};

/** The parts of an SDK client instance the dispatcher reads and extends. */
interface SdkClient {
  readonly config: {
    readonly isCustomEndpoint?: unknown;
    readonly region?: unknown;
    credentials?: unknown;
    ignoreConfiguredEndpointUrls?: unknown;
  };
  readonly middlewareStack: {
    add(middleware: SimulationMiddleware, options: typeof MIDDLEWARE_OPTIONS): void;
  };
  handlers?: unknown;
}

/** Who answers a client's commands: the dispatcher that last saw it sent through a patched `send`. */
interface Route {
  /** False once the dispatcher is restored: the client's calls then go to AWS (or its endpoint) again. */
  readonly active: () => boolean;
  /** Answers one attempt of a command. */
  readonly attempt: (
    client: SdkClient,
    commandName: string,
    args: AttemptArguments,
  ) => Promise<AttemptResult>;
}

/** Client instances given the simulation's middleware and credentials: each gets them once, for its lifetime. */
const hooked = new WeakSet<SdkClient>();
/** The route of each hooked client. */
const routes = new WeakMap<SdkClient, Route>();

/**
 * Answers SDK clients from the simulated account, inside their own middleware stack. `install` patches `send` of
 * a client class; on its first call through it, each instance gets one middleware at the top of its deserialize
 * step, below `finalizeRequest` where the SDK's retry middleware and signing live. So each command is built,
 * serialized, given its endpoint and signed as for AWS; then every attempt reaches the simulation, which counts
 * it, resolves the caller's region, injects a fault if one is set and answers, in place of the HTTP request and
 * the deserializer: with the output and `$metadata` the deserializer would return, or the SDK's own exception
 * class with `$metadata` and `$response`. The client's retry strategy (Tidemark's adaptive one, with its rate
 * limiter and backoff) classifies that exception as it would AWS's, waits for real, and retries or gives up; it
 * writes `attempts` and `totalRetryDelay` into `$metadata` itself. A command no handler answers fails loudly.
 *
 * Clients given their own endpoint (`endpoint` in their configuration) are left alone, so a test can run the
 * simulated account beside real local servers. An endpoint configured outside the code (`AWS_ENDPOINT_URL`, a
 * profile's `endpoint_url`) does not count: while the simulation answers a client, the SDK resolves AWS's own
 * endpoint. A client given no credentials signs with simulated keys meanwhile, so a named profile (`AWS_PROFILE`,
 * `profile`), which makes the SDK skip keys in the environment, is never resolved; credentials a caller passed are
 * kept. `restore` gives the client classes their `send` back, and the clients already hooked go back to sending
 * for real, to their configured endpoint with their own credentials.
 *
 * @example
 * const dispatcher = new ServiceDispatcher(new FaultInjector(), new CallCounter(), 'us-east-1');
 * dispatcher.install(s3Profile(model));
 * await new S3Client({ region: 'us-east-1' }).send(new ListBucketsCommand({})); // answered by the simulation
 * dispatcher.restore();
 */
export class ServiceDispatcher {
  readonly #faults: FaultInjector;
  readonly #counter: CallCounter;
  readonly #defaultRegion: string;
  readonly #restores: Array<() => void> = [];
  #active = true;

  constructor(faults: FaultInjector, counter: CallCounter, defaultRegion: string) {
    this.#faults = faults;
    this.#counter = counter;
    this.#defaultRegion = defaultRegion;
  }

  /** Starts answering every command of the profile's client class, in every instance. */
  install(profile: ServiceProfile): void {
    const operations = new Map(profile.operations.map((operation) => [operation.commandName, operation]));
    const route: Route = {
      active: () => this.#active,
      attempt: (client, commandName, args) => this.#attempt(profile, operations, client, commandName, args),
    };
    const prototype = profile.client.prototype as unknown as { send: (...args: unknown[]) => unknown };
    const descriptor = Object.getOwnPropertyDescriptor(prototype, 'send');
    const realSend = prototype.send;
    prototype.send = function simulatedSend(this: SdkClient, ...args: unknown[]) {
      if (routes.get(this) !== route && !hasCustomEndpoint(this)) {
        hook(this);
        routes.set(this, route);
      }
      return realSend.apply(this, args);
    };
    this.#restores.push(() => {
      if (descriptor) Object.defineProperty(prototype, 'send', descriptor);
      else Reflect.deleteProperty(prototype, 'send');
    });
  }

  /** Gives every client class its real `send` back, and stops answering the clients already hooked, for good. */
  restore(): void {
    this.#active = false;
    for (const restore of this.#restores.splice(0)) restore();
  }

  /** One attempt of a command: count it, find the caller's region, inject a fault or answer. */
  async #attempt(
    profile: ServiceProfile,
    operations: ReadonlyMap<string, Operation>,
    client: SdkClient,
    commandName: string,
    { input, request }: AttemptArguments,
  ): Promise<AttemptResult> {
    const operation = operations.get(commandName);
    if (!operation) {
      this.#counter.add(commandName.replace(/Command$/, ''), profile.service);
      throw new Error(`the simulated AWS account does not implement ${profile.service} ${commandName}`);
    }
    this.#counter.add(operation.name, profile.service);
    const call: CallContext = {
      region: await clientRegion(client, this.#defaultRegion),
      status: 200,
      userAgent: request?.headers?.['user-agent'] ?? '',
    };
    const ids = requestIds(profile.service);
    try {
      const output = await this.#answer(profile, operation, input, call);
      return {
        output: { ...(output as object), $metadata: { httpStatusCode: call.status, ...ids } },
        response: { statusCode: call.status, headers: {}, body: undefined },
      };
    } catch (error) {
      if (!(error instanceof SimulatedFault)) throw error;
      this.#counter.addFault(profile.service, error.code);
      throw toSdkError(error, {
        service: profile.service,
        exceptions: profile.exceptions,
        metadata: { httpStatusCode: error.status, ...ids },
        head: operation.spec.head === true,
        headers: error.headers,
      });
    }
  }

  /** Injects a fault if one is set for this call, else answers it. */
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

/** The route of a client while its dispatcher answers; `undefined` when its calls go out for real. */
function activeRoute(client: SdkClient): Route | undefined {
  const route = routes.get(client);
  return route?.active() ? route : undefined;
}

/**
 * Gives a client, once, the simulation's middleware and (unless the caller chose credentials) simulated ones.
 * Both consult the client's route on every call, so they step aside when no simulation answers it.
 */
function hook(client: SdkClient): void {
  if (hooked.has(client)) return;
  hooked.add(client);
  const simulationMiddleware: SimulationMiddleware = (next, context) =>
    async function tidemarkSimulation(args) {
      const route = activeRoute(client);
      if (!route) return next(args);
      return route.attempt(client, context.commandName ?? 'UnknownCommand', args);
    };
  client.middlewareStack.add(simulationMiddleware, MIDDLEWARE_OPTIONS);
  // A client built with `cacheMiddleware` keeps the handlers it resolved before; the SDK drops them the same way.
  delete client.handlers;
  useAwsEndpoints(client);
  useSimulatedCredentials(client);
}

/**
 * Makes a client resolve AWS's own endpoint while the simulation answers it, as if no endpoint were configured
 * outside its code (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_S3`, `endpoint_url` of a profile): the simulation answers
 * as AWS whatever the environment says, and such an endpoint must not break the request the SDK builds (a bucket
 * named like a domain becomes the invalid host `sailjada.com.127.0.0.1` when S3 is not told to use path style).
 */
function useAwsEndpoints(client: SdkClient): void {
  let own = client.config.ignoreConfiguredEndpointUrls;
  Object.defineProperty(client.config, 'ignoreConfiguredEndpointUrls', {
    get: () => (activeRoute(client) ? true : own),
    set: (value: unknown) => {
      own = value;
    },
    enumerable: true,
    configurable: true,
  });
}

/**
 * Makes a client that was given no credentials sign with {@link SIMULATED_CREDENTIALS} while the simulation answers
 * it, and resolve its own default chain again afterwards: the chain skips keys in the environment when a profile is
 * named, and a profile may not exist (the tests name one that does not) or may be a user's real one. The SDK marks
 * credentials a caller passed (`attributed`); those are kept, as the caller chose them. The provider is flagged
 * `memoized` so that the SDK does not cache the simulated keys past the simulation.
 */
function useSimulatedCredentials(client: SdkClient): void {
  const own = client.config.credentials as CredentialProvider | undefined;
  if (typeof own !== 'function' || own.attributed === true) return;
  const simulatedOrOwn = async (options?: object) =>
    activeRoute(client) ? { ...SIMULATED_CREDENTIALS } : own(options);
  client.config.credentials = Object.assign(simulatedOrOwn, { memoized: true });
}

/**
 * Whether a client was given its own endpoint (a local S3- or SQS-protocol server such as the store's): such
 * clients reach that server for real, so a test can run the simulated account beside real local servers. An
 * endpoint from `AWS_ENDPOINT_URL` does not count: the SDK marks only an `endpoint` passed in the configuration.
 */
function hasCustomEndpoint(client: SdkClient): boolean {
  return client.config?.isCustomEndpoint === true;
}

/** The region the client sends to (the bucket's, during the SDK's S3 region redirect), or the default. */
async function clientRegion(client: SdkClient, fallback: string): Promise<string> {
  const region = client.config?.region;
  try {
    const value = typeof region === 'function' ? await region() : region;
    return typeof value === 'string' && value ? value : fallback;
  } catch {
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

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
