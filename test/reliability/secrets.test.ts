import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetFunctionCommand, LambdaClient, paginateListFunctions } from '@aws-sdk/client-lambda';
import { registry, type StateDiff } from '@tidemark/core';
import type { SimulatedAccount, SimulatedEvent } from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliHarness, CliResult } from '../support/cli.js';
import { stubCredentials } from '../support/environment.js';
import { writeNdjson } from '../support/events.js';
import { withSimulatedAccount } from '../support/fixtures.js';
import { type S3Server, startS3Server } from '../support/s3-server.js';

/** One secret put into one sealed field of the simulated account. */
interface Planted {
  readonly type: string;
  readonly id: string;
  /** The field's path in the resource's document (`Configuration.Environment.Variables.STRIPE_SECRET_KEY`). */
  readonly path: string;
  readonly value: string;
  /** What the simulated account's API returned to the SDK for the field after the secret was put there. */
  readonly served: unknown;
}

/** Where secrets were put, and the events the account emitted for the changes. */
interface Planting {
  readonly planted: readonly Planted[];
  readonly events: readonly SimulatedEvent[];
}

/** Puts a fresh secret in every instance of one sealed field of the simulated account. */
type Planter = (account: SimulatedAccount) => Promise<Planting>;

/** What `show` prints in place of a value stored sealed. */
const SHOWN_SEALED = '(sealed)';

/** A variable no seeded function has, so every function holds at least one planted secret. */
const PLANTED_VARIABLE = 'TM_PLANTED';

/**
 * How to plant a secret in each field a definition seals, keyed `<type> <path>` as the registry declares it. A
 * field sealed without a way to plant it here fails the first test.
 */
const PLANTERS: Readonly<Record<string, Planter>> = {
  'AWS::Lambda::Function Configuration.Environment.Variables.*': plantFunctionEnvironments,
};

/** Every field the registry seals, as `<type> <path>`. */
const SEALED_FIELDS = registry.flatMap((definition) =>
  definition.secrets.map((secretPath) => `${definition.type} ${secretPath}`),
);

/** A secret no code could produce by accident: random, and recognisable in a failure message. */
function newSecret(): string {
  return `tm-secret-${randomBytes(16).toString('hex')}`;
}

/** Replaces every environment variable of every function (plus {@link PLANTED_VARIABLE}) with a new secret. */
async function plantFunctionEnvironments(account: SimulatedAccount): Promise<Planting> {
  const client = new LambdaClient({ region: account.region });
  const planted: Planted[] = [];
  const events: SimulatedEvent[] = [];
  for await (const page of paginateListFunctions({ client }, {})) {
    for (const { FunctionName: name } of page.Functions ?? []) {
      if (!name) continue;
      const variables = [...Object.keys(account.functionEnvironment(name)), PLANTED_VARIABLE];
      const environment = Object.fromEntries(variables.map((variable) => [variable, newSecret()]));
      events.push(...account.updateFunctionConfiguration(name, { environment }));
      const served = await client.send(new GetFunctionCommand({ FunctionName: name }));
      for (const [variable, value] of Object.entries(environment))
        planted.push({
          type: 'AWS::Lambda::Function',
          id: name,
          path: `Configuration.Environment.Variables.${variable}`,
          value,
          served: served.Configuration?.Environment?.Variables?.[variable],
        });
    }
  }
  return { planted, events };
}

/** Plants a fresh secret in every field the registry seals. */
async function plantEverywhere(account: SimulatedAccount): Promise<Planting> {
  const plantings: Planting[] = [];
  for (const field of SEALED_FIELDS) {
    const plant = PLANTERS[field];
    if (plant) plantings.push(await plant(account));
  }
  return {
    planted: plantings.flatMap((planting) => planting.planted),
    events: plantings.flatMap((planting) => planting.events),
  };
}

