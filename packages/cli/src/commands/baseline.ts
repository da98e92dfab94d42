import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';
import {
  list,
  type NativeCopyOptions,
  type ObjectSelectionOptions,
  withNativeCopies,
  withObjectSelection,
} from './options.js';

/** Options of `tidemark baseline`. */
export interface BaselineOptions extends ObjectSelectionOptions, NativeCopyOptions {
  label?: string;
  types?: string[];
}

/** `tidemark baseline`: a full, labelled capture of every supported resource. */
export function baselineCommand(io: Io, exit: ExitSink): Command {
  const command = withNativeCopies(
    withObjectSelection(
      new Command('baseline')
        .description('capture every supported resource, configuration and content, as a labelled baseline')
        .option('--label <label>', 'label of the baseline (default: the next free v1.N)')
        .option('--types <types>', 'comma-separated resource types (default: all)', list),
    ),
  ).option('--json', 'print the report as JSON');
  return handle<BaselineOptions>(
    command,
    io,
    exit,
    async () => (await import('../actions/baseline.js')).baseline,
  );
}
