import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * The newest log head of a store that this machine saw, kept outside the store (beside the key): removing the
 * last records of a store together with their log heads cannot be told from the store alone, but it can from a
 * head seen earlier that is no longer there (as Certificate Transparency clients keep the last signed tree head).
 */
export const witnessSchema = z.object({
  storeId: z.string(),
  seq: z.number().int().positive(),
  hash: z.string(),
  seenAt: z.iso.datetime(),
});

export type Witness = z.infer<typeof witnessSchema>;

/** The witness file of the store `storeId` in `folder`. */
export function witnessFile(folder: string, storeId: string): string {
  return path.join(folder, `${storeId}.json`);
}

/** The witness in `file`, or undefined when there is none or it is unreadable (it is then written anew). */
export async function readWitness(file: string): Promise<Witness | undefined> {
  try {
    return witnessSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Remembers `head` as seen, unless the witness already holds a newer one. */
export async function advanceWitness(
  file: string,
  storeId: string,
  head: { readonly seq: number; readonly hash: string },
): Promise<void> {
  const known = await readWitness(file);
  if (known && known.storeId === storeId && known.seq >= head.seq) return;
  const witness: Witness = { storeId, ...head, seenAt: new Date().toISOString() };
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(witness)}\n`, { mode: 0o600 });
  await rename(temp, file);
}
