import { homedir } from 'node:os';
import path from 'node:path';
import type {
  AwsClients,
  CaptureEngine,
  CaptureOutcome,
  ObjectSelection,
  SecretSealer,
  VersionStore,
  WarningSink,
} from '@tidemark/core';
import { InputError } from '@tidemark/core/errors';

/** Options every command accepts. */
export interface GlobalOptions {
  readonly store?: string;
  readonly keyFile?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly regions?: string;
  readonly endpointUrl?: string;
  readonly storeEndpointUrl?: string;
}

/**
 * Where the store is when neither `--store` nor `TIDEMARK_STORE` says: `$XDG_DATA_HOME/tidemark/store`,
 * else `~/.local/share/tidemark/store`.
 */
export function defaultStoreLocation(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TIDEMARK_STORE) return env.TIDEMARK_STORE;
  const dataHome = env.XDG_DATA_HOME || path.join(homedir(), '.local', 'share');
  return path.join(dataHome, 'tidemark', 'store');
}

/**
 * What one command invocation opens, each piece once and only when needed; the modules behind each piece (the
 * store and its index, the secret key, AWS clients, the capture engine and registry) are loaded only then too.
 */
export class Session {
  readonly options: GlobalOptions;
  readonly #onWarning: WarningSink | undefined;
  #store?: Promise<VersionStore>;
  #sealer?: Promise<SecretSealer>;
  #clients?: Promise<AwsClients>;
  /** Whether a capture engine was made: the command may have written to the store. */
  #captured = false;

  /** `onWarning` receives what the store recovers from (a damaged index snapshot, rebuilt instead). */
  constructor(options: GlobalOptions, onWarning?: WarningSink) {
    this.options = options;
    this.#onWarning = onWarning;
  }

  get storeLocation(): string {
    return this.options.store ?? defaultStoreLocation();
  }

  /**
   * The store, its index brought up to date, opened once. An S3 store is reached at `--store-endpoint-url`,
   * else `TIDEMARK_STORE_ENDPOINT_URL`, else `--endpoint-url`, with `--profile`'s credentials. A local store
   * that does not exist is an InputError, unless `create` (what a capture passes): a query never leaves a store.
   */
  store(options: { readonly create?: boolean } = {}): Promise<VersionStore> {
    const { storeEndpointUrl, endpointUrl, profile } = this.options;
    const endpoint = storeEndpointUrl ?? process.env.TIDEMARK_STORE_ENDPOINT_URL ?? endpointUrl;
    this.#store ??= import('@tidemark/core/store').then(({ VersionStore }) =>
      VersionStore.open(this.storeLocation, {
        create: options.create ?? false,
        ...(endpoint ? { endpointUrl: endpoint } : {}),
        ...(profile ? { profile } : {}),
        ...(this.#onWarning ? { onWarning: this.#onWarning } : {}),
      }),
    );
    return this.#store;
  }

  /** The sealer of secret values, with the key of `--key-file` (created on first use). */
  sealer(): Promise<SecretSealer> {
    this.#sealer ??= import('@tidemark/core/secrets').then(
      async ({ defaultKeyFile, LocalKeySealer, loadOrCreateKey }) =>
        new LocalKeySealer(await loadOrCreateKey(this.options.keyFile ?? defaultKeyFile())),
    );
    return this.#sealer;
  }

  /** The AWS clients of `--profile` and `--endpoint-url`; the SDK is loaded on the first call. */
  clients(): Promise<AwsClients> {
    const { profile, endpointUrl } = this.options;
    this.#clients ??= import('@tidemark/core/aws').then(
      ({ AwsClients }) =>
        new AwsClients({ ...(profile ? { profile } : {}), ...(endpointUrl ? { endpointUrl } : {}) }),
    );
    return this.#clients;
  }

  /** Regions to capture: `--regions a,b`, else `--region`, else `AWS_REGION`, else `us-east-1`. */
  regions(): string[] {
    const list =
      this.options.regions ?? this.options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    const regions = (list ?? 'us-east-1')
      .split(',')
      .map((region) => region.trim())
      .filter(Boolean);
    const invalid = regions.filter((region) => !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region));
    if (invalid.length > 0)
      throw new InputError(`invalid region ${invalid.join(', ')}: expected names like eu-west-1`);
    return regions;
  }

  /** The capture engine over this session's store, key and AWS access, with the whole resource registry. */
  async engine(
    options: { objects?: ObjectSelection; onCapture?: (outcome: CaptureOutcome) => void } = {},
  ): Promise<CaptureEngine> {
    this.#captured = true;
    const [{ CaptureEngine }, { registry }] = await Promise.all([
      import('@tidemark/core/capture'),
      import('@tidemark/core/resources'),
    ]);
    return CaptureEngine.create({
      store: await this.store({ create: true }),
      clients: await this.clients(),
      sealer: await this.sealer(),
      registry,
      homeRegion: this.regions()[0] ?? 'us-east-1',
      ...(options.objects ? { objects: options.objects } : {}),
      ...(options.onCapture ? { onCapture: options.onCapture } : {}),
    });
  }

  /**
   * Closes the store. After a capture into an S3 store, first publishes an index snapshot when one is due,
   * so the next cold cache downloads it instead of reading every record; a failure to publish is a warning.
   */
  async close(): Promise<void> {
    if (!this.#store) return;
    const store = await this.#store;
    try {
      if (this.#captured && store.ownBucket !== undefined)
        await store.publishSnapshotIfDue().catch((error: unknown) => {
          this.#onWarning?.(
            `index snapshot not published: ${error instanceof Error ? error.message : error}`,
          );
        });
    } finally {
      store.close();
    }
  }
}
