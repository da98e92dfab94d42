import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runNode } from './node-runtime.js';
import { type BuiltFunction, handlerExport, handlerFile } from './sst-build.js';

const DRIVER = path.join(import.meta.dirname, 'invoke-handler.mjs');

/** One cold start of a built handler: its import, its first invocation, what it returned. */
export interface ColdStart<T> {
  /** Loading the handler's file (the bundle and everything it imports at the top). */
  readonly importMs: number;
  /** The first invocation, from the call until its promise settled. */
  readonly invokeMs: number;
  /** The whole process, from spawn to exit (Node's own start included). */
  readonly processMs: number;
  readonly result: T;
}

/** A built handler that did not load, or whose first invocation failed, with what its process printed. */
export class ColdStartError extends Error {
  override readonly name = 'ColdStartError';
  /** `import` when the handler's file did not load, `invoke` when the invocation failed. */
  readonly stage: 'import' | 'invoke';
  readonly errorName: string;
  readonly output: string;

  constructor(
    fn: BuiltFunction,
    stage: 'import' | 'invoke',
    error: { name: string; message: string; code?: string },
    output: string,
  ) {
    super(
      `${fn.stack} ${fn.logicalId}: ${stage === 'import' ? 'the handler did not load' : 'the first invocation failed'}: ${error.name}${error.code ? ` ${error.code}` : ''}: ${error.message}${output ? `\n${output}` : ''}`,
    );
    this.stage = stage;
    this.errorName = error.name;
    this.output = output;
  }
}

/**
 * The environment Lambda gives a function's process, around `variables` (the function's own): region, name,
 * memory, and the execution environment naming its runtime. Nothing of the caller's environment but `PATH`.
 */
export function lambdaEnvironment(fn: BuiltFunction, variables: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LAMBDA_TASK_ROOT: fn.asset,
    ...variables,
  };
}

/**
 * Starts a fresh process of `binary` in the function's asset folder (as Lambda's task root), loads the file its
 * `Handler` names and invokes the handler once with `event`, as Lambda's Node runtime does on a cold start.
 * Rejects with a {@link ColdStartError} when the handler does not load or its invocation fails.
 *
 * @example
 * const node24 = await nodeBinary(24);
 * const { result } = await coldStart(node24, consumer, sqsEvent, lambdaEnvironment(consumer, variables));
 */
export async function coldStart<T>(
  binary: string,
  fn: BuiltFunction,
  event: unknown,
  env: NodeJS.ProcessEnv,
  options: { readonly timeoutMs?: number } = {},
): Promise<ColdStart<T>> {
  const file = handlerFile(fn);
  if (!file) throw new Error(`${fn.stack} ${fn.logicalId}: no file in its asset for Handler ${fn.handler}`);
  const folder = await mkdtemp(path.join(tmpdir(), 'tidemark-cold-start-'));
  try {
    const resultFile = path.join(folder, 'result.json');
    const timeoutMs = options.timeoutMs ?? 120_000;
    const run = await runNode(
      binary,
      [DRIVER, JSON.stringify({ file, name: handlerExport(fn), event, resultFile, timeoutMs })],
      { env, cwd: fn.asset, timeoutMs: timeoutMs + 10_000 },
    );
    const output = `${run.stdout}${run.stderr}`.trim();
    const outcome = await readFile(resultFile, 'utf8').then(
      (text) =>
        JSON.parse(text) as {
          importMs?: number;
          invokeMs?: number;
          result?: T;
          error?: { name: string; message: string; code?: string };
        },
      () => undefined,
    );
    if (!outcome)
      throw new ColdStartError(
        fn,
        'import',
        {
          name: 'Exit',
          message: `the process ended (code ${run.code}, signal ${run.signal}) with no result`,
        },
        output,
      );
    if (outcome.error)
      throw new ColdStartError(
        fn,
        outcome.importMs === undefined ? 'import' : 'invoke',
        outcome.error,
        output,
      );
    return {
      importMs: outcome.importMs as number,
      invokeMs: outcome.invokeMs as number,
      processMs: run.ms,
      result: outcome.result as T,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
