import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin, bundleMetafile, CLI_PACKAGE, loadedSources } from './support/built-cli.js';
import { CliHarness } from './support/cli.js';
import { startSimulatedUser } from './support/fixtures.js';
import { nodeBinary, runNode } from './support/node-runtime.js';

const MODULE_LOG = path.join(import.meta.dirname, 'support', 'module-log.mjs');
const PAGE = 'AWS::S3::Object:queenofsandiego.com/index.html';

/**
 * An environment that would send a careless command elsewhere: another region, a profile that does not exist,
 * an endpoint nothing listens on, another store. Commands given `--store` must not care.
 */
function hostileEnvironment(folder: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: folder,
    AWS_REGION: 'us-west-2',
    AWS_PROFILE: 'no-such-profile',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    TIDEMARK_STORE: path.join(folder, 'nonexistent', 'store'),
    TIDEMARK_KEY_FILE: path.join(folder, 'nonexistent', 'secret.key'),
  };
}

/** Source paths (as esbuild names them) that `--help` and a query of a local store must never load. */
const NEVER_FOR_QUERIES = [
  /node_modules\/@aws-sdk\//,
  /node_modules\/@smithy\//,
  /core\/src\/aws\//,
  /core\/src\/capture\//,
  /core\/src\/resources\//,
  /core\/src\/simulation\//,
  /core\/src\/store\/s3-backend\.ts$/,
];

