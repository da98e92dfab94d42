import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The repository root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * Runs `fn` holding the lock `lock` (a folder: creating it is atomic), so that test files building the same
 * output at the same time (vitest runs files in parallel) take turns. Waits up to `timeoutMs`; a lock older than
 * that was left by a process that died, and is taken over.
 */
export async function withRepoLock<T>(lock: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  await mkdir(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = await stat(lock).then(
        (held) => held.mtimeMs,
        () => Date.now(),
      );
      if (Date.now() - since > timeoutMs) await rm(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`another process held ${lock} for ${timeoutMs} ms`);
      else await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
