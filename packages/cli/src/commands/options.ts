import type { ObjectSelection, TableItemSettings } from '@tidemark/core';
import { type Command, InvalidArgumentError } from 'commander';

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

/** Options of a baseline about content Tidemark does not download itself: large tables, Lightsail disks. */
export interface NativeCopyOptions {
  tableItemLimit?: number;
  tableExportTo?: { bucket: string; prefix?: string };
  lightsailSnapshots?: boolean;
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
};

/** A size in bytes: a whole number, optionally with a unit (`512MiB`, `2GiB`). */
export function byteSize(value: string): number {
  const match = /^(\d+)\s*(kib|mib|gib|tib)?$/i.exec(value.trim());
  const bytes = match ? Number(match[1]) * (SIZE_UNITS[(match[2] ?? '').toUpperCase()] ?? 1) : Number.NaN;
  if (!Number.isSafeInteger(bytes))
    throw new InvalidArgumentError(`expected a size in bytes such as 2GiB or 536870912, received ${value}`);
  return bytes;
}

/** An S3 destination `s3://bucket[/prefix]`. */
export function s3Destination(value: string): { bucket: string; prefix?: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*?))?\/?$/.exec(value.trim());
  if (!match?.[1])
    throw new InvalidArgumentError(`expected s3://bucket or s3://bucket/prefix, received ${value}`);
  return { bucket: match[1], ...(match[2] ? { prefix: match[2] } : {}) };
}

/** Adds the options of native copies (DynamoDB exports of large tables, Lightsail snapshots) to a command. */
export function withNativeCopies(command: Command): Command {
  return command
    .option(
      '--table-item-limit <size>',
      "scan a DynamoDB table's items only up to this size; larger tables are exported natively (default: 2GiB)",
      byteSize,
    )
    .option(
      '--table-export-to <s3-url>',
      'where native exports of tables over the item limit are written (needs point-in-time recovery)',
      s3Destination,
    )
    .option(
      '--lightsail-snapshots',
      'take a native snapshot of every Lightsail instance and record its name',
    );
}

/** The table item settings the options describe, if any. */
export function tableItemSettings(options: NativeCopyOptions): Partial<TableItemSettings> {
  return {
    ...(options.tableItemLimit === undefined ? {} : { maxBytes: options.tableItemLimit }),
    ...(options.tableExportTo ? { exportTo: options.tableExportTo } : {}),
  };
}
