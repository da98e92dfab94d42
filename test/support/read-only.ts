import { execFileSync } from 'node:child_process';
import { chmod, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ProcessUser } from './node-runtime.js';

/**
 * Who to run a process as so that file modes stop it from writing: this process's own user, unless it is root,
 * whom no file mode stops (tests run as root in some sandboxes and containers); then `nobody`. Undefined means
 * this process's user.
 */
export function unprivilegedUser(): ProcessUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Sets the mode of a folder, everything in it and the folder itself: `0o555` and `0o444` make it readable by
 * everyone and writable by no one but root, `0o755` and `0o644` give its owner write access back.
 */
export async function setModes(folder: string, folderMode: number, fileMode: number): Promise<void> {
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true }))
    await chmod(path.join(entry.parentPath, entry.name), entry.isDirectory() ? folderMode : fileMode);
  await chmod(folder, folderMode);
}
