import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { InputError } from '@tidemark/core/errors';
import { redactSealed, resolveResource, resolveTime, showResource } from '@tidemark/core/query';
import type { Action } from '../command.js';
import type { ShowOptions } from '../commands/show.js';
import { ExitCode } from '../exit-code.js';
import { describeCause, describeResource } from '../render/entries.js';

/** `tidemark show RESOURCE`. */
export const show: Action<ShowOptions, [string]> = async ({ session, options, io }, reference) => {
  const store = await session.store();
  const resource = resolveResource(store, reference, options.region);
  const at = options.at ? resolveTime(options.at, store.baselines()) : undefined;
  const { entry, document } = await showResource(store, resource, at);
  const shown = document && redactSealed(document);
  if (options.blob) {
    const names = Object.keys(entry.blobs);
    const name = options.blobName ?? names[0];
    const hash = name ? entry.blobs[name] : undefined;
    if (!hash)
      throw new InputError(
        `${resource.type} ${resource.id} v${entry.seq} has ${names.length ? `blobs ${names.join(', ')}` : 'no content blob'}`,
      );
    await pipeline(await store.readBlob(hash), createWriteStream(options.blob));
    io.err(`wrote ${name} (sha256 ${hash}) to ${options.blob}`);
  }
  if (options.json) {
    io.out(JSON.stringify({ version: entry, document: shown }, null, 2));
    return ExitCode.OK;
  }
  io.out(
    `${describeResource(entry)} v${entry.seq}, captured ${entry.capturedAt} (${describeCause(entry.cause)})`,
  );
  if (entry.deleted) io.out('deleted');
  for (const [name, hash] of Object.entries(entry.blobs)) io.out(`blob ${name}: sha256 ${hash}`);
  if (shown) io.out(JSON.stringify(shown, null, 2));
  return ExitCode.OK;
};
