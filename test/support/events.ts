import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes events as NDJSON in `folder` and returns the file's path. */
export async function writeNdjson(folder: string, name: string, events: readonly unknown[]): Promise<string> {
  const file = path.join(folder, name);
  await writeFile(file, `${events.map((event) => JSON.stringify(event)).join('\n')}\n`);
  return file;
}
