import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The repository root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The CLI package, as `npm pack` packs it. */
export const CLI_PACKAGE = path.join(REPO_ROOT, 'packages', 'cli');

/** Held while one process builds, so test files building at the same time take turns. */
const BUILD_LOCK = path.join(REPO_ROOT, '.tidemark', 'build.lock');

/** A lock older than this was left by a process that died: taken over. */
const STALE_LOCK_MS = 10 * 60_000;

let built: Promise<string> | undefined;

/**
 * The path of the `tidemark` command users get (`bin.tidemark` of the CLI's package.json, in `dist/`), built
 * first with `npm run build` so that it is never older than the sources: a no-op when it is up to date. Builds
 * once per process, one process at a time.
 *
 * @example
 * const bin = await builtBin();
 * const result = await runNode(bin, ['--help'], { env: { PATH: process.env.PATH } });
 */
export function builtBin(): Promise<string> {
  built ??= withBuildLock(async () => {
    await execFileAsync('npm', ['run', 'build', '--silent'], {
      cwd: REPO_ROOT,
      env: withoutNodeOptions(process.env),
      timeout: 300_000,
    }).catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`npm run build failed: ${`${error.stdout ?? ''}${error.stderr ?? ''}`.trim()}`, {
        cause: error,
      });
    });
    const pkg = JSON.parse(await readFile(path.join(CLI_PACKAGE, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    return path.resolve(CLI_PACKAGE, pkg.bin.tidemark as string);
  });
  return built;
}

/** The sources each file of the shipped bundle holds, as esbuild reported them when it bundled. */
export interface BundleMetafile {
  readonly outputs: Readonly<Record<string, { readonly inputs: Readonly<Record<string, unknown>> }>>;
}

/** The shipped bundle's metafile (`dist/meta.json`), read after {@link builtBin}. */
export async function bundleMetafile(): Promise<BundleMetafile> {
  await builtBin();
  return JSON.parse(await readFile(path.join(CLI_PACKAGE, 'dist', 'meta.json'), 'utf8')) as BundleMetafile;
}

/**
 * The sources (paths relative to the CLI package, as in the metafile) of the bundle files a process loaded,
 * given the file URLs it loaded.
 */
export function loadedSources(metafile: BundleMetafile, urls: readonly string[]): string[] {
  const files = new Set(urls.filter((url) => url.startsWith('file:')).map((url) => new URL(url).pathname));
  return Object.entries(metafile.outputs)
    .filter(([output]) => files.has(path.resolve(CLI_PACKAGE, output)))
    .flatMap(([, output]) => Object.keys(output.inputs));
}

/** The environment without `NODE_OPTIONS`, which a test runner may fill with flags for its own Node. */
export function withoutNodeOptions(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _, ...rest } = env;
  return rest;
}

async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  await acquire();
  try {
    return await fn();
  } finally {
    await rm(BUILD_LOCK, { force: true });
  }
}

async function acquire(): Promise<void> {
  await mkdir(path.dirname(BUILD_LOCK), { recursive: true });
  for (;;) {
    try {
      await writeFile(BUILD_LOCK, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await stat(BUILD_LOCK).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) await rm(BUILD_LOCK, { force: true });
      else await sleep(250);
    }
  }
}
