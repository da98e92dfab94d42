import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { builtBin, CLI_PACKAGE } from '../support/built-cli.js';
import { type NodeRun, runNode, withoutNodeOptions } from '../support/node-runtime.js';
import { type BenchScenario, median, Report, round, withTempDir } from './support.js';

const execFileAsync = promisify(execFile);

/** Wall time from spawn to exit the issue sets for `--help` and for `history` of one resource. */
const GOAL_SECONDS = 0.3;
const WARMUP = 1;
const RUNS = 9;
const PAGE = 'AWS::S3::Object:queenofsandiego.com/index.html';
/** Loaded through NODE_OPTIONS: writes the process's own CPU time and peak RSS when it exits. */
const USAGE_REPORTER = path.join(import.meta.dirname, 'process-usage.mjs');
const DEMO = path.join(CLI_PACKAGE, 'dist', 'demo', 'demo.js');

/** One run of a command: wall time seen from here, CPU time and peak RSS reported by the process itself. */
interface CommandRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssBytes: number;
}

/**
 * `npm run bench -- cli`: start-up of the built `tidemark` command as users run it (its bin, in a fresh process
 * each time): `--help`, and `history` of one resource of the demo's store (built by running the demo in a
 * temporary folder).
 */
export const cliBench: BenchScenario = {
  id: 'cli',
  title: 'tidemark command start-up (built bin, --help and history)',
  async run(log) {
    const out = new Report();
    log('building the CLI if it is out of date');
    const bin = await builtBin();
    return withTempDir('cli', async (folder) => {
      log('running the demo to make its store');
      await execFileAsync(process.execPath, [DEMO], { cwd: folder, env: withoutNodeOptions(process.env) });
      const store = path.join(folder, '.tidemark', 'demo', 'store');
      const env = { PATH: process.env.PATH ?? '', HOME: folder };
      out.note(
        `Each command runs ${RUNS} times after ${WARMUP} unmeasured run, as a fresh process of the bin (its shebang picks Node from PATH).`,
      );
      out.note(
        'Wall time from spawn to exit; CPU time (user + system) and peak RSS as the process reports them.',
      );

      const node = await measure(process.execPath, ['-e', '0'], env, folder, 'node -e 0', log);
      out.metric("node's own start (node -e 0), median wall", round(node.wallMs), 'ms', 'for reference');
      for (const [name, args] of [
        ['tidemark --help', ['--help']],
        [`tidemark history ${PAGE}`, ['--store', store, 'history', PAGE]],
      ] as const) {
        const runs = await measure(bin, args, env, folder, name, log);
        out.goal(`${name}, median wall`, round(runs.wallMs / 1000, 3), 's', { below: GOAL_SECONDS });
        out.metric('  median CPU time', round(runs.cpuMs), 'ms');
        out.metric('  median peak RSS', round(runs.peakRssBytes / 2 ** 20), 'MiB');
        out.details[name] = runs.all;
      }
      return out.result('cli', cliBench.title);
    });
  },
};

/** Runs `binary args` WARMUP + RUNS times; the medians of the measured runs, and every run. */
async function measure(
  binary: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  folder: string,
  name: string,
  log: (line: string) => void,
): Promise<CommandRun & { all: CommandRun[] }> {
  const all: CommandRun[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const report = path.join(folder, 'usage.json');
    const result = await runNode(binary, args, {
      env: { ...env, NODE_OPTIONS: `--import=${USAGE_REPORTER}`, TIDEMARK_USAGE_REPORT: report },
      cwd: folder,
    });
    if (result.code !== 0) throw new Error(`${name} exited ${result.code}: ${describe(result)}`);
    const usage = JSON.parse(await readFile(report, 'utf8')) as { cpuMs: number; peakRssBytes: number };
    await rm(report);
    if (i >= WARMUP) all.push({ wallMs: result.ms, ...usage });
  }
  const run = {
    wallMs: median(all.map((r) => r.wallMs)),
    cpuMs: median(all.map((r) => r.cpuMs)),
    peakRssBytes: median(all.map((r) => r.peakRssBytes)),
  };
  log(`${name}: median ${round(run.wallMs)} ms wall, ${round(run.cpuMs)} ms CPU`);
  return { ...run, all };
}

function describe(result: NodeRun): string {
  return (result.stderr || result.stdout).trim().split('\n').slice(0, 5).join(' / ');
}
