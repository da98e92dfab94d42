import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SimulatedAccount } from '@tidemark/simulation';
import { afterEach, beforeEach } from 'vitest';
import { AwsClients } from '../../src/aws/clients.js';
import { runBaseline } from '../../src/capture/baseline.js';
import { CaptureEngine, type CaptureEngineOptions } from '../../src/capture/engine.js';
import type { ResourceDefinition } from '../../src/resources/types.js';
import { applyRestore, type RestoreReport, restoreUserAgent } from '../../src/restore/apply.js';
import { planRestore, type RestorePlan, type RestorePlanOptions } from '../../src/restore/plan.js';
import { LocalKeySealer } from '../../src/secrets/sealer.js';
import { VersionStore } from '../../src/store/version-store.js';

/** A rate limit for a service of the simulated account, which answers at once: no need to pace calls as for AWS. */
export const UNPACED = { requestsPerSecond: 1000, concurrency: 16 } as const;

/** What differs between the restore suites' rigs. */
export interface RestoreRigOptions {
  /** The definitions the engine captures. */
  readonly definitions: readonly ResourceDefinition[];
  /** The engine's rate limits by service name (see {@link UNPACED}). */
  readonly rateLimits?: CaptureEngineOptions['rateLimits'];
  /** Leave the engine and baseline v1.0 to each test, which calls {@link RestoreRig.capture}. @default false */
  readonly manual?: boolean;
}

/** A simulated account and a store in a temporary folder, with an engine and its baseline v1.0, for one test. */
export interface RestoreRig {
  readonly account: SimulatedAccount;
  readonly store: VersionStore;
  readonly engine: CaptureEngine;
  readonly sealer: LocalKeySealer;
  /** When baseline v1.0 completed: the moment {@link RestoreRig.plan} restores to. */
  readonly v1: Date;
  /** Creates the engine, with `overrides` of its options, and takes baseline v1.0 (before each test unless `manual`). */
  capture(overrides?: Partial<CaptureEngineOptions>): Promise<void>;
  /** Takes a baseline of us-east-1 (and the global types) labelled `label`; returns when it completed. */
  baseline(label: string): Promise<Date>;
  /** Plans a restore to {@link RestoreRig.v1}. */
  plan(options: Omit<RestorePlanOptions, 'at'>): Promise<RestorePlan>;
  /** Applies `plan` with clients whose calls carry `restoreId` (default `r1`) in their user agent. */
  apply(plan: RestorePlan, restoreId?: string): Promise<RestoreReport>;
}

/**
 * Registers the `beforeEach` / `afterEach` of a restore suite: the returned rig's fields are set for each test.
 *
 * @example
 * const rig = restoreRig({ definitions: [dynamoDbTable] });
 * it('…', async () => rig.apply(await rig.plan({ resources: [bookings] })));
 */
export function restoreRig(options: RestoreRigOptions): RestoreRig {
  let folder: string;
  const rig = {
    sealer: new LocalKeySealer(randomBytes(32)),
    capture: async (overrides: Partial<CaptureEngineOptions> = {}) => {
      rig.engine = await CaptureEngine.create({
        store: rig.store,
        clients: new AwsClients(),
        sealer: rig.sealer,
        registry: options.definitions,
        rateLimits: options.rateLimits,
        ...overrides,
      });
      rig.v1 = await rig.baseline('v1.0');
    },
    baseline: async (label: string) =>
      new Date((await runBaseline(rig.engine, { label, regions: ['us-east-1'] })).completedAt),
    plan: (request: Omit<RestorePlanOptions, 'at'>) =>
      planRestore(rig.engine, rig.sealer, { ...request, at: rig.v1 }),
    apply: (plan: RestorePlan, restoreId = 'r1') =>
      applyRestore(rig.engine, plan, {
        restoreId,
        sealer: rig.sealer,
        clients: new AwsClients({ userAgent: restoreUserAgent(restoreId) }),
      }),
  } as { -readonly [Field in keyof RestoreRig]: RestoreRig[Field] };

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-restore-'));
    rig.account = await SimulatedAccount.start();
    rig.store = await VersionStore.open(path.join(folder, 'store'), {
      cacheDirectory: path.join(folder, 'cache'),
    });
    if (!options.manual) await rig.capture();
  });

  afterEach(async () => {
    rig.store.close();
    await rig.account.stop();
    await rm(folder, { recursive: true, force: true });
  });

  return rig;
}
