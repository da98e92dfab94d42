import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
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
  const existing = await readKey(file);
  if (existing) return existing;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${key.toString('base64')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = await readKey(file);
      if (raced) return raced;
    }
    throw new SecretKeyError(`cannot create the secret key file ${file}`, { cause: error });
  }
}

async function readKey(file: string): Promise<Buffer | undefined> {
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
