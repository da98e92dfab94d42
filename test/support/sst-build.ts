import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { startAwsStub } from './aws-stub.js';
import { REPO_ROOT, withRepoLock } from './repo.js';

/** The repository root, where `sst.config.ts` is. */

const SST_CLI = path.join(REPO_ROOT, 'node_modules', 'sst', 'cli', 'sst.js');

/** Held while one process runs `sst build` of this repository (SST builds every function in `.sst/artifacts`). */
const BUILD_LOCK = path.join(REPO_ROOT, '.sst', 'tidemark-build.lock');

/** Lambda's name of a function's instruction set, as in a template's `Architectures`. */
export type LambdaArchitecture = 'x86_64' | 'arm64';

/** One `AWS::Lambda::Function` of a synthesized template, with the folder its code was built into. */
export interface BuiltFunction {
  /** The CloudFormation stack, e.g. `test-tidemark-Pipeline`. */
  readonly stack: string;
  readonly logicalId: string;
  /** `Runtime`, e.g. `nodejs24.x`. */
  readonly runtime: string;
  /** `Architectures[0]`; Lambda's default `x86_64` when the template names none. */
  readonly architecture: LambdaArchitecture;
  /** `Handler`: `<file without extension>.<export>`, relative to the asset. */
  readonly handler: string;
  /** The asset folder (`asset.<hash>` of the build's output), which Lambda receives zipped. */
  readonly asset: string;
}

/** What `sst build` produced. */
export interface SstBuild {
  /** The output folder (`--to`): templates, asset manifests and `asset.*` folders. */
  readonly directory: string;
  /** Every Lambda function of every template, CDK's own custom-resource handlers included. */
  readonly functions: readonly BuiltFunction[];
  /** How long the build took, stub server start included. */
  readonly ms: number;
  /** What the build printed (stdout then stderr). */
  readonly output: string;
}

/** Variables of the caller that must not reach the build: AWS settings, Tidemark's, SST's, the test runner's. */
const CALLER_ONLY = /^(AWS_|CDK_|TIDEMARK_|SST_|VITEST|NODE_ENV$|NODE_OPTIONS$)/;

/**
 * Runs the real `sst build --stage <stage> --to <to>` of this repository, as a deployment would build it: SST
 * bundles each function's handler with its own esbuild options and runs its `nodejs.install`, then synthesizes
 * every stack. AWS is a stub on 127.0.0.1 (STS `GetCallerIdentity` and the bootstrap stacks, see
 * `aws-stub.ts`), reached through `AWS_ENDPOINT_URL` with fake credentials; the caller's own AWS, SST and
 * Tidemark variables (profile, region, endpoints…) are left out, and no shared AWS config file is read.
 *
 * SST writes each function's build into the repository's `.sst/artifacts` before copying it to `to`, so builds of
 * this repository take turns (a lock in `.sst`, taken over when older than the timeout).
 *
 * @example
 * const build = await sstBuild({ to: await mkdtemp(path.join(tmpdir(), 'tidemark-sst-')) });
 * for (const fn of build.functions) console.log(fn.stack, fn.logicalId, fn.runtime, fn.asset);
 */
export async function sstBuild(options: {
  readonly to: string;
  /** @default 'test' */
  readonly stage?: string;
  /** @default 600_000 */
  readonly timeoutMs?: number;
}): Promise<SstBuild> {
  const { to, stage = 'test', timeoutMs = 600_000 } = options;
  return withRepoLock(BUILD_LOCK, timeoutMs, () => build(to, stage, timeoutMs));
}

