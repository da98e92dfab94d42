import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../src/errors.js';
import { readFilesUnder } from '../src/store/file-reader.js';
import { LocalBackend } from '../src/store/local-backend.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('reading a whole folder of a local store', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tidemark-file-reader-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Writes `files` (key → bytes) under the root. */
  async function lay(files: Record<string, Uint8Array>): Promise<void> {
    for (const [key, bytes] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, key)), { recursive: true });
      await writeFile(path.join(root, key), bytes);
    }
  }

  /** Everything the reader yields, copied out of its reused buffers. */
  async function readAll(folder: string) {
    const files: Array<{ key: string; bytes: Buffer; sha256: string }> = [];
    let batches = 0;
    for await (const batch of readFilesUnder(root, folder)) {
      batches++;
      for (const file of batch) files.push({ ...file, bytes: Buffer.from(file.bytes) });
    }
    return { files, batches };
  }

  it('yields every file under the folder, in the order list gives, with its bytes and sha256', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let folder = 0; folder < 30; folder++)
      for (let seq = 1; seq <= 20; seq++)
        files[`versions/${String(folder).padStart(2, '0')}/${String(seq).padStart(3, '0')}.json`] =
          randomBytes(200 + ((folder * 31 + seq) % 700));
    files['versions-not/other.json'] = Buffer.from('{}');
    files['baselines/000001.json'] = Buffer.from('{}');
    await lay(files);

    const { files: read, batches } = await readAll('versions');

    const listed: string[] = [];
    for await (const key of new LocalBackend(root).list('versions/')) listed.push(key);
    expect(read.map((file) => file.key)).toEqual(listed);
    expect(read).toHaveLength(600);
    expect(batches).toBeGreaterThan(1);
    for (const file of read) {
      expect(file.bytes.equals(Buffer.from(files[file.key] as Uint8Array))).toBe(true);
      expect(file.sha256).toBe(sha256(files[file.key] as Uint8Array));
    }
  });

  it('reads a file larger than its buffers whole, in its place among the others', async () => {
    const large = randomBytes(5 * 1024 * 1024 + 3);
    await lay({
      'versions/a/1.json': Buffer.from('first'),
      'versions/b/1.json': large,
      'versions/c/1.json': Buffer.from('last'),
    });

    const { files } = await readAll('versions');

    expect(files.map((file) => file.key)).toEqual([
      'versions/a/1.json',
      'versions/b/1.json',
      'versions/c/1.json',
    ]);
    expect(files[1]?.bytes.equals(large)).toBe(true);
    expect(files[1]?.sha256).toBe(sha256(large));
    expect(files[2]?.bytes.toString()).toBe('last');
  });

  it('yields nothing for a folder that does not exist', async () => {
    expect((await readAll('versions')).files).toEqual([]);
  });

  it('stops its reader thread when the caller stops early', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let n = 0; n < 3_000; n++)
      files[`versions/${String(n % 50).padStart(2, '0')}/${n}.json`] = randomBytes(64);
    await lay(files);
    for await (const _ of readFilesUnder(root, 'versions')) break;
    const before = threads();

    let seen = 0;
    let during = 0;
    for await (const batch of readFilesUnder(root, 'versions')) {
      seen += batch.length;
      during = threads();
      break;
    }

    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(3_000);
    expect(during).toBe(before + 1);
    expect(threads()).toBe(before);
  });

  it('reads several files larger than its buffers one after another, each whole', async () => {
    const large = [1, 2, 3].map((n) => randomBytes(4 * 1024 * 1024 + n));
    await lay(Object.fromEntries(large.map((bytes, n) => [`baselines/00000${n + 1}.json`, bytes])));

    const { files } = await readAll('baselines');

    expect(files.map((file) => file.sha256)).toEqual(large.map(sha256));
  });

  it('fails with a StoreError naming the folder when a file cannot be read', async () => {
    await lay({ 'versions/a/1.json': Buffer.from('{}') });
    await mkdir(path.join(root, 'elsewhere'));
    await symlink(path.join(root, 'elsewhere'), path.join(root, 'versions', 'a', '2.json'));

    await expect(readAll('versions')).rejects.toThrow(new StoreError(`cannot read versions in ${root}`));
  });
});

/** The threads of this process (Linux): a reader thread is one more while it runs. */
function threads(): number {
  return Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
}
