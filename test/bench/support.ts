import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AwsClients, CaptureEngine, LocalKeySealer, registry, VersionStore } from '@tidemark/core';
import { SimulatedAccount } from '@tidemark/core/simulation';

/** The repository root: two folders above this one. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** One measured figure. */
export interface Metric {
  readonly name: string;
  readonly value: number | string;
  /** `ms`, `/s`, `bytes`, `calls`… or empty for plain counts. */
  readonly unit?: string;
  readonly note?: string;
}

/** A property the bench requires ("must"); a violated one makes the bench exit non-zero. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly actual: string;
}

/** What one scenario reports. */
export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  /** What the scenario measures and how, printed above its table. */
  readonly notes: readonly string[];
  readonly metrics: readonly Metric[];
  readonly checks: readonly Check[];
  /** Structured extras for the JSON output (call counts by operation, per-run timings…). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A bench module: one file per scenario, run in turn by `run.ts`. */
export interface BenchScenario {
  readonly id: string;
  readonly title: string;
  run(log: (line: string) => void): Promise<ScenarioResult>;
}

/** Collects metrics and checks of one scenario, in the order they are added. */
export class Report {
  readonly metrics: Metric[] = [];
  readonly checks: Check[] = [];
  readonly notes: string[] = [];
  readonly details: Record<string, unknown> = {};

  metric(name: string, value: number | string, unit = '', note?: string): void {
    this.metrics.push({ name, value, unit, ...(note ? { note } : {}) });
  }

  /** Records a "must": `actual` is what was seen. */
  must(name: string, ok: boolean, actual: string | number): void {
    this.checks.push({ name, ok, actual: String(actual) });
  }

  note(text: string): void {
    this.notes.push(text);
  }

  result(id: string, title: string): ScenarioResult {
    return {
      id,
      title,
      notes: this.notes,
      metrics: this.metrics,
      checks: this.checks,
      details: this.details,
    };
  }
}

/** Milliseconds since an arbitrary origin, sub-millisecond. */
export function now(): number {
  return performance.now();
}

/** Runs `fn` once and returns its result with how long it took. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; result: T }> {
  const start = now();
  const result = await fn();
  return { ms: now() - start, result };
}

/** Timings of repeated runs: the median of `runs` after `warmup` unmeasured runs. */
export interface Repeated<T> {
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  readonly result: T;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times measured; returns the median and the last result. */
export async function repeated<T>(
  fn: () => T | Promise<T>,
  {
    runs = 3,
    warmup = 1,
    onRun,
  }: { runs?: number; warmup?: number; onRun?: (ms: number, warmup: boolean) => void } = {},
): Promise<Repeated<T>> {
  for (let i = 0; i < warmup; i++) onRun?.((await timed(fn)).ms, true);
  const runsMs: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const run = await timed(fn);
    onRun?.(run.ms, false);
    runsMs.push(run.ms);
    result = run.result;
  }
  return { medianMs: median(runsMs), runsMs, result: result as T };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Rounds for display and JSON: ms to 0.1, rates to whole numbers. */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Per-second rate of `count` things done in `ms`. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? Math.round((count * 1000) / ms) : 0;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** A fresh temporary folder under the OS temp folder, removed after `fn` whatever happens. */
export async function withTempDir<T>(prefix: string, fn: (folder: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(path.join(tmpdir(), `tidemark-bench-${prefix}-`));
  try {
    return await fn(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** A simulated account, a store in a temporary folder, and the real capture engine over both. */
export interface SimulatedRig {
  readonly account: SimulatedAccount;
  readonly store: VersionStore;
  readonly engine: CaptureEngine;
}

/** Starts a simulated account and an engine over a fresh store in `folder`; stops and closes both after `fn`. */
export async function withSimulatedRig<T>(
  folder: string,
  scale: { objects: number; functions: number },
  fn: (rig: SimulatedRig) => Promise<T>,
): Promise<T> {
  const account = await SimulatedAccount.start({ scale });
  try {
    const store = await VersionStore.open(path.join(folder, 'store'));
    try {
      const engine = await CaptureEngine.create({
        store,
        clients: new AwsClients(),
        sealer: new LocalKeySealer(randomBytes(32)),
        registry,
      });
      return await fn({ account, store, engine });
    } finally {
      store.close();
    }
  } finally {
    await account.stop();
  }
}

/** Call counts without the total, largest first, as `Name n, Name n…`. */
export function describeCalls(
  counts: Readonly<Record<string, number>>,
  limit = Number.POSITIVE_INFINITY,
): string {
  const entries = Object.entries(counts)
    .filter(([name]) => name !== 'total')
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const shown = entries.slice(0, limit).map(([name, count]) => `${name} ${count}`);
  if (entries.length > limit) shown.push(`… ${entries.length - limit} more`);
  return shown.join(', ');
}

/** The results as a plain-text table per scenario. */
export function formatResults(results: readonly ScenarioResult[]): string {
  const lines: string[] = [];
  for (const scenario of results) {
    lines.push('', `== ${scenario.title} ==`);
    for (const note of scenario.notes) lines.push(`   ${note}`);
    const rows = scenario.metrics.map((metric) => [
      metric.name,
      typeof metric.value === 'number' ? metric.value.toLocaleString('en-US') : metric.value,
      metric.unit ?? '',
      metric.note ?? '',
    ]);
    const widths = [0, 1, 2].map((column) =>
      Math.max(...rows.map((row) => (row[column] as string).length), column === 0 ? 6 : 5),
    );
    const [nameWidth, valueWidth, unitWidth] = widths as [number, number, number];
    lines.push(
      `   ${'metric'.padEnd(nameWidth)}  ${'value'.padStart(valueWidth)}  ${'unit'.padEnd(unitWidth)}  note`,
    );
    lines.push(`   ${'-'.repeat(nameWidth)}  ${'-'.repeat(valueWidth)}  ${'-'.repeat(unitWidth)}  ----`);
    for (const [name, value, unit, note] of rows as [string, string, string, string][])
      lines.push(
        `   ${name.padEnd(nameWidth)}  ${value.padStart(valueWidth)}  ${unit.padEnd(unitWidth)}  ${note}`.trimEnd(),
      );
    for (const check of scenario.checks)
      lines.push(`   [${check.ok ? 'ok' : 'FAIL'}] must: ${check.name} (actual: ${check.actual})`);
  }
  return lines.join('\n');
}
