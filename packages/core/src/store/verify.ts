import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { describeProblem } from '../errors.js';
import type { RecordAuthenticator } from './authenticator.js';
import type { StoreBackend } from './backend.js';
import {
  blobKey,
  hashOfBlobKey,
  journalEntry,
  logHeadKey,
  recordAddress,
  resourceFolder,
  StoreLayout,
  seqOfKey,
  versionKey,
} from './layout.js';
import { decodeLogHead } from './log.js';
import { READ_CONCURRENCY } from './parallel-read.js';
import type { BaselineManifest, Hashed, LogHead, VersionRecord } from './records.js';
import { announcedHash, hasValidMacIn } from './signing.js';
import type { VersionStore } from './version-store.js';
import type { Witness } from './witness.js';

/** One thing wrong in a store. */
export interface StoreProblem {
  readonly key: string;
  readonly problem:
    | 'missing'
    | 'corrupted'
    | 'out-of-chain'
    | 'invalid'
    /** Not signed by the store's key, or not what the log says was written: edited or forged. */
    | 'forged'
    /** A log head this machine saw is gone: what was written last was removed. */
    | 'truncated'
    /** A key that is no part of a store. */
    | 'stray';
  readonly detail: string;
}

/** What `verify` found. Stable shape (`tidemark verify --json`). */
export interface VerifyReport {
  readonly ok: boolean;
  readonly checked: {
    readonly blobs: number;
    readonly versions: number;
    readonly baselines: number;
    readonly logHeads: number;
    /** Alert records and their delivery records (`alerts/`). */
    readonly alerts: number;
  };
  /**
   * Whether records were checked against the store's key. False without the key, or for a store written before
   * records were signed: then only hashes and chains were checked, and a forgery that keeps them is not seen.
   */
  readonly authenticated: boolean;
  /** Signed records no log head names yet (a capture stopped before its head): their removal would go unseen. */
  readonly unlogged: number;
  /** The newest log head, which `witness` remembers for the next verify. */
  readonly head?: { readonly seq: number; readonly hash: string };
  readonly durationMs: number;
  readonly problems: readonly StoreProblem[];
}

/** What verify compares the store with, besides itself. */
export interface VerifyOptions {
  /** The newest log head a previous verify or capture on this machine saw: it must still be there. */
  readonly witness?: Witness;
}

/**
 * Checks the whole store, reading it and not the index: every blob against its address; every version record
 * against its resource's chain, the blobs it names, the store's key (its MAC) and the log; every baseline against
 * its chain and the versions it names; the log heads against their chain and key, and against the newest head seen
 * before (`witness`); every key against the layout (a stray file is reported).
 */
export async function verifyStore(store: VersionStore, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const check = new StoreCheck(store);
  await check.layout();
  const blobs = await check.blobs();
  const logHeads = await check.log(options.witness);
  await check.journal();
  const baselines = await check.baselines();
  const versions = await check.versions();
  const alerts = await check.alerts();
  check.leftovers();
  check.identity(logHeads);
  const { problems } = check;
  return {
    ok: problems.length === 0,
    checked: { blobs, versions, baselines, logHeads, alerts },
    authenticated: check.key !== undefined,
    unlogged: check.unlogged,
    ...(check.head ? { head: check.head } : {}),
    durationMs: Math.round(performance.now() - started),
    problems,
  };
}

/** Top-level folders of a store, and what may sit beside them. */
const KNOWN_FOLDERS = [
  StoreLayout.BLOBS.split('/')[0],
  StoreLayout.VERSIONS,
  StoreLayout.BASELINES,
  StoreLayout.JOURNAL,
  StoreLayout.LOG,
  StoreLayout.LABELS,
  StoreLayout.CHECKPOINTS,
  'index/',
  StoreLayout.BASELINE_RUNS,
  StoreLayout.ALERTS,
  StoreLayout.ALERT_RULES.split('/')[0],
].map((folder) => (folder as string).replace(/\/?$/, '/'));

/** Files a local store keeps beside its records: its index (a cache) and writes in progress. */
const LOCAL_CACHE = /^(index\.sqlite(-wal|-shm|-journal)?|tmp\/.*)$/;

