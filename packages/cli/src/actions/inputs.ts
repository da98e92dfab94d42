import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import type { IngestInput } from '@tidemark/core/capture';
import { InputError } from '@tidemark/core/errors';

/** Reads event inputs: each file named, or standard input for `-` or no file at all. */
export async function readInputs(files: readonly string[]): Promise<IngestInput[]> {
  const names = files.length === 0 ? ['-'] : files;
  return Promise.all(
    names.map(async (name) => {
      if (name === '-') return { text: await text(process.stdin), origin: 'stdin' };
      try {
        return { text: await readFile(name, 'utf8'), origin: name };
      } catch (error) {
        throw new InputError(
          `cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        );
      }
    }),
  );
}
