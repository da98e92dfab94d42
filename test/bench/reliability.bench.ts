import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { withoutNodeOptions } from '../support/node-runtime.js';
import { type BenchScenario, REPO_ROOT, Report, round, withTempDir } from './support.js';

const execFileAsync = promisify(execFile);

/** The large variants: what `npm test` runs, this many times over (or this many cases). */
const LARGE = { TAMPER_CASES: '5000', CRASH_CASES: '400', INPUT_SCALE: '10' } as const;

/** What vitest's JSON reporter writes of one test. */
interface TestResult {
  readonly fullName: string;
  readonly status: string;
  readonly duration?: number;
}

/**
 * `npm run bench -- reliability`: the reliability suite of `npm test` (`test/reliability/`) in its large variants:
 * 5,000 tamper cases, 400 kills, ten times the malformed inputs; each test's outcome and time, and the tamper
 * suite's summary line.
 */
export const reliabilityBench: BenchScenario = {
  id: 'reliability',
  title: `Reliability suite, large variants (${Object.entries(LARGE)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ')})`,
  async run(log) {
    const out = new Report();
    out.note(
      'Runs `vitest run test/reliability` with the variables above; each test passes or fails as in `npm test`.',
    );
    await withTempDir('reliability', async (folder) => {
      const report = path.join(folder, 'results.json');
      log('running the suite (tens of minutes)…');
      const started = performance.now();
      // Vitest prints what tests log on either stream, depending on the reporter: both are searched.
      const { stdout, stderr } = await execFileAsync(
        process.execPath,
        [
          path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
          'run',
          'test/reliability',
          '--reporter=json',
          `--outputFile=${report}`,
          '--testTimeout=3600000',
        ],
        {
          cwd: REPO_ROOT,
          env: { ...withoutNodeOptions(process.env), ...LARGE },
          maxBuffer: 256 * 2 ** 20,
        },
      ).catch((error: Error & { stdout?: string; stderr?: string }) => ({
        stdout: error.stdout ?? '',
        stderr: error.stderr ?? '',
      }));
      out.metric('whole suite', round((performance.now() - started) / 1000), 's');
      const results = JSON.parse(await readFile(report, 'utf8')) as {
        testResults: Array<{ assertionResults: TestResult[] }>;
      };
      for (const test of results.testResults.flatMap((file) => file.assertionResults)) {
        out.metric(test.fullName, round((test.duration ?? 0) / 1000, 1), 's', test.status);
        out.must(test.fullName, test.status === 'passed', test.status);
      }
      const tamper = /tamper suite \(seed \d+\): .*/.exec(`${stdout}\n${stderr}`)?.[0];
      if (tamper) out.note(tamper);
    });
    return out.result(this.id, this.title);
  },
};
