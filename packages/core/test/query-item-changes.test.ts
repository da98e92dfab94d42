import { describe, expect, it } from 'vitest';
import { itemChanges, MAX_CHUNKS_COMPARED } from '../src/query/item-changes.js';

/** A chunk store of text blobs by name; `reads` records each blob asked for. */
function chunkStore(blobs: Record<string, string>) {
  const reads: string[] = [];
  return {
    reads,
    read: async (hash: string) => {
      reads.push(hash);
      const text = blobs[hash];
      if (text === undefined) throw new Error(`no blob ${hash}`);
      return text;
    },
  };
}

const document = { Items: { Format: 'dynamodb-json-lines', Key: ['pk', 'sk'], Chunks: 2 } };
const line = (pk: string, sk: string, status: string) =>
  JSON.stringify({ pk: { S: pk }, sk: { N: sk }, status: { S: status } });

describe('itemChanges', () => {
  it('reports items added, removed and changed, reading only the chunks that differ', async () => {
    const store = chunkStore({
      old0: `${line('BOOKING#1', '1', 'new')}\n${line('BOOKING#1', '2', 'paid')}\n`,
      new0: `${line('BOOKING#1', '1', 'cancelled')}\n${line('BOOKING#2', '1', 'new')}\n`,
      same1: `${line('BOOKING#9', '1', 'paid')}\n`,
    });

    const changes = await itemChanges(
      { document, blobs: { 'items/0000': 'old0', 'items/0001': 'same1' } },
      { document, blobs: { 'items/0000': 'new0', 'items/0001': 'same1' } },
      store.read,
    );

    expect(changes).toEqual([
      { path: 'Items.BOOKING#1 / 1.status.S', change: 'changed', before: 'new', after: 'cancelled' },
      {
        path: 'Items.BOOKING#1 / 2',
        change: 'removed',
        before: { pk: { S: 'BOOKING#1' }, sk: { N: '2' }, status: { S: 'paid' } },
      },
      {
        path: 'Items.BOOKING#2 / 1',
        change: 'added',
        after: { pk: { S: 'BOOKING#2' }, sk: { N: '1' }, status: { S: 'new' } },
      },
    ]);
    expect(store.reads.sort()).toEqual(['new0', 'old0']);
  });

  it('says how many chunks differ instead of reading a table that was rewritten', async () => {
    const blobs = (prefix: string) =>
      Object.fromEntries(
        Array.from({ length: MAX_CHUNKS_COMPARED + 1 }, (_, i) => [
          `items/${String(i).padStart(4, '0')}`,
          `${prefix}${i}`,
        ]),
      );
    const store = chunkStore({});

    const changes = await itemChanges(
      { document, blobs: blobs('a') },
      { document, blobs: blobs('b') },
      store.read,
    );

    expect(changes).toEqual([
      {
        path: 'Items',
        change: 'changed',
        after: `${MAX_CHUNKS_COMPARED + 1} chunks of items differ; items not compared`,
      },
    ]);
    expect(store.reads).toEqual([]);
  });

  it('compares nothing for a creation or a deletion, or for content that is not chunked items', async () => {
    const store = chunkStore({});
    const table = { document, blobs: { 'items/0000': 'x' } };

    expect(await itemChanges({ document: undefined, blobs: {} }, table, store.read)).toEqual([]);
    expect(await itemChanges(table, { document: undefined, blobs: {} }, store.read)).toEqual([]);
    expect(
      await itemChanges(
        { document: {}, blobs: { code: 'a' } },
        { document: {}, blobs: { code: 'b' } },
        store.read,
      ),
    ).toEqual([]);
    expect(store.reads).toEqual([]);
  });
});
