import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AwsClients, CaptureEngine, LocalKeySealer, registry, VersionStore } from '@tidemark/core';
import { SimulatedAccount, type SimulatedScale } from '@tidemark/simulation';
import { REPO_ROOT } from '../support/repo.js';
import { median } from './stats.js';

/** The repository root: two folders above this one. */
export { median, REPO_ROOT };

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

/** The bound a goal sets on a measured figure: strictly under or over it, or at most or at least it. */
export type GoalBound =
  | { readonly below: number }
  | { readonly atMost: number }
  | { readonly atLeast: number }
  | { readonly above: number };

/**
 * A figure the project aims for (an issue's "peak RSS under 150 MB"): printed next to the measurement and marked
 * when missed, never a failure of the bench (unlike a {@link Check}); a slow machine misses goals, it breaks no must.
 */
export interface Goal {
  readonly name: string;
  readonly measured: number;
  readonly unit: string;
  /** `< 150 MB`, `≥ 100 MB/s`. */
  readonly goal: string;
  readonly met: boolean;
}

const GOAL_BOUNDS = {
  below: { sign: '<', met: (value: number, bound: number) => value < bound },
  atMost: { sign: '≤', met: (value: number, bound: number) => value <= bound },
  atLeast: { sign: '≥', met: (value: number, bound: number) => value >= bound },
  above: { sign: '>', met: (value: number, bound: number) => value > bound },
} as const;

/** What one scenario reports. */
export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  /** What the scenario measures and how, printed above its table. */
  readonly notes: readonly string[];
  readonly metrics: readonly Metric[];
  readonly checks: readonly Check[];
  /** The goals measured, met or missed (also shown as metrics). */
  readonly goals?: readonly Goal[];
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
  readonly goals: Goal[] = [];
  readonly notes: string[] = [];
  readonly details: Record<string, unknown> = {};

  metric(name: string, value: number | string, unit = '', note?: string): void {
    this.metrics.push({ name, value, unit, ...(note ? { note } : {}) });
  }

  /** Records a "must": `actual` is what was seen. */
  must(name: string, ok: boolean, actual: string | number): void {
    this.checks.push({ name, ok, actual: String(actual) });
  }

  /**
   * Records a measured figure with the goal it is held to, as a metric whose note shows the goal and `MISSED`
   * when it is not met (followed by `notes`), and in {@link ScenarioResult.goals}. Never fails the bench.
   */
  goal(name: string, measured: number, unit: string, bound: GoalBound, notes: readonly string[] = []): Goal {
    const [kind, value] = Object.entries(bound)[0] as [keyof typeof GOAL_BOUNDS, number];
    const { sign, met: meets } = GOAL_BOUNDS[kind];
    const goal: Goal = {
      name,
      measured,
      unit,
      goal: `${sign} ${value.toLocaleString('en-US')}${unit ? ` ${unit}` : ''}`,
      met: meets(measured, value),
    };
    this.goals.push(goal);
    this.metric(
      name,
      measured,
      unit,
      [`goal ${goal.goal}${goal.met ? '' : ': MISSED'}`, ...notes].join('; '),
    );
    return goal;
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
      goals: this.goals,
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
  /** The engine's sealer: what a live read or a restore needs beside it. */
  readonly sealer: LocalKeySealer;
}

/** Starts a simulated account and an engine over a fresh store in `folder`; stops and closes both after `fn`. */
export async function withSimulatedRig<T>(
  folder: string,
  scale: SimulatedScale,
  fn: (rig: SimulatedRig) => Promise<T>,
): Promise<T> {
  const account = await SimulatedAccount.start({ scale });
  try {
    const store = await VersionStore.open(path.join(folder, 'store'));
    try {
      const sealer = new LocalKeySealer(randomBytes(32));
      const engine = await CaptureEngine.create({ store, clients: new AwsClients(), sealer, registry });
      return await fn({ account, store, engine, sealer });
    } finally {
      store.close();
    }
  } finally {
    await account.stop();
  }
}

