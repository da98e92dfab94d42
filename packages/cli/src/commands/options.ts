import type { ObjectSelection } from '@tidemark/core';
import type { Command } from 'commander';

/** Parses a comma-separated option value into its non-empty items. */
export function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Options that choose which S3 objects have their content captured. */
export interface ObjectSelectionOptions {
  objects?: string[];
  excludeObjects?: string[];
}

/** Adds `--objects` and `--exclude-objects` to a capturing command. */
export function withObjectSelection(command: Command): Command {
  return command
    .option(
      '--objects <patterns>',
      'capture only the S3 objects matching bucket or bucket/prefix* patterns',
      list,
    )
    .option('--exclude-objects <patterns>', 'do not capture the S3 objects matching these patterns', list);
}

/** The selection the options describe. */
export function objectSelection(options: ObjectSelectionOptions): ObjectSelection {
  return {
    ...(options.objects ? { include: options.objects } : {}),
    ...(options.excludeObjects ? { exclude: options.excludeObjects } : {}),
  };
}
