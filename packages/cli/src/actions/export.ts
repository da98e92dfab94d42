import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@tidemark/core/errors';
import {
  type CloudFormationExport,
  cloudFormationLimitWarnings,
  type ExportedResource,
  ExportFiles,
  exportCloudFormation,
  type NotDescribed,
  requireNewExportFolder,
  type WrittenAsset,
  writeExport,
} from '@tidemark/core/export';
import { resolveTime } from '@tidemark/core/query';
import type { Action } from '../command.js';
import type { ExportOptions } from '../commands/export.js';
import { ExitCode } from '../exit-code.js';
import type { Io } from '../io.js';
import { describeResource } from '../render/entries.js';
import { printable } from '../render/printable.js';
import { resourceFilter } from './filter.js';

/** The formats `tidemark export` writes. */
const FORMATS = ['cloudformation'] as const;

/** What `tidemark export --json` prints. */
export interface ExportSummary {
  /** The moment exported, ISO 8601. */
  readonly at: string;
  /** The export folder, absolute. */
  readonly directory: string;
  readonly template: string;
  readonly resources: readonly ExportedResource[];
  /** The parameters a deployment is given: AssetsBucket, and one per sealed secret. */
  readonly parameters: readonly string[];
  readonly assets: readonly WrittenAsset[];
  /** Bytes of the asset files. */
  readonly bytes: number;
  readonly notDescribed: readonly NotDescribed[];
  readonly regions: readonly string[];
}

/**
 * `tidemark export`: the state captured at `--at` as a CloudFormation template and its assets, written into `--out`
 * (absent or empty). Bad input is refused before anything is read or written.
 */
export const exportState: Action<ExportOptions> = async ({ session, options, io }) => {
  if (!(FORMATS as readonly string[]).includes(options.format))
    throw new InputError(
      `--format ${options.format} is not a format tidemark export writes: ${FORMATS.join(', ')}`,
    );
  await requireNewExportFolder(options.out);
  const store = await session.store();
  const at = resolveTime(options.at, store.baselines());
  const exported = await exportCloudFormation(store, { at, filter: resourceFilter(options) });
  const written = await writeExport(store, exported, options.out);
  const summary: ExportSummary = {
    at: exported.at,
    directory: written.directory,
    template: ExportFiles.TEMPLATE,
    resources: exported.resources,
    parameters: parameterNames(exported),
    assets: written.assets,
    bytes: written.bytes,
    notDescribed: exported.notDescribed,
    regions: exported.regions,
  };
  if (options.json) io.out(JSON.stringify(summary, null, 2));
  else renderExport(io, options, summary);
  const templateBytes = (await stat(path.join(written.directory, ExportFiles.TEMPLATE))).size;
  for (const warning of cloudFormationLimitWarnings(exported.template, templateBytes))
    io.err(printable(`warning: ${warning}`));
  if (summary.regions.length > 1)
    io.err(
      printable(
        `warning: the template holds resources of ${summary.regions.join(', ')}, and a stack is deployed in one region: export each with --region`,
      ),
    );
  return ExitCode.OK;
};

function parameterNames(exported: CloudFormationExport): string[] {
  const parameters = exported.template.Parameters;
  return parameters && typeof parameters === 'object' ? Object.keys(parameters) : [];
}

/** The export as people read it: where it went, what it holds, and each resource it does not describe, and why. */
function renderExport(io: Io, options: Pick<ExportOptions, 'at'>, summary: ExportSummary): void {
  io.out(printable(`${options.at} (${summary.at}) → ${summary.directory}/${summary.template}`));
  const templateResources = summary.resources.reduce((sum, item) => sum + item.logicalIds.length, 0);
  io.out(`${summary.resources.length} resources exported (${templateResources} template resources)`);
  const manifest = summary.assets.length > 0 ? `: ${ExportFiles.MANIFEST} says what each is` : '';
  io.out(`${summary.assets.length} assets written (${summary.bytes} bytes)${manifest}`);
  if (summary.parameters.length > 0)
    io.out(printable(`parameters to give when deploying: ${summary.parameters.join(', ')}`));
  for (const { resource, leftOut } of summary.resources)
    for (const part of leftOut) io.out(`~ ${describeResource({ resource })}: ${printable(part)}`);
  io.out(`${summary.notDescribed.length} not described`);
  for (const { resource, reason } of summary.notDescribed)
    io.out(`- ${describeResource({ resource })}: ${printable(reason)}`);
}
