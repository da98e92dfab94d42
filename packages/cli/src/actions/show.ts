import type { Json, JsonObject } from '@tidemark/core';
import { InputError } from '@tidemark/core/errors';
import { redactSealed, resolveResource, resolveTime, showResource } from '@tidemark/core/query';
import type { Action } from '../command.js';
import type { ShowOptions } from '../commands/show.js';
import { ExitCode } from '../exit-code.js';
import type { Io } from '../io.js';
import { describeCause, describeResource } from '../render/entries.js';
import { printable } from '../render/printable.js';
import type { Session } from '../session.js';
import { STANDARD_OUTPUT, writeBlob } from './blob-output.js';

/** `tidemark show RESOURCE`. */
export const show: Action<ShowOptions, [string]> = async ({ session, options, io }, reference) => {
  const store = await session.store();
  const resource = resolveResource(store, reference, options.region);
  const at = options.at ? resolveTime(options.at, store.baselines()) : undefined;
  const { entry, document } = await showResource(store, resource, at);
  const shown = document && (options.unseal ? await unsealed(session, document, io) : redactSealed(document));
  if (options.blob) {
    if (options.blob === STANDARD_OUTPUT && options.json)
      throw new InputError('--blob - writes the content to standard output: it cannot go with --json');
    const names = Object.keys(entry.blobs);
    const name = options.blobName ?? names[0];
    const hash = name ? entry.blobs[name] : undefined;
    if (!hash)
      throw new InputError(
        `${resource.type} ${resource.id} v${entry.seq} has ${names.length ? `blobs ${names.join(', ')}` : 'no content blob'}`,
      );
    await writeBlob(() => store.readBlob(hash), { file: options.blob, force: options.force === true, io });
    const written = options.blob === STANDARD_OUTPUT ? 'standard output' : options.blob;
    io.err(printable(`wrote ${name} (sha256 ${hash}) to ${written}`));
    if (options.blob === STANDARD_OUTPUT) return ExitCode.OK;
  }
  if (options.json) {
    io.out(JSON.stringify({ version: entry, document: shown }, null, 2));
    return ExitCode.OK;
  }
  io.out(
    `${describeResource(entry)} v${entry.seq}, captured ${entry.capturedAt} (${describeCause(entry.cause)})`,
  );
  if (entry.deleted) io.out('deleted');
  for (const [name, hash] of Object.entries(entry.blobs)) io.out(printable(`blob ${name}: sha256 ${hash}`));
  if (shown) for (const line of JSON.stringify(shown, null, 2).split('\n')) io.out(printable(line));
  return ExitCode.OK;
};

/** The document with its sealed values in plain text, for a person who must see them; an InputError without the key. */
async function unsealed(session: Session, document: JsonObject, io: Io): Promise<Json> {
  const key = await session.existingKey();
  if (!key)
    throw new InputError(
      `--unseal needs the key that sealed the values: there is no key file ${await session.keyFile()}`,
    );
  const { unsealAll } = await import('@tidemark/core/secrets');
  io.err('warning: printing sealed secret values in plain text');
  return unsealAll(document, key.sealer);
}
