import { open } from 'node:fs/promises';
import { openSqlite } from '../../src/store/sqlite.js';

/**
 * Overwrites with garbage the last leaf page (in key order) of `table` in the closed SQLite file `file`, as bit
 * rot or a torn write would: the file still opens, and the table's first rows still read, but a statement that
 * reaches that page fails with SQLITE_CORRUPT. Throws when the table fits on one leaf page.
 */
export async function damageLastLeafOf(file: string, table: string): Promise<void> {
  const db = openSqlite(file);
  let page: number;
  let pageSize: number;
  try {
    const leaves = db
      .prepare(`SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path`)
      .all(table) as Array<{ pageno: number }>;
    if (leaves.length < 2) throw new Error(`${table} fits on ${leaves.length} leaf page: add rows`);
    page = (leaves.at(-1) as { pageno: number }).pageno;
    pageSize = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
  } finally {
    db.close();
  }
  const handle = await open(file, 'r+');
  try {
    await handle.write(Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize);
  } finally {
    await handle.close();
  }
}
