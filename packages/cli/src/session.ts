import { homedir } from 'node:os';
import path from 'node:path';
import {
  AwsClients,
  CaptureEngine,
  type CaptureOutcome,
  defaultKeyFile,
  InputError,
  LocalKeySealer,
  loadOrCreateKey,
  type ObjectSelection,
  registry,
  type SecretSealer,
  VersionStore,
} from '@tidemark/core';

/** Options every command accepts. */
export interface GlobalOptions {
  readonly store?: string;
  readonly keyFile?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly regions?: string;
  readonly endpointUrl?: string;
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

/** What one command invocation opens, each piece once and only when needed. */
export class Session {
  readonly options: GlobalOptions;
  #store?: Promise<VersionStore>;
  #sealer?: Promise<SecretSealer>;
  #clients?: AwsClients;

  constructor(options: GlobalOptions) {
    this.options = options;
  }

  get storeLocation(): string {
    return this.options.store ?? defaultStoreLocation();
  }

  store(): Promise<VersionStore> {
    this.#store ??= VersionStore.open(this.storeLocation);
    return this.#store;
  }

  sealer(): Promise<SecretSealer> {
    this.#sealer ??= loadOrCreateKey(this.options.keyFile ?? defaultKeyFile()).then(
      (key) => new LocalKeySealer(key),
    );
    return this.#sealer;
  }

  clients(): AwsClients {
    this.#clients ??= new AwsClients({
      ...(this.options.profile ? { profile: this.options.profile } : {}),
      ...(this.options.endpointUrl ? { endpointUrl: this.options.endpointUrl } : {}),
    });
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

  /** The capture engine over this session's store, key and AWS access. */
  async engine(
    options: { objects?: ObjectSelection; onCapture?: (outcome: CaptureOutcome) => void } = {},
  ): Promise<CaptureEngine> {
    return CaptureEngine.create({
      store: await this.store(),
      clients: this.clients(),
      sealer: await this.sealer(),
      registry,
      homeRegion: this.regions()[0] ?? 'us-east-1',
      ...(options.objects ? { objects: options.objects } : {}),
      ...(options.onCapture ? { onCapture: options.onCapture } : {}),
    });
  }

  async close(): Promise<void> {
    if (this.#store) (await this.#store).close();
  }
}
