import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';

/** Options of `tidemark restore`. */
export interface RestoreOptions {
  at: string;
  all?: boolean;
  type?: string;
  id?: string;
  prune?: boolean;
  toBucket?: string;
  toName?: string;
  toAccountProfile?: string;
  apply?: boolean;
  yes?: boolean;
  json?: boolean;
}

/** `tidemark restore RESOURCE… --at T`: what putting them back would do, and with `--apply`, doing it. */
export function restoreCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('restore')
    .description(
      'put resources back as they were at a moment: prints the plan (the exact API calls); changes nothing without --apply',
    )
    .argument('[resources...]', 'AWS::Type::Name:id, or an id when unique')
    .requiredOption('--at <time>', 'the moment to restore to: ISO 8601 time, age (2h, 3d), baseline label')
    .option('--all', 'every resource the filters select (--type, --id, --region)')
    .option('--type <type>', 'with --all: only this resource type')
    .option('--id <glob>', 'with --all: only identifiers matching this glob')
    .option(
      '--prune',
      'also delete what was created after that moment (objects, functions, rules, table items)',
    )
    .option('--to-bucket <bucket>', 'restore S3 objects into this bucket instead, under their own keys')
    .option('--to-name <name>', 'restore the one resource named under this name instead (a function copy)')
    .option(
      '--to-account-profile <profile>',
      "restore into the account this named profile reaches instead (objects, functions); the store's own account is left as it is",
    )
    .option('--apply', 'apply the plan: capture each resource first, send the calls, capture it again')
    .option('--yes', 'with --apply: do not ask for confirmation (scripts)')
    .option('--json', 'print as JSON: RestorePlan, and with --apply { plan, report: RestoreReport }');
  return handle<RestoreOptions, [string[]]>(
    command,
    io,
    exit,
    async () => (await import('../actions/restore.js')).restore,
  );
}
