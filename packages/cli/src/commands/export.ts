import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';

/** Options of `tidemark export`. */
export interface ExportOptions {
  at: string;
  format: string;
  out: string;
  type?: string;
  id?: string;
}

/** `tidemark export --at T --format cloudformation --out DIR`: the captured state of a moment as code. */
export function exportCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('export')
    .description(
      'write the captured state of a moment as a CloudFormation template, with code zips and object bytes beside it',
    )
    .requiredOption('--at <time>', 'the moment to export: ISO 8601 time, age (2h, 3d), baseline label or now')
    .requiredOption('--format <format>', 'what to write: cloudformation')
    .requiredOption('--out <dir>', 'a new or empty folder to write template.yaml and assets/ into')
    .option('--type <type>', 'only this resource type')
    .option('--id <glob>', 'only identifiers matching this glob (*, ?)')
    .option('--json', 'print as JSON: ExportSummary');
  return handle<ExportOptions>(
    command,
    io,
    exit,
    async () => (await import('../actions/export.js')).exportState,
  );
}
