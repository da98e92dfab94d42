import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The only credentials s3rver accepts. */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

const CHILD_SCRIPT = path.join(import.meta.dirname, 's3-server-child.mjs');

/** A running S3-protocol server (s3rver 3.7.1) on 127.0.0.1. */
export interface S3Server {
  /** `http://127.0.0.1:<port>`: give it as the client's `endpoint` (with `forcePathStyle`). */
  readonly endpoint: string;
  /** What the server accepts (`S3RVER` / `S3RVER`): set `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` to them. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /**
   * The folder s3rver stores into: `<directory>/<bucket>/<key>._S3rver_object` per object (its filesystem store),
   * for benchmarks that lay out a large bucket on disk instead of uploading it.
   */
  readonly directory: string;
  /** Stops the server and deletes everything it stored. */
  stop(): Promise<void>;
}

/**
 * Starts s3rver on a free port of 127.0.0.1, storing into a new temporary folder, with `buckets` created. It runs
 * in a child process (see `s3-server-child.mjs`), which also makes `If-None-Match: *` writes behave like AWS's.
 *
 * @example
 * const server = await startS3Server({ buckets: ['tidemark-store'] });
 * try {
 *   const store = await VersionStore.open('s3://tidemark-store/prefix', { endpointUrl: server.endpoint });
 * } finally {
 *   await server.stop();
 * }
 */
export async function startS3Server(options: { buckets?: string[] } = {}): Promise<S3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), 'tidemark-s3rver-'));
  const child = spawn(
    process.execPath,
    [CHILD_SCRIPT, JSON.stringify({ directory, buckets: options.buckets ?? [] })],
    {
      env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  try {
    const { port } = await firstLine<{ port: number }>(child);
    return {
      endpoint: `http://127.0.0.1:${port}`,
      credentials: S3RVER_CREDENTIALS,
      directory,
      async stop() {
        await stopChild(child);
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopChild(child);
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Writes an object straight into the server's folder, in the layout its filesystem store reads
 * (`<key>._S3rver_object`, `.md5`, `._S3rver_metadata.json`), streaming `content` so an object of any size
 * never sits whole in memory: much faster than uploading a large object through s3rver. The bucket must exist.
 * Resolves to the object's size and its ETag (quoted MD5 hex), as `HeadObject` will then report them.
 */
export async function layOutObject(
  server: S3Server,
  bucket: string,
  key: string,
  content: AsyncIterable<Uint8Array>,
  contentType = 'application/octet-stream',
): Promise<{ size: number; etag: string }> {
  const parts = key.split('/');
  const folder = path.join(server.directory, bucket, ...parts.slice(0, -1));
  const file = path.join(folder, `${parts.at(-1)}._S3rver_`);
  await mkdir(folder, { recursive: true });
  const md5 = createHash('md5');
  let size = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      md5.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(content, hashing, createWriteStream(`${file}object`));
  const hex = md5.digest('hex');
  await writeFile(`${file}object.md5`, hex);
  await writeFile(`${file}metadata.json`, JSON.stringify({ 'content-type': contentType }));
  return { size, etag: JSON.stringify(hex) };
}

/** The first line the child prints, as JSON; rejects when it exits first. */
async function firstLine<T>(child: ChildProcess): Promise<T> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`s3rver exited with code ${code} before listening`);
  });
  try {
    const [line] = (await Promise.race([once(lines, 'line'), exited])) as [string];
    return JSON.parse(line) as T;
  } finally {
    lines.close();
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.stdin?.end();
  await exited;
}
