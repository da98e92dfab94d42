import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin, bundleMetafile, CLI_PACKAGE } from './support/built-cli.js';
import { CliHarness } from './support/cli.js';
import { startSimulatedUser } from './support/fixtures.js';
import { nodeBinary, runNode } from './support/node-runtime.js';
import { REPO_ROOT } from './support/repo.js';

const execFileAsync = promisify(execFile);
const PAGE = 'AWS::S3::Object:queenofsandiego.com/index.html';

/** The type declarations the tarball ships: the public entry (`main`, `Io`, `ExitCode`) and what it names. */
const DECLARATIONS = ['dist/exit-code.d.ts', 'dist/index.d.ts', 'dist/io.d.ts', 'dist/main.d.ts'];

/**
 * The environment for npm in a folder of its own: none of the `npm_*` variables an `npm test` run passes down
 * (they would point npm at this repository), no NODE_OPTIONS.
 */
function npmEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE_OPTIONS'),
  );
}

interface PackedFile {
  readonly path: string;
  readonly mode: number;
}

/**
 * `npm pack` of the CLI, installed into an empty folder from npm's cache (as `npm ci` filled it), then run: what
 * users get. better-sqlite3 compiles from source there (no prebuilt binary offline): a minute or two.
 */
describe('the packed tidemark CLI', () => {
  let folder: string;
  let tarball: string;
  let packed: PackedFile[];
  let installed: string;
  let harness: CliHarness;

  beforeAll(async () => {
    await builtBin();
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-pack-'));
    // Built just above (one build at a time across test files): no prepack build here.
    const { stdout } = await execFileAsync(
      'npm',
      ['pack', '--json', '--ignore-scripts', '--pack-destination', folder],
      { cwd: CLI_PACKAGE, env: npmEnvironment() },
    );
    const [report] = JSON.parse(stdout) as [{ filename: string; files: PackedFile[] }];
    tarball = path.join(folder, report.filename);
    packed = report.files;

    installed = path.join(folder, 'project');
    await mkdir(installed);
    await writeFile(
      path.join(installed, 'package.json'),
      `${JSON.stringify({ name: 'tidemark-pack-check', private: true, type: 'module' })}\n`,
    );
    await execFileAsync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
      cwd: installed,
      env: npmEnvironment(),
      timeout: 600_000,
    });

    harness = await CliHarness.create();
    const user = await startSimulatedUser();
    try {
      await harness.json('baseline', '--label', 'v1.0');
    } finally {
      await user.stop();
    }
  }, 900_000);
  afterAll(async () => {
    await harness?.dispose();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('holds the bin, the bundle (command, library entry, chunks), the public types and the README, and nothing else', async () => {
    const metafile = await bundleMetafile();
    const bundled = Object.keys(metafile.outputs).filter((output) => !output.startsWith('dist/demo/'));

    expect(packed.map((file) => file.path).sort()).toEqual(
      ['README.md', 'bin/tidemark.js', 'package.json', ...bundled, ...DECLARATIONS].sort(),
    );
    expect(packed.find((file) => file.path === 'bin/tidemark.js')?.mode).toBe(0o755);
  });

  it('declares only what the bundle leaves out, at the versions the lockfile pins: better-sqlite3, optional', async () => {
    const manifest = JSON.parse(
      await readFile(path.join(installed, 'node_modules', '@tidemark', 'cli', 'package.json'), 'utf8'),
    ) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
      private?: boolean;
    };
    const lock = JSON.parse(await readFile(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };

    expect(manifest.private).toBeUndefined();
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toEqual({
      'better-sqlite3': lock.packages['node_modules/better-sqlite3']?.version,
    });
  });

  it('installs in an empty folder and runs: help, and a query of a local store', async () => {
    const bin = path.join(installed, 'node_modules', '.bin', 'tidemark');
    const env = { PATH: process.env.PATH ?? '', HOME: folder };

    const help = await runNode(bin, ['--help'], { env, cwd: installed });
    const history = await runNode(bin, ['--store', harness.store, 'history', PAGE], { env, cwd: installed });

    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: tidemark/);
    expect(history).toMatchObject({ code: 0, stderr: '' });
    expect(history.stdout).toMatch(
      /^AWS::S3::Object queenofsandiego\.com\/index\.html \(us-east-1\): 1 versions\n/,
    );
  });

  it('runs the installed copy on Node 24, whose index needs no native module (better-sqlite3 was built for Node 20)', async () => {
    const node24 = await nodeBinary(24);
    const bin = path.join(installed, 'node_modules', '@tidemark', 'cli', 'dist', 'tidemark.js');

    const history = await runNode(node24, [bin, '--store', harness.store, 'history', PAGE], {
      env: { PATH: process.env.PATH ?? '', HOME: folder },
    });

    expect(history).toMatchObject({ code: 0, stderr: '' });
    expect(history.stdout).toMatch(/: 1 versions\n/);
  }, 300_000);

  it('can be imported and type-checked as a library: main, Io, ExitCode', async () => {
    const consumer = path.join(installed, 'consumer.ts');
    await writeFile(
      consumer,
      [
        "import { ExitCode, type Io, main } from '@tidemark/cli';",
        'const lines: string[] = [];',
        'const io: Io = { out: (line = "") => lines.push(line), err: () => {}, interactive: false, progress: () => {} };',
        "const code: number = await main(['node', 'tidemark', '--help'], io);",
        'if (code !== ExitCode.OK || !lines[0]?.startsWith("Usage: tidemark")) throw new Error(String(code));',
        'export {};',
        '',
      ].join('\n'),
    );
    const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const options = [
      '--strict',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
    ];

    await execFileAsync(process.execPath, [tsc, '--noEmit', ...options, consumer], { cwd: installed });
    await execFileAsync(process.execPath, [tsc, ...options, '--outDir', installed, consumer], {
      cwd: installed,
    });
    const run = await runNode(process.execPath, [path.join(installed, 'consumer.js')], {
      env: { PATH: process.env.PATH ?? '' },
      cwd: installed,
    });

    expect(run).toMatchObject({ code: 0, stderr: '' });
  });
});
