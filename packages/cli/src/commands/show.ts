import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { InputError, redactSealed, resolveResource, resolveTime, showResource } from '@tidemark/core';
import { Command } from 'commander';
import { ExitCode, type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';
import { describeCause, describeResource } from '../render/entries.js';

interface ShowOptions {
  at?: string;
  blob?: string;
  blobName?: string;
}

/** `tidemark show RESOURCE`: one resource's document at a moment, and optionally its content. */
export function showCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('show')
    .description(
      "print one resource's document at a moment; --blob writes its content (object bytes, code zip)",
    )
    .argument('<resource>', 'AWS::Type::Name:id, or an id when unique')
    .option('--at <time>', 'ISO 8601 time, age (2h, 3d), baseline label or now (default: latest)')
    .option('--blob <file>', 'write the content blob to this file')
    .option('--blob-name <name>', 'which blob, when there are several (content, code, code:2)')
    .option('--json', 'print as JSON: { version: StateEntry, document }');
  return handle<ShowOptions, [string]>(command, io, exit, async ({ session, options }, reference) => {
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
  });
}
