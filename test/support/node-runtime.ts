import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The Node of Lambda's `nodejs24.x`. */
export const LAMBDA_NODE_MAJOR = 24;

/**
 * The Node major version of a Lambda Node.js runtime identifier, e.g. 24 for `nodejs24.x`; an Error for any other
 * runtime.
 */
export function runtimeNodeMajor(runtime: string): number {
  const major = /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
  if (!major) throw new Error(`${runtime} is not a Lambda Node.js runtime (nodejs<major>.x)`);
  return Number(major);
}

/**
 * The Node release tests run for each major, pinned so that every run (and CI) runs the same binary: the npm
 * registry's `node` package of that version. Move it forward with Lambda's runtime.
 */
const NODE_RELEASES: Readonly<Record<number, string>> = { 24: '24.21.0' };

const binaries = new Map<number, Promise<string>>();

/**
 * The path of the pinned Node binary of major version `major` ({@link NODE_RELEASES}), brought by the npm
 * registry's `node` package (`npx -y -p node@<version> node -p process.execPath`): fetched once into npm's cache,
 * then found there; asked once per process.
 *
 * @example
 * const node24 = await nodeBinary(24);
 * const result = await runNode(node24, ['packages/cli/bin/tidemark.js', '--version']);
 */
export function nodeBinary(major: number = LAMBDA_NODE_MAJOR): Promise<string> {
  const release = NODE_RELEASES[major];
  if (!release) return Promise.reject(new Error(`no Node ${major} release is pinned in NODE_RELEASES`));
  let binary = binaries.get(major);
  if (!binary) {
    binary = execFileAsync('npx', ['-y', '-p', `node@${release}`, 'node', '-p', 'process.execPath'], {
      env: withoutNodeOptions(process.env),
      timeout: 300_000,
    }).then(
      ({ stdout }) => stdout.trim(),
      (error: Error & { stderr?: string }) => {
        throw new Error(
          `cannot get Node ${release} from the npm registry's node package: ${error.stderr ?? error.message}`,
          {
            cause: error,
          },
        );
      },
    );
    binary.catch(() => binaries.delete(major));
    binaries.set(major, binary);
  }
  return binary;
}

/** What one process printed and how it ended. */
export interface NodeRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From spawn to exit. */
  readonly ms: number;
}

/** A user to run a process as (this process must be root to run one as another user). */
export interface ProcessUser {
  readonly uid: number;
  readonly gid: number;
}

/**
 * Runs `node <args>` with the given binary in a fresh process, stdin closed, and resolves when it exits (whatever
 * its code). `env` is the process's whole environment: nothing of the caller's is added. With `user`, the process
 * runs as that user. After `timeoutMs` (at least 1) it is sent `killSignal`.
 */
export function runNode(
  binary: string,
  args: readonly string[],
  options: {
    readonly env: NodeJS.ProcessEnv;
    readonly cwd?: string;
    readonly timeoutMs?: number;
    /** @default 'SIGTERM' */
    readonly killSignal?: NodeJS.Signals;
    readonly user?: ProcessUser;
  },
): Promise<NodeRun> {
  const { env, cwd, timeoutMs = 120_000, killSignal = 'SIGTERM', user } = options;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(binary, args, {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: Math.max(1, timeoutMs),
      killSignal,
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        ms: performance.now() - started,
      }),
    );
  });
}

/** The environment without `NODE_OPTIONS`, which a test runner may fill with flags for its own Node. */
export function withoutNodeOptions(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _, ...rest } = env;
  return rest;
}
