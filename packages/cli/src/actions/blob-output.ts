import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { link, lstat, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError } from '@tidemark/core/errors';
import type { Io } from '../io.js';

/** What `--blob` writes to when it names standard output. */
export const STANDARD_OUTPUT = '-';

/** How {@link writeBlob} writes. */
export interface BlobTarget {
  /** A file, or {@link STANDARD_OUTPUT}. */
  readonly file: string;
  /** Whether an existing file (or symbolic link) may be replaced. @default false */
  readonly force?: boolean;
  /** Where standard output is. */
  readonly io: Io;
}

/**
 * Writes content (a blob read from the store) to a file, or as raw bytes to standard output. A file is written
 * whole or not at all: the content goes to a new temporary file beside it, which takes the file's name only once
 * every byte is written; on any failure (the store's content is missing or does not match its hash) the
 * temporary file is removed and the target is left as it was. An existing file or symbolic link is replaced only
 * with `force`, never followed; else, as for a directory or a folder that cannot be written, an InputError.
 *
 * @example
 * await writeBlob(() => store.readBlob(hash), { file: 'site.zip', io });
 */
export async function writeBlob(read: () => Promise<Readable>, target: BlobTarget): Promise<void> {
  if (target.file === STANDARD_OUTPUT) {
    // Any Node writable stream is a ByteSink; `pipeline` wants the Node type back.
    const sink = (target.io.stdout as NodeJS.WritableStream | undefined) ?? process.stdout;
    await pipeline(await read(), sink, { end: false });
    return;
  }
  refuseToReplace(target, await existing(target.file));
  const temporary = path.join(
    path.dirname(target.file),
    `.${path.basename(target.file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  // The output is opened before the content is read, so that the content's stream is consumed from its start: an
  // error it meets while nothing listens (a blob that is a directory) would otherwise end the process.
  const output = await createExclusive(temporary, target.file);
  try {
    await pipeline(await read(), output);
    await moveInto(temporary, target);
  } finally {
    output.destroy();
    await rm(temporary, { force: true });
  }
}

/** What is at `file` now, not following a symbolic link; undefined when nothing is. */
async function existing(file: string): Promise<Stats | undefined> {
  try {
    return await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cannotWrite(file, error);
  }
}

function refuseToReplace(target: BlobTarget, found: Stats | undefined): void {
  if (!found) return;
  if (found.isDirectory()) throw new InputError(`--blob ${target.file} is a directory: name a file`);
  if (target.force) return;
  const what = found.isSymbolicLink() ? 'is a symbolic link' : 'exists';
  throw new InputError(`--blob ${target.file} ${what}: pass --force to replace it`);
}

/** A new file opened for writing; an InputError naming `target` when its folder cannot hold one. */
async function createExclusive(file: string, target: string): Promise<Writable> {
  try {
    return (await open(file, 'wx')).createWriteStream();
  } catch (error) {
    throw cannotWrite(target, error);
  }
}

/** Codes of a folder whose file system has no hard links (exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP']);

/**
 * Gives the written file the target's name: replacing what is there with `force` (a symbolic link itself, not
 * what it points to); else only if nothing took the name meanwhile (atomically where hard links exist).
 */
async function moveInto(temporary: string, target: BlobTarget): Promise<void> {
  if (target.force) return rename(temporary, target.file);
  try {
    await link(temporary, target.file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!NO_HARD_LINKS.has(code) && code !== 'EEXIST') throw cannotWrite(target.file, error);
    refuseToReplace(target, await existing(target.file));
    await rename(temporary, target.file);
  }
}

function cannotWrite(file: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new InputError(`cannot write --blob ${file}: ${code}`, { cause: error });
}
