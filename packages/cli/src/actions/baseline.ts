import {
  type BaselineReport,
  type CaptureOutcome,
  runBaseline,
  selectDefinitions,
} from '@tidemark/core/capture';
import { registry } from '@tidemark/core/resources';
import type { Action } from '../command.js';
import type { BaselineOptions } from '../commands/baseline.js';
import { objectSelection, tableItemSettings } from '../commands/options.js';
import { ExitCode } from '../exit-code.js';
import type { Io } from '../io.js';
import { formatBytes, formatDuration, table } from '../render/format.js';
import { renderGaps } from '../render/gaps.js';
import { printable } from '../render/printable.js';

/** `tidemark baseline`. */
export const baseline: Action<BaselineOptions> = async ({ session, options, io }) => {
  const regions = session.regions();
  // An unknown type is bad input: refused before any store is opened or any AWS call is made.
  if (options.types) selectDefinitions(registry, options.types);
  const progress = new CaptureProgress(io);
  const engine = await session.engine({
    objects: objectSelection(options),
    tableItems: tableItemSettings(options),
    lightsailSnapshots: options.lightsailSnapshots === true,
    onCapture: (outcome) => progress.add(outcome),
  });
  const report = await runBaseline(engine, {
    regions,
    ...(options.label ? { label: options.label } : {}),
    ...(options.types ? { types: options.types } : {}),
  });
  progress.done();
  if (options.json) io.out(JSON.stringify(report, null, 2));
  else renderBaseline(io, report);
  return report.manifest ? ExitCode.OK : ExitCode.FAILED;
};

/** Counts captures as they finish and shows them: in place on a terminal, a line every few seconds otherwise. */
class CaptureProgress {
  readonly #io: Io;
  readonly #counts = new Map<string, number>();
  #total = 0;
  #lastShown = Date.now();

  constructor(io: Io) {
    this.#io = io;
  }

  add(outcome: CaptureOutcome): void {
    const type = outcome.resource.type.replace(/^AWS::/, '');
    this.#counts.set(type, (this.#counts.get(type) ?? 0) + 1);
    this.#total++;
    const now = Date.now();
    const interval = this.#io.interactive ? 100 : 5000;
    if (now - this.#lastShown < interval) return;
    this.#lastShown = now;
    const line = `capturing… ${this.#total} resources (${[...this.#counts].map(([t, n]) => `${t} ${n}`).join(', ')})`;
    if (this.#io.interactive) this.#io.progress(line);
    else this.#io.err(line);
  }

  done(): void {
    if (this.#io.interactive) this.#io.progress('');
  }
}

function renderBaseline(io: Io, report: BaselineReport): void {
  const head = report.manifest ? `Baseline ${report.label}` : `Baseline ${report.label} captured nothing`;
  io.out(
    printable(
      `${head} of account ${report.account} (${report.regions.join(', ')}) in ${formatDuration(report.durationMs)}`,
    ),
  );
  io.out();
  const rows = Object.entries(report.byType)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([type, t]) => [
      type,
      `${t.resources}`,
      `${t.newVersions}`,
      `${t.deleted}`,
      `${t.unchanged}`,
      `${t.gaps}`,
      `${t.failed}`,
    ]);
  for (const line of table([['TYPE', 'RESOURCES', 'NEW', 'DELETED', 'UNCHANGED', 'GAPS', 'FAILED'], ...rows]))
    io.out(`  ${line}`);
  io.out();
  const { downloaded, stored, deduplicated } = report.bytes;
  io.out(
    `  downloaded ${formatBytes(downloaded)} · stored ${formatBytes(stored)} · deduplicated ${formatBytes(deduplicated)}`,
  );
  renderGaps(io, report.gaps);
  for (const failure of report.failures)
    io.out(`  failed  ${printable(`${failure.resource.type} ${failure.resource.id}: ${failure.error}`)}`);
  if (report.manifest)
    io.out(
      `  manifest #${report.manifest.seq} sha256:${report.manifest.hash.slice(0, 16)}… (${report.manifest.entries} resources)`,
    );
}