/** Every way a secret could be written out: plain, base64 (standard and URL-safe, at each byte alignment), hex. */
function encodings(secret: string): ReadonlyArray<{ readonly name: string; readonly text: string }> {
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = [0, 1, 2].flatMap((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Only the characters that depend on the secret's bytes alone, wherever it sits in a longer encoded text.
    const text = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    return [
      { name: `base64 (offset ${offset})`, text },
      { name: `base64url (offset ${offset})`, text: text.replace(/\+/g, '-').replace(/\//g, '_') },
    ];
  });
  const hex = bytes.toString('hex');
  return [
    { name: 'plain', text: secret },
    ...base64,
    { name: 'hex', text: hex },
    { name: 'HEX', text: hex.toUpperCase() },
  ];
}

/** Something written that must hold no secret: a file, a command's output, a log. */
interface Written {
  readonly source: string;
  readonly bytes: Buffer;
}

/** Every file under the folders, with the contents of gzipped ones (index snapshots) as well. */
async function filesUnder(folders: readonly string[]): Promise<Written[]> {
  const written: Written[] = [];
  for (const folder of folders) {
    for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const source = path.join(entry.parentPath, entry.name);
      const bytes = await readFile(source);
      written.push({ source, bytes });
      if (bytes[0] === 0x1f && bytes[1] === 0x8b)
        written.push({ source: `${source} (gunzipped)`, bytes: gunzipSync(bytes) });
    }
  }
  return written;
}

/** Temporary files this process left in the system's temporary folder (spooled blobs, index copies). */
async function leftTemporaryFiles(): Promise<Written[]> {
  const left = (await readdir(tmpdir(), { withFileTypes: true })).filter(
    (entry) =>
      entry.isFile() && entry.name.startsWith('tidemark-') && entry.name.includes(`-${process.pid}-`),
  );
  return Promise.all(
    left.map(async ({ name }) => ({ source: name, bytes: await readFile(path.join(tmpdir(), name)) })),
  );
}

/** Each secret found in what was written, as `<source>: <encoding> of <secret>`. */
function leaks(secrets: readonly string[], written: readonly Written[]): string[] {
  const found: string[] = [];
  for (const { source, bytes } of written) {
    const text = bytes.toString('latin1');
    for (const secret of secrets)
      for (const encoding of encodings(secret))
        if (text.includes(encoding.text)) found.push(`${source}: ${encoding.name} of ${secret}`);
  }
  return found;
}

/** Starts recording what the process prints or logs outside the CLI's own output; returns what it recorded. */
function captureLogs(): () => Written[] {
  const spies = [
    { source: 'process.stdout', spy: vi.spyOn(process.stdout, 'write') },
    { source: 'process.stderr', spy: vi.spyOn(process.stderr, 'write') },
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => ({
      source: `console.${method}`,
      spy: vi.spyOn(console, method),
    })),
  ];
  return () =>
    spies.flatMap(({ source, spy }) =>
      spy.mock.calls.map((call) => ({ source, bytes: Buffer.from(call.map(String).join(' ')) })),
    );
}

/** Everything to scan after a run: the store's files, temporary files left, every output and every log. */
async function everythingWritten(
  cli: CliHarness,
  stored: readonly Written[],
  logged: readonly Written[],
): Promise<Written[]> {
  const outputs = cli.transcript.map((text, index) => ({
    source: `output ${index}`,
    bytes: Buffer.from(text),
  }));
  return [...stored, ...(await leftTemporaryFiles()), ...outputs, ...logged];
}

/** A planted resource as `tidemark` names it (`AWS::Lambda::Function:booking-handler`). */
function resourceName({ type, id }: Planted): string {
  return `${type}:${id}`;
}

/** The value at a dotted path of a document. */
function valueAt(document: unknown, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], document);
}

/** What one run of every command that touches secrets showed. */
interface Exercise {
  readonly before: Planting;
  readonly after: Planting;
  readonly results: readonly CliResult[];
  /** Each planted resource's document at v1.0 and now, as `show --json` printed it. */
  readonly documents: ReadonlyMap<string, { readonly atBaseline: unknown; readonly latest: unknown }>;
  readonly diff: StateDiff;
}

/** Every secret an exercise planted. */
function plantedValues({ before, after }: Exercise): string[] {
  return [...before.planted, ...after.planted].map((planted) => planted.value);
}

/**
 * Plants secrets, takes a baseline, plants new ones and ingests the events for them, then runs every read and
 * maintenance command against the store `store` names (options given before each command's own).
 */