/** The state of one verification. */
class StoreCheck {
  readonly #store: VersionStore;
  readonly #backend: StoreBackend;
  readonly key: RecordAuthenticator | undefined;
  readonly problems: StoreProblem[] = [];
  /** Blobs present and whole. */
  readonly #blobs = new Set<string>();
  /** Blobs present but altered: reported once, not again as missing wherever they are named. */
  readonly #corrupted = new Set<string>();
  /** Records the log names, until each is found: the start of their hash, and the head (`<hash prefix> <seq>`). */
  readonly #logged = new Map<string, string>();
  /** The start of every record hash the journal announces (signed), when records are authenticated. */
  readonly #announced = new Set<string>();
  /** Versions the baselines name, until each is found: the hash each names, and the first baseline naming it. */
  readonly #named = new Map<string, { readonly version: string; readonly label: string }>();
  unlogged = 0;
  head: { seq: number; hash: string } | undefined;
  /** Whether a record carries a MAC: only writers with a key sign, and they give the store an identity. */
  #sawSigned = false;

  constructor(store: VersionStore) {
    this.#store = store;
    this.#backend = store.backend;
    this.key = store.authenticated ? store.key : undefined;
  }

  #report(key: string, problem: StoreProblem['problem'], detail: string): void {
    this.problems.push({ key, problem, detail });
  }

  /** Reports every key that is no part of a store; journal entries are checked here too. */
  async layout(): Promise<void> {
    const local = this.#backend.cacheDirectory === this.#backend.location;
    for await (const key of this.#backend.list('')) {
      if (key === StoreLayout.IDENTITY || (local && LOCAL_CACHE.test(key))) continue;
      const known = KNOWN_FOLDERS.some((folder) => key.startsWith(folder));
      if (!known) this.#report(key, 'stray', 'not a key of a Tidemark store');
      else if (key.startsWith(StoreLayout.JOURNAL) && !journalEntry(key))
        this.#report(key, 'stray', 'not a journal entry');
    }
  }

  /** Hashes every blob; returns how many there are. */
  async blobs(): Promise<number> {
    const limit = pLimit(READ_CONCURRENCY);
    const checks: Promise<void>[] = [];
    let count = 0;
    for await (const key of this.#backend.list(StoreLayout.BLOBS)) {
      const expected = hashOfBlobKey(key);
      if (!expected) {
        this.#report(key, 'stray', 'not a blob key');
        continue;
      }
      count++;
      checks.push(
        limit(async () => {
          const actual = await hashStream(this.#backend, key);
          if (actual === expected) this.#blobs.add(expected);
          else {
            this.#corrupted.add(expected);
            this.#report(key, 'corrupted', `content hashes to ${actual}`);
          }
        }),
      );
    }
    await Promise.all(checks);
    return count;
  }

  /** Checks the log heads, in order, and collects the records they name; returns how many there are. */
  async log(witness: Witness | undefined): Promise<number> {
    let previous: Hashed<LogHead> | undefined;
    let count = 0;
    for await (const files of this.#backend.readAll(StoreLayout.LOG))
      for (const { key, bytes } of files) {
        count++;
        const head = this.#decode(key, () => decodeLogHead(key, bytes, this.#backend.location));
        const expectedSeq = (previous?.record.seq ?? 0) + 1;
        if (!head) continue;
        const { record } = head;
        if (key !== logHeadKey(record.seq))
          this.#report(key, 'out-of-chain', `it says it is head ${record.seq}`);
        else if (record.seq !== expectedSeq)
          this.#report(logHeadKey(expectedSeq), 'missing', `log head ${expectedSeq} is missing`);
        else if (record.prev !== (previous?.hash ?? null))
          this.#report(key, 'out-of-chain', `prev is ${record.prev}, expected ${previous?.hash ?? null}`);
        if (this.key && (record.keyId !== this.key.keyId || !hasValidMacIn(bytes, record, this.key)))
          this.#report(key, 'forged', "it is not signed by the store's key");
        if (this.#witnessed(witness, record.seq) && witness?.hash !== head.hash)
          this.#report(
            key,
            'forged',
            `it hashes to ${head.hash}, not to what was seen on ${witness?.seenAt}`,
          );
        for (const { key: recordKey, sha256 } of record.records)
          this.#logged.set(recordKey, `${hashPrefix(sha256)} ${record.seq}`);
        previous = head;
      }
    if (previous) this.head = { seq: previous.record.seq, hash: previous.hash };
    this.#checkWitness(witness);
    return count;
  }

  /** Whether `witness` is of this store and saw its log head `seq`. */
  #witnessed(witness: Witness | undefined, seq: number): boolean {
    return witness !== undefined && witness.storeId === this.#store.identity?.storeId && witness.seq === seq;
  }

  /** A log head seen before must still be there (unchanged: see {@link log}). */
  #checkWitness(witness: Witness | undefined): void {
    if (!witness || witness.storeId !== this.#store.identity?.storeId) return;
    const key = logHeadKey(witness.seq);
    if (!this.head || this.head.seq < witness.seq)
      this.#report(
        key,
        'truncated',
        `log head ${witness.seq}, seen here on ${witness.seenAt}, is gone: what was written last was removed`,
      );
  }

  /**
   * Checks the signature of every journal entry and collects the record hashes they announce: a record no entry
   * announces is never seen by an index refreshed from the journal (another machine's, a function's).
   */
  async journal(): Promise<void> {
    if (!this.key) return;
    for await (const files of this.#backend.readAll(StoreLayout.JOURNAL))
      for (const { key, bytes } of files) {
        const entry = journalEntry(key);
        if (!entry) continue;
        const announced = announcedHash(key, bytes, this.key);
        if (announced) this.#announced.add(hashPrefix(announced));
        else this.#report(key, 'forged', "it is not signed by the store's key");
      }
  }

  /** Checks every version record; returns how many there are. */
  async versions(): Promise<number> {
    let chain: { folder: string; last?: Hashed<VersionRecord> } = { folder: '' };
    let count = 0;
    for await (const files of this.#backend.readAll(StoreLayout.VERSIONS))
      for (const { key, bytes, sha256 } of files) {
        count++;
        const folder = key.split('/')[1] ?? '';
        if (folder !== chain.folder) chain = { folder };
        const version = this.#decode(key, () => this.#store.decodeVersion(key, bytes, sha256, false));
        if (!version || recordAddress(key)?.kind !== 'version') {
          if (version) this.#report(key, 'stray', 'not a version key');
          chain.last = undefined;
          continue;
        }
        if (version.record.mac !== undefined) this.#sawSigned = true;
        this.#checkVersion(key, version, chain);
        this.#checkSigned(key, bytes, version);
        this.#checkNamed(key, version.hash);
        chain.last = version;
      }
    return count;
  }

  /** Checks one version against its key, the chain before it, and the blobs present. */
  #checkVersion(
    key: string,
    { record }: Hashed<VersionRecord>,
    chain: { folder: string; last?: Hashed<VersionRecord> },
  ): void {
    if (versionKey(record.resource, record.seq) !== key || resourceFolder(record.resource) !== chain.folder)
      this.#report(key, 'out-of-chain', `record says seq ${record.seq} of another resource`);
    const expectedSeq = (chain.last?.record.seq ?? 0) + 1;
    const expectedPrev = chain.last?.hash ?? null;
    if (seqOfKey(key) !== expectedSeq)
      this.#report(key, 'missing', `version ${expectedSeq} of this resource is missing`);
    else if (record.prev !== expectedPrev)
      this.#report(key, 'out-of-chain', `prev is ${record.prev}, expected ${expectedPrev}`);
    for (const blob of [record.document, ...Object.values(record.blobs)])
      if (blob && !this.#blobs.has(blob) && !this.#corrupted.has(blob))
        this.#report(blobKey(blob), 'missing', `named by ${key}`);
  }

  /**
   * A record the log names must hash to what it says; one it does not name yet must carry the store's MAC. (In a
   * store without a key, neither can be checked.)
   */
  #checkSigned(key: string, bytes: Buffer, { hash, record }: Hashed<{ mac?: string | undefined }>): void {
    const logged = this.#logged.get(key);
    this.#logged.delete(key);
    const [loggedHash, head] = logged?.split(' ') ?? [];
    if (loggedHash !== undefined && loggedHash !== hashPrefix(hash))
      this.#report(
        key,
        'forged',
        `log head ${head} names another record (sha256 ${loggedHash}…), not ${hash}`,
      );
    if (!this.key) return;
    if (!hasValidMacIn(bytes, record, this.key))
      this.#report(key, 'forged', "it is not signed by the store's key");
    else if (!logged) this.unlogged++;
    if (!this.#announced.has(hashPrefix(hash)))
      this.#report(
        key,
        'missing',
        'no journal entry announces it: indexes refreshed from the journal miss it',
      );
  }

  /**
   * Checks every alert and delivery record: JSON, and signed by the store's key when records are (they are not in
   * the log: an alert is evidence of a change, which its version record proves). Returns how many there are.
   */
  async alerts(): Promise<number> {
    let count = 0;
    for await (const files of this.#backend.readAll(StoreLayout.ALERTS))
      for (const { key, bytes } of files) {
        count++;
        let record: { mac?: string };
        try {
          record = JSON.parse(bytes.toString('utf8')) as { mac?: string };
        } catch {
          this.#report(key, 'invalid', 'not a valid alert record');
          continue;
        }
        if (this.key && !hasValidMacIn(bytes, record, this.key))
          this.#report(key, 'forged', "it is not signed by the store's key");
      }
    return count;
  }

  /** Checks the chain of baselines and the versions each names; returns how many there are. */
  async baselines(): Promise<number> {
    let previous: string | null = null;
    let count = 0;
    for await (const files of this.#backend.readAll(StoreLayout.BASELINES))
      for (const { key, bytes, sha256 } of files) {
        count++;
        const baseline = this.#decode(key, () => this.#store.decodeBaseline(key, bytes, sha256, false));
        if (!baseline) {
          previous = null;
          continue;
        }
        this.#checkBaseline(key, baseline, previous);
        this.#checkSigned(key, bytes, baseline);
        previous = baseline.hash;
      }
    return count;
  }

  /** Checks a baseline's chain, and collects the versions it names, each to be found by {@link versions}. */
  #checkBaseline(key: string, { record }: Hashed<BaselineManifest>, previous: string | null): void {
    if (record.prev !== previous)
      this.#report(key, 'out-of-chain', `prev is ${record.prev}, expected ${previous}`);
    for (const entry of record.entries) {
      const versionAt = versionKey(entry.resource, entry.seq);
      const earlier = this.#named.get(versionAt);
      if (!earlier) this.#named.set(versionAt, { version: entry.version, label: record.label });
      else if (earlier.version !== entry.version)
        this.#report(
          key,
          'out-of-chain',
          `it names ${versionAt} with another hash than baseline ${earlier.label}`,
        );
    }
  }

  /** A version a baseline names must be the one it names. */
  #checkNamed(key: string, hash: string): void {
    const named = this.#named.get(key);
    this.#named.delete(key);
    if (named && named.version !== hash)
      this.#report(key, 'missing', `baseline ${named.label} names version ${named.version}, not ${hash}`);
  }

  /** A store with signed records or log heads has an identity: one without was stripped of it. */
  identity(logHeads: number): void {
    if (!this.#store.identity && (logHeads > 0 || this.#sawSigned))
      this.#report(
        StoreLayout.IDENTITY,
        'missing',
        'the store has signed records but no identity: it was removed',
      );
  }

  /** Records the log or a baseline names that were not found: removed. */
  leftovers(): void {
    for (const [key, logged] of this.#logged)
      this.#report(key, 'missing', `log head ${logged.split(' ')[1]} names it: it was removed`);
    for (const [key, { label }] of this.#named) this.#report(key, 'missing', `named by baseline ${label}`);
  }

  /** A record decoded, or undefined with the problem reported. */
  #decode<T>(key: string, decode: () => T): T | undefined {
    try {
      return decode();
    } catch (error) {
      this.#report(key, 'invalid', describeInvalid(error));
      return undefined;
    }
  }
}

/**
 * What is kept in memory of a hash named elsewhere (announced, logged): 80 bits, which no forger can match by
 * chance, in a third of the memory of the whole hash.
 */
function hashPrefix(sha256: string): string {
  return sha256.slice(0, 20);
}

/** Why a record is invalid, on one line: a schema's complaints joined, else the parse or I/O failure. */
function describeInvalid(error: unknown): string {
  return describeProblem((error as Error).cause ?? error);
}

async function hashStream(backend: StoreBackend, key: string): Promise<string> {
  const hash = createHash('sha256');
  const stream = await backend.readStream(key);
  if (stream) for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
