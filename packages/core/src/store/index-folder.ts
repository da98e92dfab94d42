import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import type { StoreBackend } from './backend.js';
import { IndexDb } from './index-db.js';
import { storeCacheDirectory } from './location.js';

/** What `access(2)` answers for a file this user may not write: denied, or on a read-only file system. */
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * The folder where this process keeps the index of the store `backend` holds: `requested` when given; else the
 * backend's cache folder (a local store's own folder, whose index its writers share) when this user can write
 * the index there; else a private cache folder of this user's, keyed by that folder ({@link storeCacheDirectory}):
 * another user's store, a read-only mount or snapshot of one. A private index catches up from the store's journal
 * at every open, as an S3 store's does. The folder is created when missing.
 *
 * @example
 * const folder = await indexFolder(new LocalBackend('/mnt/backup/tidemark')); // ~/.cache/tidemark/<hash> when read-only
 */
export async function indexFolder(backend: StoreBackend, requested?: string): Promise<string> {
  if (requested !== undefined) {
    await mkdir(requested, { recursive: true });
    return requested;
  }
  const shared = backend.cacheDirectory;
  if (await canWriteIndexIn(shared)) return shared;
  const own = storeCacheDirectory(shared);
  await mkdir(own, { recursive: true });
  return own;
}

/**
 * Whether this user can keep an index in `folder` (created when missing): create files there (SQLite adds a
 * write-ahead log and a shared-memory file beside the index) and write the index files already there. `access(2)`
 * answers for the real user, so root may write a folder whose mode says otherwise, but not a read-only mount.
 */
async function canWriteIndexIn(folder: string): Promise<boolean> {
  const file = IndexDb.fileIn(folder);
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK | constants.X_OK);
    for (const existing of [file, `${file}-wal`, `${file}-shm`])
      await access(existing, constants.R_OK | constants.W_OK).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    return true;
  } catch (error) {
    if (NOT_WRITABLE.has((error as NodeJS.ErrnoException).code ?? '')) return false;
    throw error;
  }
}