describe('the built tidemark command, run as users run it', () => {
  let bin: string;
  let folder: string;
  let harness: CliHarness;
  /** Runs the bin itself (its shebang picks Node from PATH) in the hostile environment, with `--store`. */
  const tidemark = (args: readonly string[], env: NodeJS.ProcessEnv = hostileEnvironment(folder)) =>
    runNode(bin, ['--store', harness.store, ...args], { env });

  beforeAll(async () => {
    bin = await builtBin();
    harness = await CliHarness.create();
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-bin-'));
    // A store with two versions of the home page, written in-process from the sources.
    const user = await startSimulatedUser();
    try {
      await harness.json('baseline', '--label', 'v1.0');
      user.account.putObject('queenofsandiego.com', 'index.html', '<h1>2027 season</h1>', {
        contentType: 'text/html',
      });
      await harness.json('baseline', '--label', 'v1.1');
    } finally {
      await user.stop();
    }
  }, 300_000);
  afterAll(async () => {
    await harness?.dispose();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('prints help on stdout, exit 0, loading neither the store nor the AWS SDK', async () => {
    const log = path.join(folder, 'help-modules.log');

    const result = await tidemark(['--help'], {
      ...hostileEnvironment(folder),
      NODE_OPTIONS: `--import=${MODULE_LOG}`,
      TIDEMARK_MODULE_LOG: log,
    });

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Usage: tidemark \[options\] \[command\]/);
    expect(result.stdout).toMatch(/^ {2}history \[options\] <resource>/m);
    const sources = loadedSources(await bundleMetafile(), (await readFile(log, 'utf8')).split('\n'));
    expect(sources).toContain('src/program.ts');
    expect(sources.filter((source) => NEVER_FOR_QUERIES.some((never) => never.test(source)))).toEqual([]);
    expect(sources.filter((source) => /core\/src\/store\/|node_modules\/zod\//.test(source))).toEqual([]);
  });

  it('prints the version of its package with --version', async () => {
    const pkg = JSON.parse(await readFile(path.join(CLI_PACKAGE, 'package.json'), 'utf8')) as {
      version: string;
    };

    const result = await tidemark(['--version']);

    expect(result).toEqual(expect.objectContaining({ code: 0, stdout: `${pkg.version}\n`, stderr: '' }));
  });

  it('prints the history of one resource on stdout, as the sources do, without loading the AWS SDK', async () => {
    const log = path.join(folder, 'history-modules.log');
    const expected = await harness.run('history', PAGE);

    const result = await tidemark(['history', PAGE], {
      ...hostileEnvironment(folder),
      NODE_OPTIONS: `--import=${MODULE_LOG}`,
      TIDEMARK_MODULE_LOG: log,
    });

    expect(result).toMatchObject({ code: 0, stderr: '', stdout: `${expected.stdout}\n` });
    expect(result.stdout).toMatch(
      /^AWS::S3::Object queenofsandiego\.com\/index\.html \(us-east-1\): 2 versions$/m,
    );
    expect(result.stdout).toMatch(/^ {2}v2 {2}\S+ {2}reconcile v1\.1/m);
    const sources = loadedSources(await bundleMetafile(), (await readFile(log, 'utf8')).split('\n'));
    expect(sources).toContain('../core/src/store/version-store.ts');
    expect(sources.filter((source) => NEVER_FOR_QUERIES.some((never) => never.test(source)))).toEqual([]);
  });

  it('prints JSON on stdout alone with --json', async () => {
    const result = await tidemark(['history', PAGE, '--json']);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    const parsed = JSON.parse(result.stdout) as { resource: { id: string }; versions: unknown[] };
    expect(parsed.resource.id).toBe('queenofsandiego.com/index.html');
    expect(parsed.versions).toHaveLength(2);
  });

  it('exits 2 with one line on stderr and nothing on stdout for an unknown option', async () => {
    const result = await tidemark(['state', '--bogus']);

    expect(result).toEqual(
      expect.objectContaining({
        code: 2,
        stdout: '',
        stderr: "tidemark state: unknown option '--bogus'; see tidemark state --help\n",
      }),
    );
  });

  it('exits 2 with one line on stderr and nothing on stdout for an unknown resource and an unreadable time', async () => {
    const unknown = await tidemark(['history', 'no-such-thing']);
    const badTime = await tidemark(['state', '--at', 'last tuesday']);

    expect(unknown).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'tidemark: no resource no-such-thing in the store\n',
    });
    expect(badTime).toMatchObject({ code: 2, stdout: '' });
    expect(badTime.stderr).toMatch(/^tidemark: cannot read the time "last tuesday": [^\n]+\n$/);
  });

  it('exits 1 when the command runs and finds a problem: a corrupted store', async () => {
    const copy = path.join(folder, 'corrupted-store');
    await cp(harness.store, copy, { recursive: true });
    const blobs = path.join(copy, 'blobs', 'sha256');
    const [prefix] = await readdir(blobs);
    const [blob] = await readdir(path.join(blobs, prefix as string));
    await writeFile(path.join(blobs, prefix as string, blob as string), 'bit rot');

    const result = await runNode(bin, ['--store', copy, 'verify'], { env: hostileEnvironment(folder) });

    expect(result).toMatchObject({ code: 1, stderr: '' });
    expect(result.stdout).toMatch(/^ {2}corrupted\s+blobs\/sha256\//m);
  });

  it('exits 1 with one line on stderr when a capture cannot reach AWS, loading the SDK only then', async () => {
    const log = path.join(folder, 'baseline-modules.log');
    const store = path.join(folder, 'capture-store');

    const result = await runNode(
      bin,
      ['--store', store, '--key-file', path.join(folder, 'key'), 'baseline'],
      {
        env: {
          ...hostileEnvironment(folder),
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          NODE_OPTIONS: `--import=${MODULE_LOG}`,
          TIDEMARK_MODULE_LOG: log,
        },
      },
    );

    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/^tidemark: \w+: [^\n]+\n$/);
    const sources = loadedSources(await bundleMetafile(), (await readFile(log, 'utf8')).split('\n'));
    expect(sources).toEqual(
      expect.arrayContaining(['../core/src/capture/engine.ts', '../core/src/aws/clients.ts']),
    );
    expect(sources.some((source) => source.includes('node_modules/@aws-sdk/client-sts/'))).toBe(true);
  });

  it('runs on Node 24 (the next AWS SDK floor) with the same output', async () => {
    const node24 = await nodeBinary(24);
    const env = hostileEnvironment(folder);
    const expected = await tidemark(['history', PAGE]);

    const help = await runNode(node24, [bin, '--help'], { env });
    const history = await runNode(node24, [bin, '--store', harness.store, 'history', PAGE], { env });

    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(history).toMatchObject({ code: 0, stderr: '', stdout: expected.stdout });
  }, 300_000);
});
