import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { StoreBackend } from './backend.js';
import { blobKey, hashOfBlobKey, resourceFolder, StoreLayout, seqOfKey, versionKey } from './layout.js';
import { READ_CONCURRENCY, readInBatches } from './parallel-read.js';
import type { Hashed, VersionRecord } from './records.js';
import type { VersionStore } from './version-store.js';

/** One thing wrong in a store. */
export interface StoreProblem {
  readonly key: string;
  readonly problem: 'missing' | 'corrupted' | 'out-of-chain' | 'invalid';
  readonly detail: string;
}

/** What `verify` found. Stable shape (`tidemark verify --json`). */
export interface VerifyReport {
  readonly ok: boolean;
  readonly checked: { readonly blobs: number; readonly versions: number; readonly baselines: number };
  readonly problems: readonly StoreProblem[];
}

/**
 * Recomputes every hash in the store: blobs against their addresses, version records against the chain of
 * their resource, baselines against theirs and against the versions they name. Reads the store, not the index.
 */
export async function verifyStore(store: VersionStore): Promise<VerifyReport> {
  const problems: StoreProblem[] = [];
  const blobs = await verifyBlobs(store.backend, problems);
  const versions = await verifyVersions(store, blobs, problems);
  const baselines = await verifyBaselines(store, versions, problems);
  return {
    ok: problems.length === 0,
    checked: { blobs: blobs.size, versions: versions.size, baselines },
    problems,
  };
}

async function verifyBlobs(backend: StoreBackend, problems: StoreProblem[]): Promise<Set<string>> {
  const present = new Set<string>();
  const limit = pLimit(READ_CONCURRENCY);
  const checks: Promise<void>[] = [];
  for await (const key of backend.list(StoreLayout.BLOBS)) {
    const expected = hashOfBlobKey(key);
    if (!expected) {
      problems.push({ key, problem: 'invalid', detail: 'not a blob key' });
      continue;
    }
    checks.push(
      limit(async () => {
        const actual = await hashStream(backend, key);
        if (actual === expected) present.add(expected);
        else problems.push({ key, problem: 'corrupted', detail: `content hashes to ${actual}` });
      }),
    );
  }
  await Promise.all(checks);
  return present;
}

async function hashStream(backend: StoreBackend, key: string): Promise<string> {
  const hash = createHash('sha256');
  const stream = await backend.readStream(key);
  if (stream) for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Checks every chain; returns the valid versions by key, for the baselines to be checked against. */
async function verifyVersions(
  store: VersionStore,
  blobs: ReadonlySet<string>,
  problems: StoreProblem[],
): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  let chain: { folder: string; last?: Hashed<VersionRecord> } = { folder: '' };
  const keys = store.backend.list(StoreLayout.VERSIONS);
  for await (const batch of readInBatches(keys, (key) => attempt(key, () => store.readVersion(key))))
    for (const { key, value: version, error } of batch) {
      const folder = key.split('/')[1] ?? '';
      if (folder !== chain.folder) chain = { folder };
      if (!version) {
        problems.push({ key, problem: 'invalid', detail: error });
        chain.last = undefined;
        continue;
      }
      checkVersion(key, version, chain, blobs, problems);
      versions.set(key, version.hash);
      chain.last = version;
    }
  return versions;
}

/** Checks one version against its key, the chain before it, and the blobs present. */
function checkVersion(
  key: string,
  { record }: Hashed<VersionRecord>,
  chain: { folder: string; last?: Hashed<VersionRecord> },
  blobs: ReadonlySet<string>,
  problems: StoreProblem[],
): void {
  if (versionKey(record.resource, record.seq) !== key || resourceFolder(record.resource) !== chain.folder)
    problems.push({
      key,
      problem: 'out-of-chain',
      detail: `record says seq ${record.seq} of another resource`,
    });
  const expectedSeq = (chain.last?.record.seq ?? 0) + 1;
  const expectedPrev = chain.last?.hash ?? null;
  if (seqOfKey(key) !== expectedSeq)
    problems.push({
      key,
      problem: 'missing',
      detail: `version ${expectedSeq} of this resource is missing`,
    });
  else if (record.prev !== expectedPrev)
    problems.push({
      key,
      problem: 'out-of-chain',
      detail: `prev is ${record.prev}, expected ${expectedPrev}`,
    });
  for (const blob of [record.document, ...Object.values(record.blobs)])
    if (blob && !blobs.has(blob))
      problems.push({ key: blobKey(blob), problem: 'missing', detail: `named by ${key}` });
}

/** A read's value, or why it failed (the cause of a StoreError: the parse or I/O failure). */
async function attempt<T>(
  key: string,
  read: () => Promise<T>,
): Promise<{ key: string; value?: T; error: string }> {
  try {
    return { key, value: await read(), error: '' };
  } catch (error) {
    return { key, error: String((error as Error).cause ?? error) };
  }
}

async function verifyBaselines(
  store: VersionStore,
  versions: ReadonlyMap<string, string>,
  problems: StoreProblem[],
): Promise<number> {
  let previous: string | null = null;
  let count = 0;
  const keys = store.backend.list(StoreLayout.BASELINES);
  for await (const batch of readInBatches(keys, (key) => attempt(key, () => store.readBaseline(key))))
    for (const { key, value: baseline, error } of batch) {
      count++;
      if (!baseline) {
        problems.push({ key, problem: 'invalid', detail: error });
        previous = null;
        continue;
      }
      const { hash, record } = baseline;
      if (record.prev !== previous)
        problems.push({
          key,
          problem: 'out-of-chain',
          detail: `prev is ${record.prev}, expected ${previous}`,
        });
      for (const entry of record.entries) {
        const versionAt = versionKey(entry.resource, entry.seq);
        if (versions.get(versionAt) !== entry.version)
          problems.push({ key: versionAt, problem: 'missing', detail: `named by baseline ${record.label}` });
      }
      previous = hash;
    }
  return count;
}
