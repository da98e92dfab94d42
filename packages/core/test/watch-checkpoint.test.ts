import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../src/errors.js';
import { VersionStore } from '../src/store/version-store.js';
import {
  advanceCheckpoint,
  checkpointName,
  freshCheckpoint,
  markSeen,
  readWatchCheckpoint,
  writeWatchCheckpoint,
} from '../src/watch/checkpoint.js';

const MINUTE = 60_000;
const T = new Date('2026-03-02T10:00:00.000Z');
const at = (minutes: number) => new Date(T.getTime() + minutes * MINUTE);

describe('advanceCheckpoint', () => {
  const seen = markSeen(freshCheckpoint(at(-60)), [
    { id: 'old', time: at(-50) },
    { id: 'recent', time: at(-5) },
  ]);

  it('starts the next lookup one overlap before the end of this one and forgets older seen events', () => {
    const next = advanceCheckpoint(seen, T, 15 * MINUTE);

    expect(next).toEqual({ from: at(-15).toISOString(), seen: { recent: at(-5).toISOString() } });
  });

  it('never moves back, even with an overlap longer than the time since the start', () => {
    expect(advanceCheckpoint(seen, at(-55), 15 * MINUTE).from).toBe(at(-60).toISOString());
  });

  it('holds at the earliest failed event, so it is looked up and tried again', () => {
    expect(advanceCheckpoint(seen, T, 15 * MINUTE, at(-40)).from).toBe(at(-40).toISOString());
  });
});

describe('watch checkpoints in the store', () => {
  let folder: string;
  let store: VersionStore;
  const name = checkpointName('123456789012', 'eu-west-1');
  const file = () => path.join(folder, 'checkpoints', 'watch', '123456789012', 'eu-west-1.json');

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-checkpoint-'));
    store = await VersionStore.open(folder);
  });
  afterEach(async () => {
    store.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('reads back what was saved, and nothing before that', async () => {
    const checkpoint = markSeen(freshCheckpoint(T), [{ id: 'e-1', time: at(2) }]);

    const before = await readWatchCheckpoint(store, name);
    await writeWatchCheckpoint(store, name, checkpoint);

    expect(before).toBeUndefined();
    expect(await readWatchCheckpoint(store, name)).toEqual(checkpoint);
  });

  it('refuses a checkpoint of the wrong shape with an error naming its key and the field', async () => {
    await writeWatchCheckpoint(store, name, freshCheckpoint(T));
    await writeFile(file(), JSON.stringify({ schema: 1, from: 'yesterday', seen: {} }));

    const error = await readWatchCheckpoint(store, name).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ key: 'checkpoints/watch/123456789012/eu-west-1.json' });
    expect((error as Error).message).toMatch(
      /^checkpoints\/watch\/123456789012\/eu-west-1\.json in .* is not a valid watch checkpoint \(from: /,
    );
  });

  it('refuses a checkpoint that is not JSON with an error naming its key', async () => {
    await writeWatchCheckpoint(store, name, freshCheckpoint(T));
    await writeFile(file(), '{"schema":1,"from":');

    await expect(readWatchCheckpoint(store, name)).rejects.toMatchObject({
      name: 'StoreError',
      key: 'checkpoints/watch/123456789012/eu-west-1.json',
    });
  });
});