/** The key of the simulated account's `i`-th generated object (`scale.objects`), in its media bucket. */
export function generatedObjectKey(i: number): string {
  return `generated/batch-${String(Math.floor(i / 100)).padStart(3, '0')}/object-${String(i).padStart(6, '0')}.bin`;
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
    for (const goal of scenario.goals ?? [])
      lines.push(
        `   [${goal.met ? 'met' : 'MISSED'}] goal: ${goal.name} ${goal.goal} (measured: ${goal.measured.toLocaleString('en-US')}${goal.unit ? ` ${goal.unit}` : ''})`,
      );
    for (const check of scenario.checks)
      lines.push(`   [${check.ok ? 'ok' : 'FAIL'}] must: ${check.name} (actual: ${check.actual})`);
  }
  return lines.join('\n');
}

/**
 * A size a scenario uses, from `TIDEMARK_BENCH_<name>` when set (to run a smaller or larger bench), else
 * `fallback`; an Error when the variable is not a positive integer.
 */
export function benchSize(name: string, fallback: number): number {
  const variable = `TIDEMARK_BENCH_${name}`;
  const value = process.env[variable];
  if (value === undefined || value === '') return fallback;
  const size = Number(value);
  if (!Number.isInteger(size) || size <= 0)
    throw new Error(`${variable} must be a positive integer, received ${value}`);
  return size;
}

/** Sets environment variables for the time of `fn`, then gives every one its previous value (or none) back. */
export async function withEnvironment<T>(
  variables: Record<string, string>,
  fn: () => Promise<T>,
): Promise<T> {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  try {
    return await fn();
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** Counts of the HTTP requests this process sent to one server, by operation, and their total. */
export interface RequestCounter {
  /** The counts since the start or the last reset. */
  counts(): Record<string, number> & { total: number };
  /** Starts counting from zero. */
  reset(): void;
  /** Stops counting. */
  stop(): void;
}

/**
 * Counts the HTTP requests this process starts to `endpoint` (`http://host:port`), retries included, named by
 * `operation` — cheaply, from Node's `http.client.request.start` diagnostics channel, whichever client sends them.
 */
export function countRequests(
  endpoint: string,
  operation: (request: ClientRequest) => string,
): RequestCounter {
  const host = new URL(endpoint).host;
  let counts = new Map<string, number>();
  const onStart = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    if (request.getHeader('host') !== host) return;
    const name = operation(request);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  };
  diagnosticsChannel.subscribe('http.client.request.start', onStart);
  return {
    counts: () => {
      const snapshot = Object.fromEntries(counts);
      return { ...snapshot, total: Object.values(snapshot).reduce((sum, count) => sum + count, 0) };
    },
    reset: () => {
      counts = new Map();
    },
    stop: () => diagnosticsChannel.unsubscribe('http.client.request.start', onStart),
  };
}

/** The S3 operation of a REST request, as far as a benchmark needs it (GET, LIST, HEAD, PUT and multipart). */
export function s3Operation(request: ClientRequest): string {
  const query = new URLSearchParams(request.path.split('?')[1] ?? '');
  if (request.method === 'GET') return query.has('list-type') ? 'ListObjectsV2' : 'GetObject';
  if (request.method === 'HEAD') return 'HeadObject';
  if (request.method === 'PUT') return query.has('partNumber') ? 'UploadPart' : 'PutObject';
  if (request.method === 'POST')
    return query.has('uploads') ? 'CreateMultipartUpload' : 'CompleteMultipartUpload';
  return request.method;
}

/** The SQS operation of a JSON-protocol request (`X-Amz-Target: AmazonSQS.ReceiveMessage`). */
export function sqsOperation(request: ClientRequest): string {
  return String(request.getHeader('x-amz-target') ?? request.method).replace(/^AmazonSQS\./, '');
}

/**
 * Runs a bench child script alone in its process, so that its time and peak RSS are its own, with `request` as
 * JSON in argv[2]; returns the JSON of the last line it printed. A `.ts` script runs through tsx; a bundle (`.js`,
 * `.mjs`) with plain Node, as the built CLI and the Lambda functions run.
 */
export async function runBenchChild<T>(
  script: string,
  request: unknown,
  nodeFlags: readonly string[] = [],
): Promise<T> {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeFlags, ...loader, script, JSON.stringify(request)], {
    cwd: REPO_ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = stdout.trim().split('\n').at(-1);
  if (code !== 0 || !line) throw new Error(`${path.basename(script)} exited with code ${code}`);
  return JSON.parse(line) as T;
}
