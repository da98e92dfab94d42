import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type ResourceRef, VersionStore } from '@tidemark/core';
import { SimulatedAccount } from '@tidemark/simulation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { type SqsServer, startSqsServer } from '../../../../test/support/sqs-server.js';

export const SEALING_KEY_SECRET =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:tidemark-sealing-key-AbCdEf';

/** A simulated account, a local store, a queue on an SQS-protocol server, and the functions' environment. */
export interface PipelineFixture {
  account: SimulatedAccount;
  /** The store folder. */
  store: string;
  queueUrl: string;
  sqs: SQSClient;
  /** Opens the store with a fresh index, as another container would. */
  openStore(): Promise<VersionStore>;
  /** A resource of the simulated account. */
  ref(type: string, id: string): ResourceRef;
}

/**
 * For each test: a fresh simulated account as AWS, a local store, a queue, the sealing key secret (Secrets
 * Manager mocked at the command level) and the environment the stacks give the functions. Handlers must be
 * imported after `vi.resetModules()` so each test is a new container.
 */
export function withPipeline(): PipelineFixture {
  const fixture = {} as PipelineFixture;
  let server: SqsServer;
  let folder: string;
  let queues = 0;
  const secrets = mockClient(SecretsManagerClient);

  beforeAll(async () => {
    server = await startSqsServer();
  });
  afterAll(async () => {
    secrets.restore();
    await server.stop();
  });

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-functions-'));
    fixture.store = path.join(folder, 'store');
    fixture.account = await SimulatedAccount.start();
    fixture.sqs = server.client();
    queues += 1;
    fixture.queueUrl = (await fixture.sqs.send(new CreateQueueCommand({ QueueName: `work-${queues}` })))
      .QueueUrl as string;
    fixture.openStore = async () =>
      VersionStore.open(fixture.store, { cacheDirectory: await mkdtemp(path.join(folder, 'reader-')) });
    fixture.ref = (type, id) => ({ account: fixture.account.accountId, region: 'us-east-1', type, id });
    secrets.on(GetSecretValueCommand, { SecretId: SEALING_KEY_SECRET }).resolves({
      ARN: SEALING_KEY_SECRET,
      Name: 'tidemark-sealing-key',
      SecretString: randomBytes(32).toString('base64'),
      VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: new Date(),
    });
    // What Lambda gives a function: its region and keys in the environment, no profile, no endpoint override.
    for (const [name, value] of Object.entries({
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: undefined,
      AWS_ENDPOINT_URL: undefined,
      TIDEMARK_STORE: fixture.store,
      TIDEMARK_QUEUE_URL: fixture.queueUrl,
      TIDEMARK_REGIONS: 'us-east-1',
      TIDEMARK_HOME_REGION: 'us-east-1',
      TIDEMARK_SEALING_KEY_SECRET: SEALING_KEY_SECRET,
      TIDEMARK_CACHE_DIR: path.join(folder, 'cache'),
      AWS_ENDPOINT_URL_SQS: server.endpoint,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    }))
      vi.stubEnv(name, value);
    vi.resetModules();
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    secrets.reset();
    await fixture.account.stop();
    await rm(folder, { recursive: true, force: true });
  });

  return fixture;
}