async function exercise(cli: CliHarness, account: SimulatedAccount, store: string[]): Promise<Exercise> {
  const results: CliResult[] = [];
  const run = async (...args: string[]) => {
    const result = await cli.run(...store, ...args);
    results.push(result);
    return result;
  };
  const json = async <T>(...args: string[]) => JSON.parse((await run(...args, '--json')).stdout) as T;

  const before = await plantEverywhere(account);
  await run('baseline', '--label', 'v1.0');
  const after = await plantEverywhere(account);
  const changes = await writeNdjson(cli.folder, 'changes.ndjson', after.events);
  await run('events', 'map', changes);
  await run('ingest', changes);
  const documents = new Map<string, { atBaseline: unknown; latest: unknown }>();
  for (const resource of new Set(after.planted.map(resourceName))) {
    await run('history', resource);
    await run('history', resource, '--json');
    await run('show', resource);
    const atBaseline = await json<{ document: unknown }>('show', resource, '--at', 'v1.0');
    const latest = await json<{ document: unknown }>('show', resource);
    documents.set(resource, { atBaseline: atBaseline.document, latest: latest.document });
  }
  for (const args of [['state'], ['state', '--at', 'v1.0'], ['diff', '--from', 'v1.0'], ['baselines']])
    await run(...args);
  const diff = await json<StateDiff>('diff', '--from', 'v1.0');
  for (const args of [['verify'], ['reindex'], ['verify'], ['state'], ['diff', '--from', 'v1.0']])
    await run(...args);
  return { before, after, results, documents, diff };
}

/** Asserts that every planted secret reached the capture: the account served it, and it is stored sealed. */
function expectEverySecretCaptured({ before, after, results, documents, diff }: Exercise): void {
  expect(results.filter((result) => result.code !== 0)).toEqual([]);
  for (const planted of [...before.planted, ...after.planted]) expect(planted.served).toBe(planted.value);
  for (const [planting, moment] of [
    [before, 'atBaseline'],
    [after, 'latest'],
  ] as const)
    for (const planted of planting.planted) {
      const document = documents.get(resourceName(planted))?.[moment];
      expect(valueAt(document, planted.path), `${planted.path} of ${planted.id}`).toBe(SHOWN_SEALED);
    }
  const changed = diff.changed.flatMap((change) =>
    change.changes.map((field) => ({ id: change.resource.id, ...field })),
  );
  for (const planted of after.planted)
    expect(changed).toContainEqual({
      id: planted.id,
      path: planted.path,
      change: 'changed',
      sealed: true,
    });
}

describe('secrets scan: no planted secret is ever written or shown, in any encoding', () => {
  const env = withSimulatedAccount();
  let logged: () => Written[];

  beforeEach(() => {
    logged = captureLogs();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('has a way to plant a secret in every field the registry seals', () => {
    const unplantable = SEALED_FIELDS.filter((field) => !(field in PLANTERS));

    expect(SEALED_FIELDS.length).toBeGreaterThan(0);
    expect(unplantable).toEqual([]);
  });

  it("leaves none in a local store's files and index, nor in any output or log", async () => {
    const run = await exercise(env.cli, env.account, []);

    expectEverySecretCaptured(run);
    const stored = await filesUnder([env.cli.store]);
    const written = await everythingWritten(env.cli, stored, logged());
    expect(stored.map((file) => path.basename(file.source))).toContain('index.sqlite');
    expect(written.some(({ bytes }) => bytes.includes(PLANTED_VARIABLE))).toBe(true);
    expect(leaks(plantedValues(run), written)).toEqual([]);
  });

  describe('with the store in an S3 bucket', () => {
    let server: S3Server;
    let cache: string;

    beforeEach(async () => {
      server = await startS3Server({ buckets: ['tidemark-store'] });
      cache = await mkdtemp(path.join(tmpdir(), 'tidemark-secrets-cache-'));
      stubCredentials(server.credentials);
      vi.stubEnv('TIDEMARK_CACHE_DIR', cache);
      // A snapshot of the index is published to the bucket early, so it is scanned too.
      vi.stubEnv('TIDEMARK_SNAPSHOT_AFTER', '10');
    });
    afterEach(async () => {
      vi.unstubAllEnvs();
      await server?.stop();
      await rm(cache, { recursive: true, force: true });
    });

    it('leaves none in the bucket, its index snapshots or the local cache, nor in any output or log', async () => {
      const store = ['--store', 's3://tidemark-store/secrets', '--store-endpoint-url', server.endpoint];

      const run = await exercise(env.cli, env.account, store);

      expectEverySecretCaptured(run);
      const stored = await filesUnder([server.directory, cache]);
      const written = await everythingWritten(env.cli, stored, logged());
      expect(stored.some((file) => file.source.endsWith('(gunzipped)'))).toBe(true);
      expect(written.some(({ bytes }) => bytes.includes(PLANTED_VARIABLE))).toBe(true);
      expect(leaks(plantedValues(run), written)).toEqual([]);
    });
  });
});
