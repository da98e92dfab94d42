import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import {
  AwsClients,
  CaptureEngine,
  ingestEvents,
  LocalKeySealer,
  type ResourceDefinition,
  registry,
  runBaseline,
  VersionStore,
} from '@tidemark/core';
import { uncoveredActions } from '@tidemark/core/deploy';
import { lambdaService } from '@tidemark/core/resources';
import { SimulatedAccount } from '@tidemark/simulation';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Alerts } from '../Alerts.js';
import { Capture } from '../Capture.js';
import { Pipeline } from '../Pipeline.js';
import { Store } from '../Store.js';
import { makeChanges } from './support/changes.js';
import { allowedActions } from './support/iam.js';
import { synthesize } from './support/synth.js';

/** The actions the deployed consumer's role allows, for a registry. */
async function consumerActions(definitions: readonly ResourceDefinition[] = registry): Promise<string[]> {
  const app = await synthesize([Store, Capture, Alerts, Pipeline], { definitions });
  return allowedActions(app.template(Pipeline), app.exports(Pipeline).consumer);
}

describe("the consumer's role against the calls a capture makes", () => {
  let account: SimulatedAccount;
  let folder: string;
  let store: VersionStore;

  beforeAll(async () => {
    account = await SimulatedAccount.start();
  });

  afterAll(() => account.stop());

  beforeEach(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'tidemark-permissions-'));
    store = await VersionStore.open(folder);
    account.resetCallCounts();
  });

  afterEach(async () => {
    store.close();
    await rm(folder, { recursive: true, force: true });
  });

  /** A capture engine over the simulated account, the temporary store and a fresh key. */
  const engineFor = (definitions: readonly ResourceDefinition[]) =>
    CaptureEngine.create({
      store,
      clients: new AwsClients(),
      sealer: new LocalKeySealer(randomBytes(32)),
      registry: definitions,
      homeRegion: account.region,
    });

  it('allows every AWS action a baseline and the ingest of a day of changes call', async () => {
    // Arrange
    const engine = await engineFor(registry);

    // Act
    const baseline = await runBaseline(engine, { label: 'v1.0', regions: [account.region] });
    const events = makeChanges(account);
    const ingested = await ingestEvents(engine, [{ text: JSON.stringify(events), origin: 'changes.json' }]);
    const called = account.actionsCalled();

    // Assert
    expect(baseline.failures).toEqual([]);
    expect(ingested.failures).toEqual([]);
    expect(ingested.captures.filter((capture) => capture.status === 'appended').length).toBeGreaterThan(3);
    expect(called).toContain('lambda:GetFunction');
    expect(called).toContain('s3:GetObject');
    expect(uncoveredActions(called, await consumerActions())).toEqual([]);
  });

  it('fails for a type that calls an API its definition does not declare', async () => {
    // Arrange: a type whose describe makes one more call than it declares
    const lambda = registry.find((definition) => definition.service.name === 'lambda');
    if (!lambda) throw new Error('no Lambda type in the registry');
    const careless: ResourceDefinition = {
      ...lambda,
      type: 'AWS::Lambda::CarelessFunction',
      async describe(ctx, id, region, previous) {
        await ctx
          .client(lambdaService, region)
          .send(new GetFunctionConfigurationCommand({ FunctionName: id }));
        return lambda.describe(ctx, id, region, previous);
      },
    };
    const engine = await engineFor([careless]);

    // Act
    await runBaseline(engine, { label: 'v1.0', regions: [account.region] });

    // Assert
    expect(uncoveredActions(account.actionsCalled(), await consumerActions([...registry, careless]))).toEqual(
      ['lambda:GetFunctionConfiguration'],
    );
  });
});
