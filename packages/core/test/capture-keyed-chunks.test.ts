import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { chooseChunkCount, chunkOf, KeyedChunkCollector, rangeOf } from '../src/capture/keyed-chunks.js';

const MiB = 1024 * 1024;

async function chunksOf(collector: KeyedChunkCollector, count: number) {
  const chunks: Array<{ index: number; keys: string[] }> = [];
  for await (const { index, lines } of collector.chunks(count))
    chunks.push({ index, keys: lines.map((l) => l.key) });
  return chunks;
}

async function chunksWithLines(collector: KeyedChunkCollector): Promise<string[][]> {
  const chunks: string[][] = [];
  for await (const { lines } of collector.chunks(1)) chunks.push(lines.map((entry) => entry.line));
  return chunks;
}

async function tidemarkTemporaryFolders(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('tidemark-chunks-'));
}

describe('chooseChunkCount', () => {
  it('aims at the target size with a power of two, from 1 up to 4096', () => {
    expect(chooseChunkCount(0, MiB)).toBe(1);
    expect(chooseChunkCount(3 * MiB, MiB)).toBe(4);
    expect(chooseChunkCount(1024 * MiB, MiB)).toBe(1024);
    expect(chooseChunkCount(100_000 * MiB, MiB)).toBe(4096);
  });

  it('keeps the previous count while the size stays within a factor of four, so chunks stay the same', () => {
    expect(chooseChunkCount(5 * MiB, MiB, 4)).toBe(4);
    expect(chooseChunkCount(15 * MiB, MiB, 4)).toBe(4);
    expect(chooseChunkCount(17 * MiB, MiB, 4)).toBe(32);
    expect(chooseChunkCount(5 * MiB, MiB, 3)).toBe(8);
  });
});

describe('KeyedChunkCollector', () => {
  it('gives the same sorted chunks whatever the arrival order, whether records stayed in memory or spilled', async () => {
    const keys = Array.from({ length: 2000 }, (_, index) => `["k-${index}"]`);
    const inMemory = new KeyedChunkCollector();
    const spilling = new KeyedChunkCollector({ spillBytes: 1 });
    for (const key of keys) await inMemory.add(key, `{"id":${JSON.stringify(key)}}`);
    for (const key of [...keys].reverse()) await spilling.add(key, `{"id":${JSON.stringify(key)}}`);

    const expected = await chunksOf(inMemory, 8);
    const actual = await chunksOf(spilling, 8);
    const foldersWhileOpen = await tidemarkTemporaryFolders();
    await spilling.dispose();

    expect(actual).toEqual(expected);
    expect(expected.flatMap((chunk) => chunk.keys)).toHaveLength(2000);
    for (const chunk of expected) {
      expect([...chunk.keys].sort()).toEqual(chunk.keys);
      for (const key of chunk.keys) expect(chunkOf(key, 8)).toBe(chunk.index);
    }
    expect(foldersWhileOpen.length).toBeGreaterThan(0);
    expect(await tidemarkTemporaryFolders()).not.toEqual(expect.arrayContaining(foldersWhileOpen));
  });

  it('places a key in the same half of the hash space at every chunk count, so doubling splits chunks in two', () => {
    for (const key of ['["a"]', '["b-00001"]', '[{"S":"x"},{"N":"3"}]']) {
      expect(chunkOf(key, 2)).toBe(chunkOf(key, 4) >> 1);
      expect(chunkOf(key, 1)).toBe(0);
    }
  });

  it('keeps large records whole when two spill into the same range at once', async () => {
    const first = '["big-0"]';
    let other = 1;
    while (rangeOf(`["big-${other}"]`) !== rangeOf(first)) other += 1;
    const second = `["big-${other}"]`;
    const collector = new KeyedChunkCollector({ spillBytes: 1 });
    const lines = [`{"v":"${'a'.repeat(700_000)}"}`, `{"v":"${'b'.repeat(700_000)}"}`];

    await Promise.all([collector.add(first, lines[0] as string), collector.add(second, lines[1] as string)]);
    const chunks = await chunksWithLines(collector);
    await collector.dispose();

    expect(chunks.flat().sort()).toEqual([...lines].sort());
  });
});
