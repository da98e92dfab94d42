import { randomUUID } from 'node:crypto';
import { createReadStream, type Dirent, readdirSync, readFileSync } from 'node:fs';
import { link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { StoredContent } from '../capture/content-store.js';
import { ContentMismatchError, StoreError } from '../errors.js';
import type { ReadFile, StoreBackend } from './backend.js';
import { readFilesUnder } from './file-reader.js';
import { spoolHashed } from './spool.js';

const TEMP_FOLDER = 'tmp';

/**
 * The store in a local folder. Writes go to a temporary file, are fsynced, then linked (records: never
 * overwrite) or renamed (blobs: identical by construction) into place, and the folder is fsynced: a crash
 * leaves at most a stray file under `tmp/`, never a half-written key.
 */
export class LocalBackend implements StoreBackend {
  readonly location: string;
  readonly cacheDirectory: string;

  constructor(root: string) {
    this.location = path.resolve(root);
    this.cacheDirectory = this.location;
  }

  /** Reads synchronously: several times faster than `fs.promises` for the small files most reads are. */
  async read(key: string): Promise<Buffer | undefined> {
    try {
      return readFileSync(this.#path(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw new StoreError(`cannot read ${key} in ${this.location}`, { cause: error, key });
    }
  }

  async readStream(key: string): Promise<Readable | undefined> {
    if (!(await this.exists(key))) return undefined;
    return createReadStream(this.#path(key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.#path(key));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw new StoreError(`cannot stat ${key} in ${this.location}`, { cause: error, key });
    }
  }

  async create(key: string, bytes: Uint8Array): Promise<boolean> {
    const temp = await this.#tempFile();
    try {
      await writeDurably(temp, bytes);
      const target = this.#path(key);
      await mkdir(path.dirname(target), { recursive: true });
      try {
        await link(temp, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
      await syncFolder(path.dirname(target));
      return true;
    } catch (error) {
      throw new StoreError(`cannot write ${key} in ${this.location}`, { cause: error, key });
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const temp = await this.#tempFile();
    try {
      await writeDurably(temp, bytes);
      const target = this.#path(key);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temp, target);
      await syncFolder(path.dirname(target));
    } catch (error) {
      throw new StoreError(`cannot write ${key} in ${this.location}`, { cause: error, key });
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  putBlobBytes(bytes: Uint8Array, keyFor: (hash: string) => string): Promise<StoredContent> {
    return this.putBlob(Readable.from([bytes]), keyFor);
  }

  async putBlob(
    source: Readable | AsyncIterable<Uint8Array>,
    keyFor: (hash: string) => string,
    expectedHash?: string,
  ): Promise<StoredContent> {
    const temp = await this.#tempFile();
    try {
      const { hash, size } = await spoolHashed(source, temp);
      if (expectedHash && hash !== expectedHash) throw new ContentMismatchError(expectedHash, hash);
      const key = keyFor(hash);
      const target = this.#path(key);
      if (await this.exists(key)) return { hash, size, written: false };
      await syncFile(temp);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temp, target);
      await syncFolder(path.dirname(target));
      return { hash, size, written: true };
    } catch (error) {
      if (error instanceof ContentMismatchError) throw error;
      throw new StoreError(`cannot write a blob in ${this.location}`, { cause: error });
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Every file under a folder prefix, read and hashed on a worker thread (see {@link readFilesUnder}). */
  readAll(prefix: string): AsyncIterable<readonly ReadFile[]> {
    if (!prefix.endsWith('/'))
      throw new StoreError(`readAll takes a folder prefix, not ${JSON.stringify(prefix)}`);
    return readFilesUnder(this.location, prefix.slice(0, -1));
  }

  async *list(prefix: string, startAfter = ''): AsyncIterable<string> {
    const folder = prefix.endsWith('/') ? prefix.slice(0, -1) : path.posix.dirname(prefix);
    yield* this.#walk(folder, prefix, startAfter);
  }

  async *#walk(folder: string, prefix: string, startAfter: string): AsyncIterable<string> {
    let entries: Dirent[];
    try {
      entries = readdirSync(this.#path(folder), { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw new StoreError(`cannot list ${folder} in ${this.location}`, { cause: error });
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const key = folder === '' || folder === '.' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        const inside = `${key}/`;
        const matches = inside.startsWith(prefix) || prefix.startsWith(inside);
        const notBefore = inside > startAfter || startAfter.startsWith(inside);
        if (matches && notBefore) yield* this.#walk(key, prefix, startAfter);
      } else if (key.startsWith(prefix) && key > startAfter) yield key;
    }
  }

  async #tempFile(): Promise<string> {
    const folder = path.join(this.location, TEMP_FOLDER);
    await mkdir(folder, { recursive: true });
    return path.join(folder, `${process.pid}-${randomUUID()}`);
  }

  #path(key: string): string {
    if (key.split('/').some((part) => part === '..' || part === ''))
      throw new StoreError(`invalid store key ${JSON.stringify(key)}`, { key });
    return path.join(this.location, ...key.split('/'));
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Writes a new file and flushes it to disk. */
async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(file, 'wx', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFolder(folder: string): Promise<void> {
  await syncFile(folder).catch(() => undefined);
}
