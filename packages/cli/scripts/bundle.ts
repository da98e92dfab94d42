/**
 * Bundles the `tidemark` command (`npm run build` runs it after `tsc -b`): the CLI with `@tidemark/core`, the AWS
 * SDK and every other dependency, as ESM for Node 20 and later, split so that each command's action and what it
 * needs (the store, the SDK clients, the capture engine) is a chunk loaded only when the command runs. Only
 * better-sqlite3 (native; unused on Node 24, which has `node:sqlite`) is left out, and must be a declared (optional)
 * dependency.
 *
 * Writes `dist/tidemark.js` (the command, which `bin/tidemark.js` imports), `dist/index.js` (`main`, for
 * embedding) and `dist/chunks/`; and, not shipped, the demo in `dist/demo/`. Sources are read through the
 * `source` export condition, so a bundle never depends on another package's build. Does nothing when the last
 * bundle is newer than every file it was made from; `--force` bundles anyway.
 */

import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';

const PACKAGE = path.resolve(import.meta.dirname, '..');
const DIST = path.join(PACKAGE, 'dist');
/** What the last bundle was made from, to tell whether it is out of date. */
const STAMP = path.join(DIST, '.bundle.json');
/** esbuild's account of the shipped bundle (which sources each chunk holds), for tests of what a command loads. */
const METAFILE = path.join(DIST, 'meta.json');

interface PackageJson {
  readonly version: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

/** One bundle: its entry points (`src/…` without extension) and where it goes. */
interface Bundle {
  readonly name: string;
  readonly entries: readonly string[];
  readonly outdir: string;
}

const BUNDLES: readonly Bundle[] = [
  { name: 'tidemark', entries: ['tidemark', 'index'], outdir: DIST },
  { name: 'demo', entries: ['demo/demo'], outdir: path.join(DIST, 'demo') },
];

/** What the bundles were made from: their inputs and the files that decide how they are made. */
interface Stamp {
  readonly inputs: readonly string[];
}

/** Files that change every bundle when they change, beyond the bundles' own inputs. */
const BUILD_FILES = [
  path.join(PACKAGE, 'package.json'),
  path.join(PACKAGE, 'scripts', 'bundle.ts'),
  path.resolve(PACKAGE, '..', '..', 'package-lock.json'),
];

const pkg = JSON.parse(await readFile(path.join(PACKAGE, 'package.json'), 'utf8')) as PackageJson;
/** What the bundle leaves to `npm install`: the declared dependencies (better-sqlite3 is optional: Node 24 never loads it). */
const external = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });

if (!process.argv.includes('--force') && (await upToDate())) process.exit(0);

const started = performance.now();
const inputs = new Set<string>();
for (const bundle of BUNDLES) {
  const metafile = await bundleOnce(bundle);
  for (const input of Object.keys(metafile.inputs)) inputs.add(path.resolve(PACKAGE, input));
  checkExternals(bundle, metafile);
  if (bundle.outdir === DIST) await writeFile(METAFILE, `${JSON.stringify(metafile)}\n`);
}
await chmod(path.join(DIST, 'tidemark.js'), 0o755);
await chmod(path.join(DIST, 'demo', 'demo.js'), 0o755);
await writeFile(STAMP, `${JSON.stringify({ inputs: [...inputs].sort() } satisfies Stamp)}\n`);
console.error(`bundled the tidemark command in ${Math.round(performance.now() - started)} ms`);

async function bundleOnce(bundle: Bundle): Promise<Metafile> {
  // Chunk names carry a hash: remove the previous bundle's, or they would be packed with the new ones.
  await rm(path.join(bundle.outdir, 'chunks'), { recursive: true, force: true });
  for (const entry of bundle.entries)
    await rm(path.join(bundle.outdir, `${path.basename(entry)}.js`), { force: true });
  await mkdir(bundle.outdir, { recursive: true });
  const options: BuildOptions = {
    // Paths in the metafile are relative to the package, wherever the build runs from.
    absWorkingDir: PACKAGE,
    entryPoints: bundle.entries.map((entry) => path.join(PACKAGE, 'src', `${entry}.ts`)),
    outdir: bundle.outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['source'],
    external,
    define: { TIDEMARK_VERSION: JSON.stringify(pkg.version) },
    // CommonJS dependencies (the AWS SDK) `require` Node's modules: give ESM chunks a `require`.
    banner: {
      js: "import { createRequire as __tidemarkCreateRequire } from 'node:module'; const require = __tidemarkCreateRequire(import.meta.url);",
    },
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  };
  const result = await build(options);
  return result.metafile as Metafile;
}

/** Every module the bundle leaves to Node must be one of Node's own or a declared dependency. */
function checkExternals(bundle: Bundle, metafile: Metafile): void {
  const builtins = new Set(builtinModules);
  const undeclared = new Set<string>();
  for (const output of Object.values(metafile.outputs))
    for (const imported of output.imports) {
      if (!imported.external) continue;
      const name = imported.path.replace(/^node:/, '');
      if (imported.path.startsWith('node:') || builtins.has(name) || external.includes(name)) continue;
      undeclared.add(imported.path);
    }
  if (undeclared.size > 0)
    throw new Error(
      `the ${bundle.name} bundle imports ${[...undeclared].join(', ')} at run time: bundle it or declare it in (optional) dependencies`,
    );
}

/** Whether every bundle exists and is newer than all it was made from. */
async function upToDate(): Promise<boolean> {
  try {
    const built = (await stat(STAMP)).mtimeMs;
    const stamp = JSON.parse(await readFile(STAMP, 'utf8')) as Stamp;
    for (const bundle of BUNDLES)
      for (const entry of bundle.entries) await stat(path.join(bundle.outdir, `${path.basename(entry)}.js`));
    const sources = await Promise.all([...stamp.inputs, ...BUILD_FILES].map((file) => stat(file)));
    return sources.every((source) => source.mtimeMs <= built);
  } catch {
    return false;
  }
}
