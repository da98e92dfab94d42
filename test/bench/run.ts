/**
 * `npm run bench [-- scenario…]`: runs the bench scenarios in turn (all by default; or those named, e.g.
 * `npm run bench -- queries`), prints a table of results, writes them as JSON to
 * `.tidemark/bench/results.json`, and exits 1 when a "must" was violated (after printing everything).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, homedir, platform, release, tmpdir } from 'node:os';
import path from 'node:path';

// Modules that load the AWS SDK are imported only now, after the environment above is set.
const { formatResults, REPO_ROOT, round } = await import('./support.js');
const { baselineBench } = await import('./baseline.bench.js');
const { eventsBench } = await import('./events.bench.js');
const { queriesBench } = await import('./queries.bench.js');
const { consumerBench } = await import('./consumer.bench.js');
const { refreshBench } = await import('./refresh.bench.js');
const { cliBench } = await import('./cli.bench.js');
const { reliabilityBench } = await import('./reliability.bench.js');
const { alertsBench } = await import('./alerts.bench.js');
const { restoreBench } = await import('./restore.bench.js');

type ScenarioResult = import('./support.js').ScenarioResult;

const scenarios = [
  baselineBench,
  eventsBench,
  queriesBench,
  consumerBench,
  refreshBench,
  cliBench,
  reliabilityBench,
  alertsBench,
  restoreBench,
];
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((id) => !scenarios.some((scenario) => scenario.id === id));
if (unknown.length > 0) {
  console.error(`unknown scenario ${unknown.join(', ')}; known: ${scenarios.map((s) => s.id).join(', ')}`);
  process.exit(2);
}
const selected = wanted.length > 0 ? scenarios.filter((scenario) => wanted.includes(scenario.id)) : scenarios;

/** Text without this machine's folders (temporary stores, the repository, the home folder) in it. */
function scrub(text: string): string {
  return [
    [tmpdir(), '<tmpdir>'],
    [REPO_ROOT, '<repo>'],
    [homedir(), '~'],
  ].reduce((out, [folder, name]) => (folder && folder.length > 1 ? out.split(folder).join(name) : out), text);
}

const startedAt = new Date();
const results: ScenarioResult[] = [];
const errors: Array<{ scenario: string; error: string }> = [];
for (const scenario of selected) {
  const started = performance.now();
  console.error(`[bench] ${scenario.title}`);
  try {
    const result = await scenario.run((line) =>
      console.error(`[bench:${scenario.id} +${round((performance.now() - started) / 1000)}s] ${line}`),
    );
    results.push(result);
    console.error(`[bench] ${scenario.id} done in ${round((performance.now() - started) / 1000)} s`);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    errors.push({ scenario: scenario.id, error: message });
    console.error(`[bench] ${scenario.id} FAILED: ${message}`);
  }
}
/** Since the process started: the whole bench, module loading included. */
const durationMs = performance.now();

const environment = {
  node: process.version,
  platform: `${platform()} ${release()}`,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
};
console.log(
  `Tidemark bench: ${startedAt.toISOString()}, Node ${environment.node}, ${environment.cores} cores (${environment.cpu})`,
);
console.log(scrub(formatResults(results)));

const violated = results.flatMap((result) =>
  result.checks
    .filter((check) => !check.ok)
    .map((check) => `${result.id}: ${check.name} (actual: ${check.actual})`),
);
const file = path.join(REPO_ROOT, '.tidemark', 'bench', 'results.json');
await mkdir(path.dirname(file), { recursive: true });
await writeFile(
  file,
  `${scrub(
    JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        durationMs: round(durationMs),
        environment,
        ok: violated.length === 0 && errors.length === 0,
        violated,
        errors,
        scenarios: results,
      },
      null,
      2,
    ),
  )}\n`,
);
console.log('');
console.log(
  `Total ${round(durationMs / 1000)} s. Results written to ${path.relative(process.cwd(), file) || file}.`,
);
for (const line of violated) console.log(scrub(`MUST VIOLATED: ${line}`));
for (const { scenario } of errors) console.log(`SCENARIO FAILED: ${scenario} (see stderr)`);
process.exitCode = violated.length > 0 || errors.length > 0 ? 1 : 0;
