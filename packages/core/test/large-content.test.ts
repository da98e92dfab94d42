import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { stubCredentials } from '../../../test/support/environment.js';
import { layOutObject, type S3Server, startS3Server } from '../../../test/support/s3-server.js';
import { AwsClients } from '../src/aws/clients.js';
import { CaptureEngine } from '../src/capture/engine.js';
import { ingestEvents } from '../src/capture/ingest.js';
import { registry } from '../src/resources/registry.js';
import { LocalKeySealer } from '../src/secrets/sealer.js';
import { VersionStore } from '../src/store/version-store.js';

const MIB = 1024 * 1024;
const SOURCE_BUCKET = 'warehouse-exports';
const ACCOUNT = '123456789012';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('capturing an object larger than a part from an S3-protocol server', () => {
  let server: S3Server;
  let scratch: string;

  beforeAll(async () => {
    server = await startS3Server({ buckets: [SOURCE_BUCKET] });
    stubCredentials(server.credentials);
    scratch = await mkdtemp(path.join(tmpdir(), 'tidemark-large-content-'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('reads it through ranged GETs, one at a time, into a byte-identical blob', async () => {
    const key = 'exports/2026/dump.bin';
    const content = randomBytes(5 * MIB + 3);
    await layOutObject(server, SOURCE_BUCKET, key, Readable.from([content]));
    const store = await VersionStore.open(await mkdtemp(path.join(scratch, 'store-')));
    onTestFinished(() => store.close());
    const clients = new AwsClients({ endpointUrl: server.endpoint });
    const gets = watchBodies(clients.s3('us-east-1'));
    const engine = await CaptureEngine.create({
      store,
      clients,
      sealer: new LocalKeySealer(randomBytes(32)),
      registry,
      account: ACCOUNT,
      partSize: MIB,
    });

    const report = await ingestEvents(engine, [{ text: objectCreated(key), origin: 'test' }]);

    expect(report.captures.map((capture) => capture.status)).toEqual(['appended']);
    const capture = report.captures[0];
    const blob = capture && store.latest(capture.resource)?.record.blobs.content;
    expect(blob).toBe(sha256(content));
    expect(await sha256Of(await store.readBlob(blob as string))).toBe(sha256(content));
    expect(gets.ranges).toEqual([
      'bytes=0-1048575',
      'bytes=1048576-2097151',
      'bytes=2097152-3145727',
      'bytes=3145728-4194303',
      'bytes=4194304-5242879',
      'bytes=5242880-5242882',
    ]);
    expect(gets.maxOpen).toBe(1);
  });
});

/** The `Range` of each GetObject a client sends, and the most response bodies open (not yet ended) at once. */
function watchBodies(client: S3Client) {
  const watched = { ranges: [] as string[], maxOpen: 0 };
  let open = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'GetObjectCommand') {
        watched.ranges.push(String((args.input as { Range?: string }).Range));
        const body = (result.response as { body?: IncomingMessage }).body;
        watched.maxOpen = Math.max(watched.maxOpen, ++open);
        body?.once('close', () => open--);
      }
      return result;
    },
    { step: 'deserialize', name: 'watchBodies' },
  );
  return watched;
}

/** S3's EventBridge notification of a new object in the source bucket. */
function objectCreated(key: string): string {
  return JSON.stringify({
    version: '0',
    id: '5d4e0c8a-0000-4000-8000-000000000002',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: ACCOUNT,
    time: '2026-03-01T12:00:00Z',
    region: 'us-east-1',
    resources: [`arn:aws:s3:::${SOURCE_BUCKET}`],
    detail: {
      version: '0',
      bucket: { name: SOURCE_BUCKET },
      object: { key, size: 5 * MIB + 3, sequencer: '0065A1B2C3D4E5F601' },
      'request-id': 'TESTLARGEOBJECT',
      requester: ACCOUNT,
      'source-ip-address': '127.0.0.1',
      reason: 'PutObject',
    },
  });
}
