import { homedir } from 'node:os';
import path from 'node:path';
import type {
  AwsClients,
  CaptureEngine,
  CaptureOutcome,
  ObjectSelection,
  StoreDamage,
  TableItemSettings,
  VersionStore,
  WarningSink,
} from '@tidemark/core';
import type { AlertEvaluator, AlertsReport, RuleSet } from '@tidemark/core/alerts';
import { IndexCorruptError, InputError } from '@tidemark/core/errors';
import type { StoreKey } from '@tidemark/core/secrets';

/** Options every command accepts. */
export interface GlobalOptions {
  readonly store?: string;
  readonly keyFile?: string;
  readonly newKey?: boolean;
  readonly profile?: string;
  readonly region?: string;
  readonly regions?: string;
  readonly endpointUrl?: string;
  readonly storeEndpointUrl?: string;
  /** `--rules`: the alert rules file. */
  readonly rules?: string;
  /** `--no-alerts` makes it false: captures evaluate no alert rule. */
  readonly alerts?: boolean;
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
  #key?: Promise<StoreKey | undefined>;
  #clients?: Promise<AwsClients>;
  /** Whether a capture engine was made: the command may have written to the store. */
  #captured = false;
  readonly #alertLines: ((line: string) => void) | undefined;
  #alerts?: AlertEvaluator;

  /**
   * `onWarning` receives what the store recovers from (a damaged index snapshot, rebuilt instead); `alertLines`,
   * the lines of the alerts a capture fires (the rules' `stdout` destination).
   */
  constructor(options: GlobalOptions, onWarning?: WarningSink, alertLines?: (line: string) => void) {
    this.options = options;
    this.#onWarning = onWarning;
    this.#alertLines = alertLines;
  }

  get storeLocation(): string {
    return this.options.store ?? defaultStoreLocation();
  }

  /**
   * The store, its index brought up to date, opened once. An S3 store is reached at `--store-endpoint-url`,
   * else `TIDEMARK_STORE_ENDPOINT_URL`, else `--endpoint-url`, with `--profile`'s credentials. A local store
   * that does not exist is an InputError, unless `create` (what a capture passes): a query never leaves a store.
   */
  store(options: { readonly create?: boolean; readonly withoutIndex?: boolean } = {}): Promise<VersionStore> {
    const { storeEndpointUrl, endpointUrl, profile } = this.options;
    const endpoint = storeEndpointUrl ?? process.env.TIDEMARK_STORE_ENDPOINT_URL ?? endpointUrl;
    this.#store ??= Promise.all([import('@tidemark/core/store'), this.existingKey()]).then(
      ([{ VersionStore }, key]) =>
        VersionStore.open(this.storeLocation, {
          create: options.create ?? false,
          withoutIndex: options.withoutIndex ?? false,
          ...(key ? { key } : {}),
          ...(endpoint ? { endpointUrl: endpoint } : {}),
          ...(profile ? { profile } : {}),
          ...(this.#onWarning ? { onWarning: this.#onWarning } : {}),
        }),
    );
    return this.#store;
  }

  /** The key file in use: `--key-file`, else `$TIDEMARK_KEY_FILE`, else `~/.config/tidemark/secret.key`. */
  async keyFile(): Promise<string> {
    if (this.options.keyFile) return this.options.keyFile;
    const { defaultKeyFile } = await import('@tidemark/core/secrets');
    return defaultKeyFile();
  }

  /**
   * Where this machine remembers the newest log head it saw of the store `storeId`: beside the key file, out of
   * reach of whoever can write only to the store.
   */
  async witnessFile(storeId: string): Promise<string> {
    const { witnessFile } = await import('@tidemark/core/store');
    return witnessFile(path.join(path.dirname(await this.keyFile()), 'witness'), storeId);
  }