async function build(to: string, stage: string, timeoutMs: number): Promise<SstBuild> {
  const started = performance.now();
  const stub = await startAwsStub();
  try {
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !CALLER_ONLY.test(name))),
      AWS_ENDPOINT_URL: stub.endpoint,
      AWS_ACCESS_KEY_ID: 'STUB',
      AWS_SECRET_ACCESS_KEY: 'STUB',
      AWS_CONFIG_FILE: path.join(to, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(to, 'no-aws-credentials'),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      SST_TELEMETRY_DISABLED: '1',
      NO_COLOR: '1',
    };
    const output = await run(
      process.execPath,
      [SST_CLI, 'build', '--stage', stage, '--to', to],
      env,
      timeoutMs,
    );
    return { directory: to, functions: await builtFunctions(to), ms: performance.now() - started, output };
  } finally {
    await stub.stop();
  }
}

/** Runs a command in the repository root with stdin closed; rejects with its output unless it exits 0. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout also stops what it started (npm, node-gyp).
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const output = `${Buffer.concat(stdout)}${Buffer.concat(stderr)}`;
      if (code === 0) resolve(output);
      else
        reject(
          new Error(
            `sst build ${signal ? `was stopped by ${signal} after ${timeoutMs} ms` : `exited with code ${code}`}:\n${output}`,
          ),
        );
    });
  });
}

/** The shape of a synthesized template, as far as functions go. */
interface TemplateJson {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/** The shape of a stack's asset manifest (`<stack>.assets.json`). */
interface AssetManifestJson {
  readonly files?: Record<
    string,
    { source: { path: string }; destinations: Record<string, { objectKey: string }> }
  >;
}

/**
 * Every `AWS::Lambda::Function` of every template in a build's output, each mapped to its asset folder through
 * its stack's asset manifest (the object key its `Code.S3Key` names). A function whose code is not such an asset
 * (inline code, an image) is an Error: nothing could be checked of it.
 */
export async function builtFunctions(directory: string): Promise<BuiltFunction[]> {
  const functions: BuiltFunction[] = [];
  const templates = (await readdir(directory)).filter((file) => file.endsWith('.template.json')).sort();
  for (const file of templates) {
    const stack = file.replace(/\.template\.json$/, '');
    const template = JSON.parse(await readFile(path.join(directory, file), 'utf8')) as TemplateJson;
    const manifestFile = path.join(directory, `${stack}.assets.json`);
    const manifest = existsSync(manifestFile)
      ? (JSON.parse(await readFile(manifestFile, 'utf8')) as AssetManifestJson)
      : {};
    const assetOfKey = new Map(
      Object.values(manifest.files ?? {}).flatMap((asset) =>
        Object.values(asset.destinations).map((destination) => [destination.objectKey, asset.source.path]),
      ),
    );
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const properties = resource.Properties ?? {};
      const key = (properties.Code as { S3Key?: unknown } | undefined)?.S3Key;
      const source = typeof key === 'string' ? assetOfKey.get(key) : undefined;
      if (!source)
        throw new Error(
          `${stack} ${logicalId}: its code is not an asset of this build (Code ${JSON.stringify(properties.Code)})`,
        );
      const architectures = (properties.Architectures as string[] | undefined) ?? ['x86_64'];
      functions.push({
        stack,
        logicalId,
        runtime: String(properties.Runtime),
        architecture: architectures[0] as LambdaArchitecture,
        handler: String(properties.Handler),
        asset: path.join(directory, source),
      });
    }
  }
  return functions;
}

/**
 * The file of the asset that Lambda's Node runtime loads for the function's `Handler` (`dir/file.export`):
 * `file.mjs`, `file.cjs` or `file.js`, as the runtime looks for them; undefined when there is none.
 */
export function handlerFile(fn: BuiltFunction): string | undefined {
  const module = fn.handler.slice(0, fn.handler.lastIndexOf('.'));
  return ['.mjs', '.cjs', '.js']
    .map((extension) => path.join(fn.asset, `${module}${extension}`))
    .find((file) => existsSync(file));
}

/** The exported name the `Handler` names (`handler` of `packages/functions/src/consumer.handler`). */
export function handlerExport(fn: BuiltFunction): string {
  return fn.handler.slice(fn.handler.lastIndexOf('.') + 1);
}
