import {
  AlertEvaluator,
  AwsClients,
  CaptureEngine,
  loadKeyFromSecret,
  queueRegion,
  type RulesContext,
  STDOUT_DESTINATION,
  StoredRules,
  StoreKey,
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
  #key?: Promise<StoreKey | undefined>;
  #engine?: Promise<CaptureEngine>;
  #alerts?: ContainerAlerts;

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
      this.key().then((key) =>
        VersionStore.open(this.environment.store, {
          cacheDirectory: this.environment.cacheDirectory,
          onWarning: (message) => logger.warn(message),
          ...(key ? { key } : {}),
        }),
      ),
      () => {
        this.#store = undefined;
      },
    );
    return this.#store;
  }

  /**
   * The store's key, read from Secrets Manager once: it seals secret values and signs every record written.
   * Undefined when no secret is configured (a function that only plans baselines writes no record).
   */
  key(): Promise<StoreKey | undefined> {
    const { sealingKeySecret, homeRegion } = this.environment;
    this.#key ??= retryable(
      sealingKeySecret
        ? loadKeyFromSecret(this.clients.secretsManager(homeRegion), sealingKeySecret).then(
            (bytes) => new StoreKey(bytes),
          )
        : Promise.resolve(undefined),
      () => {
        this.#key = undefined;
      },
    );
    return this.#key;
  }

  /** The capture engine, with the sealing key read from Secrets Manager once. */
  engine(): Promise<CaptureEngine> {
    this.#engine ??= retryable(this.#createEngine(), () => {
      this.#engine = undefined;
    });
    return this.#engine;
  }

  /**
   * The alert evaluator every capture of the container reports to, with the rules of the store's
   * `config/alerts.yaml` read again when they changed (the shipped ones without it). Alerts go to the log and, when
   * the Alerts stack is deployed, its topic (`alerts-topic`), unless the rules say otherwise.
   */
  async alerts(): Promise<AlertEvaluator> {
    await this.engine();
    const { evaluator, rules } = this.#alerts as ContainerAlerts;
    try {
      evaluator.useRules(await rules.current());
    } catch (error) {
      logger.warn('alert rules not read: the rules before stay in force', { error });
    }
    return evaluator;
  }

  /** The SQS client of the queue's region. */
  sqs(): ReturnType<AwsClients['sqs']> {
    return this.clients.sqs(queueRegion(this.environment.queueUrl) ?? this.environment.homeRegion);
  }

  async #createEngine(): Promise<CaptureEngine> {
    const { homeRegion, objects, registry } = this.environment;
    const key = await this.key();
    if (!key) throw new ConfigurationError(['TIDEMARK_SEALING_KEY_SECRET is required to capture']);
    const store = await this.store();
    const rules = new StoredRules(store, alertDestinations(this.environment), (error) =>
      logger.error('alert rules invalid: the rules before stay in force', { error: error.message }),
    );
    const evaluator = new AlertEvaluator({
      store,
      rules: await rules.current(),
      destinations: {
        clients: this.clients,
        write: (line) => logger.info(line),
        region: homeRegion,
      },
    });
    this.#alerts = { evaluator, rules };
    return CaptureEngine.create({
      store,
      clients: this.clients,
      sealer: key.sealer,
      registry,
      observer: evaluator,
      homeRegion,
      objects,
      tableItems: { maxBytes: LAMBDA_TABLE_ITEM_LIMIT },
    });
  }
}

/**
 * Tables scanned by the deployed functions hold at most this much: a scan spills to `/tmp` (512 MB by default in
 * Lambda) and must end within the consumer's timeout. A larger table's items are a gap saying why, for
 * `tidemark baseline --table-export-to` to capture.
 */
const LAMBDA_TABLE_ITEM_LIMIT = 256 * 1024 * 1024;

/** The alert evaluator of a container and the stored rules it reads. */
interface ContainerAlerts {
  readonly evaluator: AlertEvaluator;
  readonly rules: StoredRules;
}

/** The destinations the deployment gives every rules file: its alerts topic, delivered to by default. */
function alertDestinations(environment: PipelineEnvironment): RulesContext {
  const topicArn = environment.alertsTopicArn;
  if (!topicArn) return {};
  return {
    builtInDestinations: { [ALERTS_TOPIC]: { type: 'sns', topicArn } },
    defaultDestinations: [STDOUT_DESTINATION, ALERTS_TOPIC],
  };
}

/** The name rules files give the Alerts stack's topic. */
export const ALERTS_TOPIC = 'alerts-topic';

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