  /**
   * The key in the key file, or undefined when there is none (`--new-key` must create it, not find it). A key
   * file others can read draws a warning.
   */
  existingKey(): Promise<StoreKey | undefined> {
    this.#key ??= (async () => {
      const { keyFileExposure, readKeyFile, StoreKey } = await import('@tidemark/core/secrets');
      const file = await this.keyFile();
      const bytes = await readKeyFile(file);
      if (!bytes) return undefined;
      if (this.options.newKey)
        throw new InputError(`the key file ${file} exists: --new-key never replaces a key`);
      const exposure = await keyFileExposure(file);
      if (exposure) this.#onWarning?.(exposure);
      return new StoreKey(bytes);
    })();
    return this.#key;
  }

  /**
   * The key to capture into `store` with: the key file's; else a new key, created for a new store, or for a store
   * written before keys were recorded when `--new-key` says so; else an InputError, never a silent new key.
   */
  async captureKey(store: VersionStore): Promise<StoreKey> {
    const existing = await this.existingKey();
    if (existing) return existing;
    const file = await this.keyFile();
    if (store.identity)
      throw new InputError(
        `the store at ${this.storeLocation} is sealed by key ${store.identity.keyId}, and there is no key file ${file}: pass --key-file with its key`,
      );
    if (!store.index.isEmpty() && !this.options.newKey)
      throw new InputError(
        `there is no key file ${file} and the store at ${this.storeLocation} already holds versions: pass --key-file with the key that sealed them, or --new-key to start a new one (values sealed before cannot be compared)`,
      );
    const { createKeyFile, StoreKey } = await import('@tidemark/core/secrets');
    const key = new StoreKey(await createKeyFile(file));
    store.useKey(key);
    this.#key = Promise.resolve(key);
    return key;
  }

  /**
   * Runs a command's action; when it meets a damaged index (SQLite reads a damaged page only when a query needs
   * it), rebuilds the index from the store and runs the action once more, unless it captured: then the error
   * stands, and the next command finds the index rebuilt.
   */
  async recoveringIndex(action: () => Promise<number>): Promise<number> {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof IndexCorruptError) || !this.#store) throw error;
      const store = await this.#store;
      this.#onWarning?.(`${error.message}: rebuilding it from the store`);
      store.index.discard();
      await store.refresh();
      if (this.#captured) throw error;
      return action();
    }
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

  /**
   * AWS clients for writes (a restore's): those of {@link clients}, or of another named profile, their user agent also
   * carrying `userAgent`, so CloudTrail records which calls were the restore's.
   */
  writeClients(
    userAgent: readonly [string, string],
    profile: string | undefined = this.options.profile,
  ): Promise<AwsClients> {
    return this.#clientsOf(profile, userAgent);
  }

  /** New AWS clients of a named profile (the default chain when undefined) and `--endpoint-url`. */
  async #clientsOf(profile: string | undefined, userAgent?: readonly [string, string]): Promise<AwsClients> {
    const { endpointUrl } = this.options;
    const { AwsClients } = await import('@tidemark/core/aws');
    return new AwsClients({
      ...(profile ? { profile } : {}),
      ...(endpointUrl ? { endpointUrl } : {}),
      ...(userAgent ? { userAgent } : {}),
    });
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
    options: {
      objects?: ObjectSelection;
      tableItems?: Partial<TableItemSettings>;
      lightsailSnapshots?: boolean;
      onCapture?: (outcome: CaptureOutcome) => void;
      /** The engine only describes (a live read): the session appends no log head and publishes nothing. */
      readOnly?: boolean;
      /** Reach the account of this named profile instead of `--profile`'s (a restore into another account). */
      profile?: string;
    } = {},
  ): Promise<CaptureEngine> {
    if (!options.readOnly) this.#captured = true;
    const [{ CaptureEngine }, { registry }] = await Promise.all([
      import('@tidemark/core/capture'),
      import('@tidemark/core/resources'),
    ]);
    const store = await this.store({ create: true });
    const sealer = (await this.captureKey(store)).sealer;
    const observer = options.readOnly ? undefined : await this.#alertEvaluator(store);
    return CaptureEngine.create({
      store,
      clients: options.profile ? await this.#clientsOf(options.profile) : await this.clients(),
      sealer,
      registry,
      ...(observer ? { observer } : {}),
      homeRegion: this.regions()[0] ?? 'us-east-1',
      ...(options.objects ? { objects: options.objects } : {}),
      ...(options.tableItems ? { tableItems: options.tableItems } : {}),
      ...(options.lightsailSnapshots ? { lightsailSnapshots: true } : {}),
      ...(options.onCapture ? { onCapture: options.onCapture } : {}),
    });
  }

  /** The evaluator of the alert rules ({@link alertRules}) on this session's captures, unless `--no-alerts`. */
  async #alertEvaluator(store: VersionStore): Promise<AlertEvaluator | undefined> {
    if (this.options.alerts === false) return undefined;
    const { AlertEvaluator } = await import('@tidemark/core/alerts');
    this.#alerts = new AlertEvaluator({
      store,
      rules: await this.alertRules(store),
      destinations: {
        clients: await this.clients(),
        write: this.#alertLines ?? (() => {}),
        region: this.regions()[0] ?? 'us-east-1',
      },
    });
    return this.#alerts;
  }

  /**
   * The alert rules in force: `--rules`, else `tidemark.alerts.yaml` beside the key file, else the store's
   * `config/alerts.yaml`, else the shipped ones. An invalid file is an InputError.
   */
  async alertRules(store: VersionStore): Promise<RuleSet> {
    const { loadRules, RULES_FILE_NAME } = await import('@tidemark/core/alerts');
    return loadRules({
      file: this.options.rules,
      defaultFile: path.join(path.dirname(await this.keyFile()), RULES_FILE_NAME),
      store,
    });
  }

  /** Waits for the alerts of this session's captures to be evaluated and delivered; undefined without captures. */
  async settleAlerts(): Promise<AlertsReport | undefined> {
    return this.#alerts?.settle();
  }

  /** Appends the log head naming what this capture wrote, and remembers it as seen. */
  async #appendLogHead(store: VersionStore): Promise<void> {
    const head = await store.appendLogHead();
    if (!head || !store.identity) return;
    const { advanceWitness } = await import('@tidemark/core/store');
    const file = await this.witnessFile(store.identity.storeId);
    await advanceWitness(file, store.identity.storeId, { seq: head.record.seq, hash: head.hash }).catch(
      (error: unknown) =>
        this.#onWarning?.(`cannot remember the newest log head in ${file}: ${String(error)}`),
    );
  }

  /**
   * What the store's index knows to be missing from its answers because the store is damaged (records invalid,
   * forged or removed), when a store was opened; undefined when nothing is.
   */
  async damage(): Promise<StoreDamage | undefined> {
    const store = await this.#store?.catch(() => undefined);
    if (!store) return undefined;
    const known = store.index.damage();
    const lost = await this.#lostLogHead(store);
    if (!lost) return known;
    return { count: (known?.count ?? 0) + 1, keys: [lost, ...(known?.keys ?? [])] };
  }

  /**
   * The newest log head this machine saw of the store, when it is no longer there: the newest records were
   * removed with it, and no index built from the store alone can tell.
   */
  async #lostLogHead(store: VersionStore): Promise<string | undefined> {
    if (!store.identity) return undefined;
    const { logHeadKey, readWitness } = await import('@tidemark/core/store');
    const witness = await readWitness(await this.witnessFile(store.identity.storeId));
    if (!witness || witness.storeId !== store.identity.storeId) return undefined;
    const key = logHeadKey(witness.seq);
    return (await store.backend.exists(key)) ? undefined : key;
  }

  /**
   * Closes the store. After a capture, first appends the log head naming what it wrote, then (into an S3 store)
   * publishes an index snapshot when one is due, so the next cold cache downloads it instead of reading every
   * record; a failure to publish is a warning.
   */
  async close(): Promise<void> {
    if (!this.#store) return;
    const store = await this.#store.catch(() => undefined);
    if (!store) return;
    try {
      if (this.#captured) await this.#appendLogHead(store);
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
