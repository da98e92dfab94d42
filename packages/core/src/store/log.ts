import { setTimeout as sleep } from 'node:timers/promises';
import { canonicalJson, sha256Hex } from '../canonical/canonicalise.js';
import { InvalidRecordError, StoreError } from '../errors.js';
import type { Json } from '../types/json.js';
import type { RecordAuthenticator } from './authenticator.js';
import type { StoreBackend } from './backend.js';
import { logHeadKey } from './layout.js';
import { type Hashed, type LoggedRecord, type LogHead, logHeadSchema } from './records.js';
import { signRecord } from './signing.js';

const MAX_APPEND_ATTEMPTS = 50;

/**
 * The store's log: a hash chain of signed heads, `log/0000000001.json` onwards, each naming the records its
 * writer created since its previous head. Heads are created, never replaced, so concurrent writers append
 * without losing each other's; a record named by a head cannot be removed or replaced unnoticed, and a head cannot
 * be forged without the key. (As Certificate Transparency's signed tree heads, with a chain in place of a tree:
 * `verify` reads the whole log anyway.)
 */
export class StoreLog {
  readonly #backend: StoreBackend;
  readonly #key: RecordAuthenticator;
  /** The newest head this writer knows of. */
  #head: Hashed<LogHead> | undefined;

  constructor(backend: StoreBackend, key: RecordAuthenticator) {
    this.#backend = backend;
    this.#key = key;
  }

  /** Appends a head naming `records` after the newest one; returns it. */
  async append(records: readonly LoggedRecord[]): Promise<Hashed<LogHead>> {
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const previous = await this.#newest();
      const head = signRecord(
        {
          schema: 1 as const,
          seq: (previous?.record.seq ?? 0) + 1,
          prev: previous?.hash ?? null,
          sealedAt: new Date().toISOString(),
          keyId: this.#key.keyId,
          records: [...records],
        },
        this.#key,
      );
      const bytes = Buffer.from(canonicalJson(head as unknown as Json), 'utf8');
      if (await this.#backend.create(logHeadKey(head.seq), bytes)) {
        const appended = { hash: sha256Hex(bytes), record: head };
        this.#head = appended;
        return appended;
      }
      await sleep(Math.random() * 10 * (attempt + 1));
    }
    throw new StoreError('could not append to the log: too much contention');
  }

  /**
   * The newest head: from the last one known, the next keys are probed by doubling steps, then by bisection, so a
   * log of a million heads is found in some forty existence checks rather than a listing of all of them.
   */
  async #newest(): Promise<Hashed<LogHead> | undefined> {
    let known = this.#head?.record.seq ?? 0;
    const exists = (seq: number) => this.#backend.exists(logHeadKey(seq));
    let step = 1;
    while (await exists(known + step)) {
      known += step;
      step *= 2;
    }
    // `known` exists (or is 0), `known + step` does not: the last one lies between.
    let high = known + step;
    while (high - known > 1) {
      const middle = Math.floor((known + high) / 2);
      if (await exists(middle)) known = middle;
      else high = middle;
    }
    if (known === 0) return undefined;
    if (this.#head?.record.seq === known) return this.#head;
    this.#head = await readLogHead(this.#backend, known);
    return this.#head;
  }
}

/** Reads and parses the log head `seq` (not its MAC: see `verify`). */
async function readLogHead(backend: StoreBackend, seq: number): Promise<Hashed<LogHead>> {
  const key = logHeadKey(seq);
  const bytes = await backend.read(key);
  if (!bytes) throw new StoreError(`${key} is missing from ${backend.location}`, { key });
  return decodeLogHead(key, bytes, backend.location);
}

/** The log head `bytes` hold; an InvalidRecordError when they are not one. */
export function decodeLogHead(key: string, bytes: Buffer, location: string): Hashed<LogHead> {
  try {
    return { hash: sha256Hex(bytes), record: logHeadSchema.parse(JSON.parse(bytes.toString('utf8'))) };
  } catch (error) {
    throw new InvalidRecordError(key, location, error);
  }
}
