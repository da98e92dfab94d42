import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { withoutNodeOptions } from './node-runtime.js';
import { REPO_ROOT, withRepoLock } from './repo.js';

const execFileAsync = promisify(execFile);

/** The CLI package, as `npm pack` packs it. */
export const CLI_PACKAGE = path.join(REPO_ROOT, 'packages', 'cli');

/** Held while one process builds, so test files building at the same time take turns. */
const BUILD_LOCK = path.join(REPO_ROOT, '.tidemark', 'build.lock');

/** How long a build may hold the lock; one held longer was left by a process that died. */
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
  built ??= withRepoLock(BUILD_LOCK, STALE_LOCK_MS, async () => {
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
