import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { SecretKeyError } from '../errors.js';

const KEY_BYTES = 32;

/**
 * Where the secret key lives when no path is given: `$TIDEMARK_KEY_FILE`, else
 * `$XDG_CONFIG_HOME/tidemark/secret.key`, else `~/.config/tidemark/secret.key`. Never inside the store,
 * so a copy of the store alone reveals no secret.
 */
export function defaultKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TIDEMARK_KEY_FILE) return env.TIDEMARK_KEY_FILE;
  const configHome = env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(configHome, 'tidemark', 'secret.key');
}

/**
 * Reads the 256-bit key at `file`, creating it (mode 0600, atomically, never overwriting) on first use.
 */
export async function loadOrCreateKey(file: string): Promise<Buffer> {
  return (await readKeyFile(file)) ?? createKeyFile(file);
}

/**
 * Creates a new random 256-bit key at `file` (mode 0600, in a folder of mode 0700), atomically: written whole and
 * synced beside it, then linked into place, so that no process ever reads a half-written key. When another process
 * created the file first, its key is returned; an existing file is never overwritten.
 */
export async function createKeyFile(file: string): Promise<Buffer> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  const temp = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${key.toString('base64')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temp, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = await readKeyFile(file);
      if (raced) return raced;
    }
    throw new SecretKeyError(`cannot create the secret key file ${file}`, { cause: error });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** The 256-bit key in `file`, or undefined when there is no such file; a SecretKeyError when it is not a key. */
export async function readKeyFile(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretKeyError(`cannot read the secret key file ${file}`, { cause: error });
  }
  const key = decodeKey(text);
  if (!key) throw new SecretKeyError(`the secret key file ${file} does not hold a 256-bit base64 key`);
  return key;
}

/** A 256-bit key from its base64 text (surrounding whitespace ignored), or `undefined` when it is not one. */
export function decodeKey(text: string): Buffer | undefined {
  const key = Buffer.from(text.trim(), 'base64');
  return key.length === KEY_BYTES ? key : undefined;
}

/**
 * Why the key file is unsafe, or undefined when it is not: a key readable or writable by others than its owner
 * (mode bits 077) lets them read every sealed secret and forge records.
 */
export async function keyFileExposure(file: string): Promise<string | undefined> {
  if (process.platform === 'win32') return undefined;
  const { mode } = await stat(file);
  if ((mode & 0o077) === 0) return undefined;
  const octal = (mode & 0o777).toString(8).padStart(3, '0');
  return `the key file ${file} can be read by others (mode ${octal}): run chmod 600 ${file}`;
}
