import {
  AwsClients,
  CaptureEngine,
  LocalKeySealer,
  loadKeyFromSecret,
  queueRegion,
  VersionStore,
} from '@tidemark/core';
import { type PipelineEnvironment, readEnvironment } from './environment.js';
import { ConfigurationError } from './errors.js';
import { logger } from './observability.js';

/**
 * What the functions of one container share: the settings, AWS clients, the store with its local index and
 * the capture engine, each built on first use and kept for every invocation after (Lambda reuses containers).
 */
export class PipelineRuntime {
  readonly environment: PipelineEnvironment;
  readonly clients: AwsClients;
  #store?: Promise<VersionStore>;
  #engine?: Promise<CaptureEngine>;

  constructor(environment: PipelineEnvironment) {
    this.environment = environment;
    this.clients = new AwsClients(environment.maxAttempts ? { maxAttempts: environment.maxAttempts } : {});
  }

  /**
   * The store, opened once (from the latest published index snapshot on a cold start); a failed open is tried
   * again by the next invocation.
   */
  store(): Promise<VersionStore> {
    this.#store ??= retryable(
      VersionStore.open(this.environment.store, {
        cacheDirectory: this.environment.cacheDirectory,
        onWarning: (message) => logger.warn(message),
      }),
      () => {
        this.#store = undefined;
      },
    );
    return this.#store;
  }

  /** The capture engine, with the sealing key read from Secrets Manager once. */
  engine(): Promise<CaptureEngine> {
    this.#engine ??= retryable(this.#createEngine(), () => {
      this.#engine = undefined;
    });
    return this.#engine;
  }

  /** The SQS client of the queue's region. */
  sqs(): ReturnType<AwsClients['sqs']> {
    return this.clients.sqs(queueRegion(this.environment.queueUrl) ?? this.environment.homeRegion);
  }

  async #createEngine(): Promise<CaptureEngine> {
    const { sealingKeySecret, homeRegion, objects, registry } = this.environment;
    if (!sealingKeySecret)
      throw new ConfigurationError(['TIDEMARK_SEALING_KEY_SECRET is required to capture']);
    const key = await loadKeyFromSecret(this.clients.secretsManager(homeRegion), sealingKeySecret);
    return CaptureEngine.create({
      store: await this.store(),
      clients: this.clients,
      sealer: new LocalKeySealer(key),
      registry,
      homeRegion,
      objects,
    });
  }
}

/** A promise that runs `forget` when it rejects, so a transient failure is not cached for the container's life. */
function retryable<T>(promise: Promise<T>, forget: () => void): Promise<T> {
  return promise.catch((error: unknown) => {
    forget();
    throw error;
  });
}

let current: PipelineRuntime | undefined;

/** The runtime of this container, built from `process.env` on the first invocation (the cold start). */
export function containerRuntime(): PipelineRuntime {
  current ??= new PipelineRuntime(readEnvironment());
  return current;
}
